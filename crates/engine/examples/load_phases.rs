//! Where loading a log spends its time, phase by phase:
//! `cargo run --release --example load_phases -- path/to/log.json`.
use rewind_engine::domain::choose_domain;
use rewind_engine::formats::load_log;
use rewind_engine::inspect;
use rewind_engine::plan::{Plan, TimelineOrder};
use rewind_engine::timeline::{build_timeline, snapshot_interval_for};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: load_phases <log file>");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("cannot read {path}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut clock = Instant::now();
    let mut lap = |phase: &str| {
        println!("{phase:<16} {:>8.1} ms", clock.elapsed().as_secs_f64() * 1e3);
        clock = Instant::now();
    };
    let log = match load_log(&text) {
        Ok(log) => log,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    lap("parse");
    let choice = choose_domain(&log);
    lap("choose domain");
    let plan = Plan::new(&log, TimelineOrder::default(), []);
    lap("plan");
    let timeline = build_timeline(&*choice.domain, &log, plan, snapshot_interval_for(log.len(), log.streams().len()));
    lap("replay");
    let warnings = inspect::check(&log);
    lap("integrity");
    println!("{} events, {} snapshots, {} warnings", log.len(), timeline.snapshot_count(), warnings.len());
    // A cursor move: the seek alone, and the seek with the state turned into JSON for the view.
    let positions: Vec<usize> = (1..=200).map(|i| i * 7_919 * 131 % (log.len() + 1)).collect();
    clock = Instant::now();
    for &position in &positions {
        timeline.seek_only(&log, position);
    }
    println!("{:<16} {:>8.3} ms", "seek (each)", clock.elapsed().as_secs_f64() * 1e3 / 200.0);
    clock = Instant::now();
    for &position in &positions {
        timeline.seek_json(&log, position);
    }
    println!("{:<16} {:>8.3} ms", "seek+JSON (each)", clock.elapsed().as_secs_f64() * 1e3 / 200.0);
    ExitCode::SUCCESS
}
