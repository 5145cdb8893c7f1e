//! Domains: what a log's events mean, and the reducers that fold them into state.
//!
//! Everything about a domain sits behind one object-safe trait, [`Domain`] (its name, the event
//! types it knows, how well it fits a log, its replay, its corrections and reversals), and the
//! [`registry`] lists them, one line each. A compiled domain also implements [`Reducer`], the typed
//! fold that [`Timeline`](crate::timeline::Timeline) runs; a scripted one brings its own.
//!
//! A reducer is a pure function of (stream state, event): no clock, no randomness, no I/O. It
//! returns the next state plus the rules the event broke (violations: the event still happened, so
//! it is applied), or a `DataError` when the event's data cannot be read (the event is not applied).
pub mod bank;
pub mod generic;
pub mod keyed;
pub mod store;
#[cfg(test)]
pub(crate) mod testing;

use crate::correction::CorrectionType;
use crate::event::Event;
pub use crate::fields::{DataError, Fields};
use crate::log::Log;
use crate::plan::Plan;
use crate::timeline::{ReplayBuild, TimelineBuild};
use std::fmt;
use std::sync::{Arc, LazyLock};

/// Every domain Rewind knows, in the order the Domain select lists them. Adding a domain is one
/// file and one line here.
static REGISTRY: LazyLock<Vec<Arc<dyn Domain>>> =
    LazyLock::new(|| vec![Arc::new(bank::Bank), Arc::new(store::Store), Arc::new(generic::Generic)]);

/// The registered domains.
pub fn registry() -> &'static [Arc<dyn Domain>] {
    &REGISTRY
}

/// The registered domain called `name` (any case).
pub fn find(name: &str) -> Option<Arc<dyn Domain>> {
    registry().iter().find(|d| d.name().eq_ignore_ascii_case(name.trim())).cloned()
}

/// The domain that replays any log: chosen when no other fits.
pub fn fallback() -> Arc<dyn Domain> {
    Arc::new(generic::Generic)
}

/// Everything about one domain. Object-safe, so the registry, a session and a scripted domain all
/// hold it as `Arc<dyn Domain>`.
pub trait Domain: Send + Sync + 'static {
    /// The name a log declares (`"domain": "bank"`) and the Domain select shows.
    fn name(&self) -> &str;

    /// Every event type name the reducer knows; empty for a domain that takes any type as data.
    fn event_types(&self) -> &[&str];

    /// How many of a log's events this domain can read as its own, by type name. A domain that
    /// takes any type as data (the fallback) fits nothing, so it never wins over one that knows
    /// the events. A compiled domain also reads their data (see `data_fit`).
    fn fit(&self, log: &Log, types: &TypeCounts) -> Fit {
        let _ = log;
        let known = types.iter().filter(|(name, _)| self.event_types().contains(name)).map(|(_, n)| n).sum();
        Fit { known, total: types.total(), unreadable_data: None }
    }

    /// How many events apart this domain's snapshots are by default for a log of `len` events over
    /// `streams` streams: a domain whose events cost more to apply keeps them closer, so a seek
    /// stays as quick.
    fn snapshot_interval(&self, len: usize, streams: usize) -> usize {
        crate::timeline::snapshot_interval_for(len, streams)
    }

    /// A fold over events that arrive one at a time, for checking a log as it streams past
    /// (`ReducerFold` for a reducer).
    fn fold(&self) -> Box<dyn crate::fold::Fold>;

    /// Starts the first replay of `log` with this domain's reducer (see `Timeline`).
    fn replay(&self, log: &Log, plan: Plan, interval: usize) -> Box<dyn ReplayBuild>;

    /// The event types a correction may have, with their typed data fields (canonical spellings
    /// only). Empty: corrections are free-form, any type with a JSON object as data.
    fn correction_types(&self) -> &[CorrectionType] {
        &[]
    }

    /// The compensating event that cancels an event of type `type_name`, or why there is none.
    fn reversal(&self, type_name: &str) -> Result<Reversal, String> {
        Err(unknown_inverse(type_name))
    }
}

/// Why an event has no reversal Rewind can write.
pub fn unknown_inverse(type_name: &str) -> String {
    format!("Rewind does not know the inverse of {type_name}: write the corrective event yourself")
}

impl fmt::Debug for dyn Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Domain({})", self.name())
    }
}

impl fmt::Display for dyn Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Two domains are the same when they have the same name: the registry holds one of each.
pub fn same(a: &dyn Domain, b: &dyn Domain) -> bool {
    a.name() == b.name()
}

