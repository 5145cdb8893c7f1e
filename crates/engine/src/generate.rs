//! A deterministic, seeded log generator: any number of events for the bank or the store, the
//! same bytes for the same options on every machine. Benchmarks, scale tests and the snapshot
//! lesson use it.
//!
//! Money moves the way a real ledger's would (withdrawals mostly within the balance, every order
//! paid before it ships), with a rare deliberate mistake so the markers and checks have something
//! to find.
use std::fmt::Write;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum GeneratedDomain {
    Bank,
    Store,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct GenerateOptions {
    pub domain: GeneratedDomain,
    pub events: usize,
    /// Accounts or orders open at once.
    pub streams: usize,
    pub seed: u64,
}

impl GenerateOptions {
    pub fn bank(events: usize) -> Self {
        GenerateOptions { domain: GeneratedDomain::Bank, events, streams: 1_000, seed: 42 }
    }

    pub fn store(events: usize) -> Self {
        GenerateOptions { domain: GeneratedDomain::Store, events, streams: 1_000, seed: 42 }
    }
}

/// SplitMix64: tiny, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// 2024-01-01T00:00:00Z; events follow each other by a few seconds to a few minutes.
const START_SECONDS: i64 = 1_704_067_200;

/// The log as Rewind JSON, one event per line.
pub fn generate_log(options: GenerateOptions) -> String {
    let mut out = String::with_capacity(options.events * 120 + 64);
    let domain = match options.domain {
        GeneratedDomain::Bank => "bank",
        GeneratedDomain::Store => "store",
    };
    let _ = writeln!(out, "{{\"domain\":\"{domain}\",\"events\":[");
    let mut rng = Rng(options.seed);
    let mut clock = START_SECONDS;
    let streams = options.streams.max(1);
    // Per stream: events so far (its seq) and a running amount in cents (balance, or order total).
    let mut seq = vec![0u64; streams];
    let mut cents = vec![0i64; streams];
    let mut stage = vec![0u8; streams];
    for n in 0..options.events {
        clock += 1 + rng.below(120) as i64;
        let s = rng.below(streams as u64) as usize;
        seq[s] += 1;
        let (kind, data) = match options.domain {
            GeneratedDomain::Bank => bank_event(&mut rng, seq[s], &mut cents[s]),
            GeneratedDomain::Store => store_event(&mut rng, &mut stage[s], &mut cents[s]),
        };
        let stream = match options.domain {
            GeneratedDomain::Bank => format!("acc-{s:04}"),
            // An order stream ends once delivered or cancelled: the next one takes its slot.
            GeneratedDomain::Store => format!("order-{s:04}-{}", seq[s] / 6),
        };
        let at = OffsetDateTime::from_unix_timestamp(clock).expect("in range").format(&Rfc3339).expect("formats");
        if n > 0 {
            out.push_str(",\n");
        }
        let _ = write!(
            out,
            "{{\"id\":\"e{n}\",\"type\":\"{kind}\",\"stream\":\"{stream}\",\"seq\":{},\"recorded_at\":\"{at}\",\"data\":{data}}}",
            seq[s]
        );
    }
    out.push_str("\n]}\n");
    out
}

fn amount(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

fn bank_event(rng: &mut Rng, seq: u64, balance: &mut i64) -> (&'static str, String) {
    if seq == 1 {
        return ("AccountOpened", format!("{{\"owner\":\"customer {}\"}}", rng.below(100_000)));
    }
    let cents = 100 + rng.below(50_000) as i64;
    // One withdrawal in ten thousand overdraws on purpose.
    let overdraw = rng.below(10_000) == 0;
    if rng.below(2) == 0 && (cents <= *balance || overdraw) {
        *balance -= cents;
        ("Withdraw", format!("{{\"amount\":{}}}", amount(cents)))
    } else {
        *balance += cents;
        ("Deposit", format!("{{\"amount\":{}}}", amount(cents)))
    }
}

/// Each order walks placed → item added → paid → shipped → delivered, one step per event; a few
/// are cancelled (and refunded) instead of shipped.
fn store_event(rng: &mut Rng, stage: &mut u8, total: &mut i64) -> (&'static str, String) {
    let step = *stage % 6;
    *stage += 1;
    match step {
        0 => {
            let price = 500 + rng.below(10_000) as i64;
            *total = price;
            let data = format!(
                "{{\"customer\":\"c{}\",\"items\":[{{\"sku\":\"SKU-{}\",\"qty\":1,\"price\":{}}}]}}",
                rng.below(50_000),
                rng.below(500),
                amount(price)
            );
            ("OrderPlaced", data)
        }
        1 => {
            let price = 100 + rng.below(5_000) as i64;
            let qty = 1 + rng.below(3) as i64;
            *total += price * qty;
            (
                "ItemAdded",
                format!("{{\"sku\":\"SKU-{}\",\"qty\":{qty},\"price\":{}}}", 500 + rng.below(500), amount(price)),
            )
        }
        2 => ("PaymentReceived", format!("{{\"amount\":{}}}", amount(*total))),
        3 if rng.below(20) == 0 => {
            *stage = 5;
            ("OrderCancelled", "{\"reason\":\"customer request\"}".to_string())
        }
        3 => ("OrderShipped", "{\"carrier\":\"Parcelnet\"}".to_string()),
        4 => ("OrderDelivered", "{}".to_string()),
        _ => ("RefundIssued", format!("{{\"amount\":{}}}", amount(*total))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Session;

    #[test]
    fn the_same_options_give_the_same_bytes() {
        assert_eq!(generate_log(GenerateOptions::bank(500)), generate_log(GenerateOptions::bank(500)));
        assert_ne!(
            generate_log(GenerateOptions::bank(500)),
            generate_log(GenerateOptions { seed: 7, ..GenerateOptions::bank(500) })
        );
    }

    #[test]
    fn a_generated_bank_log_loads_with_every_event_and_few_violations() {
        let session = Session::load("generated", &generate_log(GenerateOptions::bank(20_000))).unwrap();
        assert_eq!(session.len(), 20_000);
        assert!(session.problems().len() < 20, "{} problems", session.problems().len());
        assert!(session.integrity().is_empty(), "{:?}", &session.integrity()[..1]);
    }

    #[test]
    fn a_generated_store_log_loads_in_the_store_domain() {
        let session = Session::load("generated", &generate_log(GenerateOptions::store(5_000))).unwrap();
        assert_eq!(session.domain().name(), "store");
        assert_eq!(session.len(), 5_000);
    }

    #[test]
    fn a_million_bank_events_is_about_111_mb() {
        let bytes_per_event = generate_log(GenerateOptions::bank(10_000)).len() / 10_000;
        assert!((100..=125).contains(&bytes_per_event), "{bytes_per_event} bytes per event");
    }
}
