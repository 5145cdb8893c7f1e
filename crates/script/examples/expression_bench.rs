//! Finding a conditional breakpoint's matches over the generated bank log, natively, against one
//! full replay of the same log (the target: no more than twice as long), with the compiled bank
//! and with `domains/bank.rhai`.
//!
//!   cargo run --release -p rewind-script --example expression_bench -- [events]
use rewind_engine::generate::{generate_log, GenerateOptions};
use rewind_engine::session::Session;
use rewind_script::query::{Expression, MatchSearch, SeriesScan};
use rewind_script::{script, ScriptDomain};
use std::sync::Arc;
use std::time::Instant;

/// Events per slice, about what the UI gets through in one 25 ms slice in the browser.
const SLICE: usize = 20_000;

const CONDITIONS: &[&str] = &[
    "stream.balance < 0",
    "stream.balance > 2000",
    r#"event.type == "Withdraw" && event.data.amount > 499"#,
    r#"state["acc-0001"].balance > 5000"#,
];

fn main() {
    let events: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(1_000_000);
    let text = generate_log(GenerateOptions::bank(events));
    let started = Instant::now();
    let compiled = Session::load("bank", &text).expect("the log loads");
    let load = started.elapsed().as_secs_f64() * 1e3;
    println!("{events} events: load (parse, replay, checks) {load:.0} ms");
    let (source, domain) = ScriptDomain::built_in("bank.rhai").expect("bank.rhai ships");
    let domain = Arc::new(domain);
    let scripted = compiled.with_reducer(script(source), domain);
    for (name, session) in [("compiled bank", &compiled), ("bank.rhai", &scripted)] {
        // A full replay: the same log replayed again into a new timeline (no parsing, no checks).
        let replay = fastest(|| drop(session.with_snapshot_interval(session.snapshot_interval())));
        println!("{name}: full replay {replay:.0} ms");
        for source in CONDITIONS {
            let expression = Expression::compile(source).expect("compiles");
            let mut found = 0;
            let took = fastest(|| {
                let mut search = MatchSearch::new(&expression, session);
                while !search.step(SLICE) {}
                found = search.matches().len();
            });
            println!("  matches of {source}: {found} in {took:.0} ms ({:.2}x the replay)", took / replay);
        }
        let expression = Expression::compile("stream.balance").expect("compiles");
        let took = fastest(|| {
            let mut series = SeriesScan::new(&expression, session, 120);
            while !series.step(SLICE) {}
            drop(series.finish());
        });
        println!("  sparkline of stream.balance in {took:.0} ms ({:.2}x the replay)", took / replay);
    }
}

/// The fastest of three runs, in ms: the least disturbed by whatever else the machine does.
fn fastest(mut run: impl FnMut()) -> f64 {
    (0..3)
        .map(|_| {
            let started = Instant::now();
            run();
            started.elapsed().as_secs_f64() * 1e3
        })
        .fold(f64::INFINITY, f64::min)
}