/// A compensating event: its type, and the data fields copied from the event it reverses.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Reversal {
    pub type_name: &'static str,
    pub copy: &'static [&'static str],
}

/// How well a domain fits a log: `known` of its `total` events are of types the domain knows;
/// `unreadable_data` says why their data does not fit, when most of what was checked lacks the
/// fields the domain reads (`ItemAdded` events with a `Description` but no `sku`). A field that is
/// there but unreadable (`"amount": "100"`) still fits: it is the domain's data, with a mistake
/// the replay then shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fit {
    pub known: usize,
    pub total: usize,
    pub unreadable_data: Option<String>,
}

/// How many of its events' data a compiled domain checks before it is chosen for a log.
const FIT_SAMPLE: usize = 200;

/// `Domain::fit` for a compiled reducer: the type names, then the data of up to `FIT_SAMPLE`
/// events of known types, each read on a fresh stream (a rule it breaks is fine; a field it needs
/// and does not find is not).
pub fn data_fit<R: Reducer>(reducer: &R, log: &Log, types: &TypeCounts) -> Fit {
    let known = types.iter().filter(|(name, _)| reducer.event_types().contains(name)).map(|(_, n)| n).sum();
    let mut checked = 0;
    let mut first_error: Option<(String, DataError)> = None;
    let mut errors = 0;
    for (position, event) in log.events().iter().enumerate() {
        if checked == FIT_SAMPLE {
            break;
        }
        let type_name = log.type_name(event);
        let Some(kind) = reducer.kind(type_name) else { continue };
        checked += 1;
        let view = EventRef::in_log(log, event, position);
        if let Err(error) = reducer.apply(&R::Stream::default(), kind, &view) {
            if !error.is_missing() {
                continue;
            }
            errors += 1;
            first_error.get_or_insert((type_name.to_string(), error));
        }
    }
    let unreadable_data = (errors * 2 > checked).then(|| {
        let (type_name, error) = first_error.expect("at least one error");
        let name = reducer.name();
        format!("{errors} of the {checked} {name} events checked lack data it needs ({type_name}: {error})")
    });
    Fit { known, total: types.total(), unreadable_data }
}

/// How many events of each type a log has, counted once for every domain to judge its fit.
#[derive(Clone, Debug, Default)]
pub struct TypeCounts(Vec<(String, usize)>);

impl TypeCounts {
    pub fn of_log(log: &Log) -> TypeCounts {
        let mut counts = vec![0usize; log.types().len()];
        for event in log.events() {
            counts[event.kind.index()] += 1;
        }
        // Events that could not be read are no domain's.
        if let Some(unreadable) = log.types().get(crate::log::UNREADABLE_TYPE) {
            counts[unreadable.index()] -= log.unreadable().len();
        }
        let mut named: Vec<(String, usize)> = log
            .types()
            .iter()
            .map(|(sym, name)| (name.to_string(), counts[sym.index()]))
            .filter(|(_, n)| *n > 0)
            .collect();
        named.sort_unstable();
        TypeCounts(named)
    }

    /// Each type name with its number of events, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, usize)> {
        self.0.iter().map(|(name, n)| (name.as_str(), *n))
    }

    pub fn total(&self) -> usize {
        self.0.iter().map(|(_, n)| n).sum()
    }

    /// The type names `pick` selects, comma-separated, for a reason a person reads.
    fn names(&self, pick: impl Fn(&str) -> bool) -> String {
        self.iter().filter(|(n, _)| pick(n)).map(|(n, _)| n).collect::<Vec<_>>().join(", ")
    }
}

/// The typed fold a compiled domain runs (`Timeline<R>` is generic over it, so replay makes no
/// dynamic call per event).
pub trait Reducer: Domain + Clone {
    /// The state of one stream (an account, an order).
    type Stream: Clone + Default + PartialEq + fmt::Debug + Send + Sync;
    /// The domain's own event types, resolved once per distinct type name at load.
    type Kind: Copy + fmt::Debug + Send + Sync;

    fn kind(&self, type_name: &str) -> Option<Self::Kind>;

    fn apply(&self, stream: &Self::Stream, kind: Self::Kind, event: &EventRef)
        -> Result<Step<Self::Stream>, DataError>;

    fn to_json(&self, stream: &Self::Stream) -> serde_json::Value;
}

