//! The generated bank log loaded with the compiled bank and with `domains/bank.rhai`, natively:
//! each load (parse, replay, checks), and seeks into each.
//!
//!   cargo run --release -p rewind-script --example replay_bench -- [events]
use rewind_engine::domain::DomainChoice;
use rewind_engine::generate::{generate_log, GenerateOptions};
use rewind_engine::session::{Session, SessionLoad};
use rewind_script::ScriptDomain;
use std::sync::Arc;
use std::time::Instant;

fn main() {
    let events: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(1_000_000);
    let text = generate_log(GenerateOptions::bank(events));
    let started = Instant::now();
    let compiled = Session::load("bank", &text).expect("the generated log loads");
    let load = started.elapsed();
    let (_, domain) = ScriptDomain::built_in("bank.rhai").expect("bank.rhai ships");
    let domain = Arc::new(domain);
    let started = Instant::now();
    let scripted = SessionLoad::new("bank", text.as_str())
        .expect("the generated log reads")
        .with_domain_from(|_| Some(DomainChoice::script(domain)))
        .finish()
        .expect("the generated log loads");
    let script_load = started.elapsed();
    println!("{events} events, {:.1} MB", text.len() as f64 / 1e6);
    println!("compiled bank: load (parse, replay, checks) {:.0} ms", load.as_secs_f64() * 1e3);
    println!(
        "bank.rhai: load {:.0} ms ({:.1}x the compiled load)",
        script_load.as_secs_f64() * 1e3,
        script_load.as_secs_f64() / load.as_secs_f64()
    );
    assert_eq!(scripted.state_at(events / 2).0, compiled.state_at(events / 2).0, "same state half way");
    for (name, session) in [("compiled", &compiled), ("bank.rhai", &scripted)] {
        let mut times: Vec<f64> = (0..1000)
            .map(|i| {
                let position = (i * 7919 * 131) % (events + 1);
                let started = Instant::now();
                session.seek_only(position);
                started.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!(
            "{name}: seek p50 {:.2} ms, p99 {:.2} ms (interval {})",
            times[500],
            times[990],
            session.snapshot_interval()
        );
    }
}
