//! Domains: the reducers that fold events into state.
//!
//! A reducer is a pure function of (stream state, event): no clock, no randomness, no I/O. It
//! returns the next state plus the rules the event broke (violations: the event still happened, so
//! it is applied), or a `DataError` when the event's data cannot be read (the event is not applied).
pub mod bank;
pub mod generic;
pub mod store;

use crate::engine::event::Event;
pub use crate::engine::fields::{DataError, Fields};
use std::fmt;

/// What a reducer sees of one event.
pub struct EventRef<'a> {
    pub type_name: &'a str,
    pub stream: &'a str,
    /// True for the stream events land in when they name none; the bank treats that account as
    /// open from the start, so the classic three-event log needs no `AccountOpened`.
    pub stream_is_default: bool,
    pub event: &'a Event,
}

impl<'a> EventRef<'a> {
    pub fn fields(&self) -> Result<Fields<'a>, DataError> {
        Fields::parse(self.event.data())
    }
}

/// The result of applying one readable event.
#[derive(Debug, PartialEq)]
pub struct Step<S> {
    pub state: S,
    pub violations: Vec<String>,
}

impl<S> Step<S> {
    pub fn ok(state: S) -> Self {
        Step { state, violations: Vec::new() }
    }

    pub fn violated(state: S, violations: Vec<String>) -> Self {
        Step { state, violations }
    }
}

pub trait Domain: 'static {
    /// The state of one stream (an account, an order).
    type Stream: Clone + Default + PartialEq + fmt::Debug + Send + Sync;
    /// The domain's own event types, resolved once per distinct type name at load.
    type Kind: Copy + fmt::Debug + Send + Sync;

    const NAME: DomainName;
    /// Every type name `kind` accepts (used to pick a domain for a log that names none).
    const EVENT_TYPES: &'static [&'static str];

    fn kind(type_name: &str) -> Option<Self::Kind>;

    fn apply(
        stream: &Self::Stream,
        kind: Self::Kind,
        event: &EventRef,
    ) -> Result<Step<Self::Stream>, DataError>;

    fn to_json(stream: &Self::Stream) -> serde_json::Value;
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum DomainName {
    Bank,
    Store,
    Generic,
}

impl DomainName {
    pub const ALL: [DomainName; 3] = [DomainName::Bank, DomainName::Store, DomainName::Generic];

    pub fn as_str(self) -> &'static str {
        match self {
            DomainName::Bank => "bank",
            DomainName::Store => "store",
            DomainName::Generic => "generic",
        }
    }

    pub fn parse(name: &str) -> Option<DomainName> {
        DomainName::ALL.into_iter().find(|d| d.as_str().eq_ignore_ascii_case(name.trim()))
    }

    pub fn event_types(self) -> &'static [&'static str] {
        match self {
            DomainName::Bank => bank::Bank::EVENT_TYPES,
            DomainName::Store => store::Store::EVENT_TYPES,
            DomainName::Generic => &[],
        }
    }
}

impl fmt::Display for DomainName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which domain replays a log, and why, in words a person can read.
#[derive(Clone, Debug, PartialEq)]
pub struct DomainChoice {
    pub domain: DomainName,
    pub reason: String,
}

/// The log's declared domain wins. Otherwise the domain whose event types cover every event in
/// the log; failing that, the domain that knows most of the events (at least half), with the types
/// it does not know folded as generic data and flagged; otherwise generic.
pub fn choose_domain<'a>(declared: Option<&str>, type_names: impl IntoIterator<Item = &'a str>) -> DomainChoice {
    if let Some(declared) = declared {
        return match DomainName::parse(declared) {
            Some(domain) => DomainChoice { domain, reason: format!("the log declares domain \"{domain}\"") },
            None => DomainChoice {
                domain: DomainName::Generic,
                reason: format!(
                    "the log declares domain \"{declared}\", which Rewind has no reducer for, so it is replayed as generic data"
                ),
            },
        };
    }
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for name in type_names {
        match counts.iter_mut().find(|(n, _)| *n == name) {
            Some((_, count)) => *count += 1,
            None => counts.push((name, 1)),
        }
    }
    counts.sort_unstable();
    let total: usize = counts.iter().map(|(_, c)| c).sum();
    if total == 0 {
        return DomainChoice { domain: DomainName::Generic, reason: "the log has no events".into() };
    }
    let names = |pick: &dyn Fn(&str) -> bool| {
        counts.iter().filter(|(n, _)| pick(n)).map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
    };
    let known_by = |domain: DomainName| -> usize {
        counts.iter().filter(|(n, _)| domain.event_types().contains(n)).map(|(_, c)| c).sum()
    };
    let (best, known) = [DomainName::Bank, DomainName::Store]
        .into_iter()
        .map(|d| (d, known_by(d)))
        .max_by_key(|(_, known)| *known)
        .expect("two candidates");
    if known == total {
        return DomainChoice {
            domain: best,
            reason: format!("every event type in the log ({}) is a {best} event", names(&|_| true)),
        };
    }
    if known * 2 >= total {
        let unknown = names(&|n| !best.event_types().contains(&n));
        return DomainChoice {
            domain: best,
            reason: format!(
                "{known} of {total} events are {best} events; the others ({unknown}) are kept as generic data and flagged"
            ),
        };
    }
    DomainChoice {
        domain: DomainName::Generic,
        reason: format!(
            "no built-in domain knows most of the event types in the log ({}), so it is replayed as generic data",
            names(&|_| true)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_domain_wins_over_event_types() {
        let choice = choose_domain(Some("store"), ["Deposit"]);
        assert_eq!(choice.domain, DomainName::Store);
    }

    #[test]
    fn unknown_declared_domain_falls_back_to_generic_and_says_so() {
        let choice = choose_domain(Some("payments"), ["Deposit"]);
        assert_eq!(choice.domain, DomainName::Generic);
        assert!(choice.reason.contains("payments"), "{}", choice.reason);
    }

    #[test]
    fn bank_types_choose_bank() {
        let choice = choose_domain(None, ["Deposit", "Withdraw", "Deposit"]);
        assert_eq!(choice.domain, DomainName::Bank);
        assert!(choice.reason.contains("Deposit, Withdraw"), "{}", choice.reason);
    }

    #[test]
    fn mostly_bank_types_choose_bank_and_name_the_rest() {
        let choice = choose_domain(None, ["Deposit", "Deposit", "InterestAccrued"]);
        assert_eq!(choice.domain, DomainName::Bank);
        assert!(choice.reason.contains("2 of 3") && choice.reason.contains("InterestAccrued"), "{}", choice.reason);
    }

    #[test]
    fn mostly_unknown_types_choose_generic() {
        let choice = choose_domain(None, ["Deposit", "TicketOpened", "TicketClosed"]);
        assert_eq!(choice.domain, DomainName::Generic);
    }
}
