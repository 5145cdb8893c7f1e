//! How long comparing two logs takes: a generated bank log against a copy with one event's amount
//! changed (the common case: every other event is the same, so only one stream is folded), and
//! against a copy with one event inserted near the start (every later event sits at another log
//! position, so every stream is folded and compared state by state).
//!
//!     cargo run --release -p rewind-engine --example compare -- 1000000
use rewind_engine::generate::{generate_log, GenerateOptions};
use rewind_engine::session::Session;
use std::time::Instant;

fn main() {
    let events: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(1_000_000);
    let text = generate_log(GenerateOptions::bank(events));
    let started = Instant::now();
    let session = Session::load("a", &text).expect("a generated log loads");
    println!("{events} events: loaded in {:.2?}", started.elapsed());

    let middle = events / 2;
    let changed = change_amount(&text, middle);
    let inserted = text.replacen(
        "[\n",
        "[\n{\"id\":\"extra\",\"type\":\"Deposit\",\"stream\":\"acc-0000\",\"data\":{\"amount\":1.00}},\n",
        1,
    );
    for (what, other) in
        [(format!("event e{middle}'s amount changed"), changed), ("one event inserted first".into(), inserted)]
    {
        let started = Instant::now();
        let other = session.load_to_compare("b", other, Default::default()).unwrap().finish().unwrap();
        let loaded = started.elapsed();
        let started = Instant::now();
        let mut comparing = session.start_compare(&other).unwrap();
        let mut slices = 0;
        while !comparing.step(4_096) {
            slices += 1;
        }
        let comparison = comparing.finish();
        println!(
            "{what}: second log loaded in {loaded:.2?}; compared in {:.2?} ({slices} slices of 4,096): {}",
            started.elapsed(),
            comparison.summary()
        );
        if let Some(first) = comparison.differences.first() {
            let at = first.first.event_a.as_ref().or(first.first.event_b.as_ref()).unwrap();
            println!("  first difference: {} at {:?} ({})", first.stream, at.id, at.type_name);
        }
    }
}

/// `text` with event `e{n}`'s amount (or its first data field's value) replaced by 1234.56.
fn change_amount(text: &str, n: usize) -> String {
    let start = text.find(&format!("\"id\":\"e{n}\"")).expect("the event is in the log");
    let data = start + text[start..].find("\"data\":{").expect("it has data") + "\"data\":{".len();
    let value = data + text[data..].find(':').expect("a field") + 1;
    let end = value + text[value..].find(['}', ',']).expect("its value ends");
    format!("{}1234.56{}", &text[..value], &text[end..])
}