/// `Domain::replay` for a compiled reducer.
pub fn replay_with<R: Reducer>(reducer: &R, log: &Log, plan: Plan, interval: usize) -> Box<dyn ReplayBuild> {
    Box::new(TimelineBuild::new(reducer.clone(), log, plan, interval))
}

/// What a reducer sees of one event.
pub struct EventRef<'a> {
    pub type_name: &'a str,
    pub stream: &'a str,
    /// True for the stream events land in when they name none; the bank treats that account as
    /// open from the start, so the classic three-event log needs no `AccountOpened`.
    pub stream_is_default: bool,
    /// The event's 0-based position in the log.
    pub position: usize,
    pub event: &'a Event,
}

impl<'a> EventRef<'a> {
    /// `event`, one of `log`'s, as a reducer sees it; `position` is where it stands in the input
    /// (its log position, or further on when the log is one piece of a longer stream).
    pub fn in_log(log: &'a Log, event: &'a Event, position: usize) -> EventRef<'a> {
        EventRef {
            type_name: log.type_name(event),
            stream: log.stream_name(event.stream),
            stream_is_default: log.is_default_stream(event.stream),
            position,
            event,
        }
    }

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

/// Which domain replays a log, and why, in words a person can read.
#[derive(Clone, Debug)]
pub struct DomainChoice {
    pub domain: Arc<dyn Domain>,
    pub reason: String,
}

impl DomainChoice {
    /// A reducer script, compiled to `domain`, replays the log.
    pub fn script(domain: Arc<dyn Domain>) -> DomainChoice {
        let reason = format!("your reducer script ({})", domain.name());
        DomainChoice { domain, reason }
    }
}

impl PartialEq for DomainChoice {
    fn eq(&self, other: &Self) -> bool {
        same(&*self.domain, &*other.domain) && self.reason == other.reason
    }
}

/// The log's declared domain wins. Otherwise the registered domain that fits best: one that knows
/// every event, failing that one that knows most of the events (at least half), with the types it
/// does not know folded as generic data and flagged; otherwise the fallback. A domain whose
/// reducer cannot read most of the data it knows is not chosen, and the reason says why.
pub fn choose_domain(log: &Log) -> DomainChoice {
    let types = &TypeCounts::of_log(log);
    if let Some(declared) = log.declared_domain() {
        return match find(declared) {
            Some(domain) => {
                let reason = format!("the log declares domain \"{}\"", domain.name());
                DomainChoice { domain, reason }
            }
            None => DomainChoice {
                domain: fallback(),
                reason: format!(
                    "the log declares domain \"{declared}\", which Rewind has no reducer for, so it is replayed as generic data"
                ),
            },
        };
    }
    let total = types.total();
    if total == 0 {
        return DomainChoice { domain: fallback(), reason: "the log has no events".into() };
    }
    let fits: Vec<(&Arc<dyn Domain>, Fit)> =
        registry().iter().map(|domain| (domain, domain.fit(log, types))).filter(|(_, fit)| fit.known > 0).collect();
    let refused: Vec<String> = fits
        .iter()
        .filter_map(|(domain, fit)| Some(format!("not {domain}: {}", fit.unreadable_data.as_ref()?)))
        .collect();
    // On a tie the later registered domain wins (the store over the bank, as before the registry).
    let best = fits.into_iter().filter(|(_, fit)| fit.unreadable_data.is_none()).fold(
        None::<(&Arc<dyn Domain>, Fit)>,
        |best, candidate| match best {
            Some(b) if b.1.known > candidate.1.known => Some(b),
            _ => Some(candidate),
        },
    );
    match best {
        Some((domain, fit)) if fit.known == total => DomainChoice {
            domain: Arc::clone(domain),
            reason: format!("every event type in the log ({}) is a {domain} event", types.names(|_| true)),
        },
        Some((domain, fit)) if fit.known * 2 >= total => {
            let unknown = types.names(|n| !domain.event_types().contains(&n));
            DomainChoice {
                domain: Arc::clone(domain),
                reason: format!(
                    "{} of {total} events are {domain} events; the others ({unknown}) are kept as generic data and flagged",
                    fit.known
                ),
            }
        }
        _ if !refused.is_empty() => DomainChoice {
            domain: fallback(),
            reason: format!("{}; so it is replayed as generic data", refused.join("; ")),
        },
        _ => DomainChoice {
            domain: fallback(),
            reason: format!(
                "no built-in domain knows most of the event types in the log ({}), so it is replayed as generic data",
                types.names(|_| true)
            ),
        },
    }
}

/// A domain the person chose, by name (the Domain select): the choice and its reason.
pub fn chosen(name: &str) -> Option<DomainChoice> {
    let domain = find(name)?;
    let reason = format!("you chose the {} domain", domain.name());
    Some(DomainChoice { domain, reason })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A log of events with these types (data every built-in domain reads), declaring `declared`.
    fn choose(declared: Option<&str>, names: &[&str]) -> DomainChoice {
        let events: Vec<String> =
            names.iter().map(|n| format!(r#"{{"type":"{n}","amount":1,"sku":"s","price":1}}"#)).collect();
        let text = match declared {
            Some(domain) => format!(r#"{{"domain":"{domain}","events":[{}]}}"#, events.join(",")),
            None => format!("[{}]", events.join(",")),
        };
        choose_domain(&crate::formats::parse_log(&text).unwrap())
    }

    #[test]
    fn declared_domain_wins_over_event_types() {
        let choice = choose(Some("store"), &["Deposit"]);
        assert_eq!(choice.domain.name(), "store");
    }

    #[test]
    fn unknown_declared_domain_falls_back_to_generic_and_says_so() {
        let choice = choose(Some("payments"), &["Deposit"]);
        assert_eq!(choice.domain.name(), "generic");
        assert!(choice.reason.contains("payments"), "{}", choice.reason);
    }

    #[test]
    fn bank_types_choose_bank() {
        let choice = choose(None, &["Deposit", "Withdraw", "Deposit"]);
        assert_eq!(choice.domain.name(), "bank");
        assert!(choice.reason.contains("Deposit, Withdraw"), "{}", choice.reason);
    }

    #[test]
    fn mostly_bank_types_choose_bank_and_name_the_rest() {
        let choice = choose(None, &["Deposit", "Deposit", "InterestAccrued"]);
        assert_eq!(choice.domain.name(), "bank");
        assert!(choice.reason.contains("2 of 3") && choice.reason.contains("InterestAccrued"), "{}", choice.reason);
    }

    #[test]
    fn mostly_unknown_types_choose_generic() {
        let choice = choose(None, &["Deposit", "TicketOpened", "TicketClosed"]);
        assert_eq!(choice.domain.name(), "generic");
    }

    #[test]
    fn a_domain_whose_data_does_not_fit_is_not_chosen_and_the_reason_says_why() {
        let log = crate::formats::parse_log(
            r#"[{"type":"ItemAdded","stream":"cart-1","Description":"Pink Shoes"},
                {"type":"ItemAdded","stream":"cart-1","Description":"Blue Shoes"}]"#,
        )
        .unwrap();
        let choice = choose_domain(&log);
        assert_eq!(choice.domain.name(), "generic");
        let reason = &choice.reason;
        assert!(reason.contains("not store: 2 of the 2 store events checked lack data it needs"), "{reason}");
        assert!(reason.contains("data.sku is missing"), "{reason}");
    }

    #[test]
    fn an_amount_written_as_text_is_still_the_banks_data_with_a_mistake() {
        let log = crate::formats::parse_log(r#"[{"type":"Deposit","amount":"100"}]"#).unwrap();
        assert_eq!(choose_domain(&log).domain.name(), "bank");
    }

    #[test]
    fn a_bank_log_with_a_few_unreadable_amounts_is_still_a_bank() {
        let log = crate::formats::parse_log(
            r#"[{"type":"Deposit","amount":1},{"type":"Deposit","amount":"2"},{"type":"Withdraw","amount":1}]"#,
        )
        .unwrap();
        assert_eq!(choose_domain(&log).domain.name(), "bank");
    }

    #[test]
    fn every_registered_domain_is_found_by_its_name_and_names_are_unique() {
        let names: Vec<&str> = registry().iter().map(|d| d.name()).collect();
        for name in &names {
            assert_eq!(find(&name.to_uppercase()).map(|d| d.name().to_string()).as_deref(), Some(*name));
            assert_eq!(names.iter().filter(|n| *n == name).count(), 1, "{name} registered once");
        }
        assert_eq!(fallback().name(), "generic");
    }

    #[test]
    fn every_correction_type_is_an_event_type_its_domain_knows() {
        for domain in registry() {
            for correction in domain.correction_types() {
                assert!(domain.event_types().contains(&correction.name), "{domain}: {}", correction.name);
            }
        }
    }
}
