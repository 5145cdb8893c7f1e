//! The slowest steps of a sliced load, as the page runs it (1,024 events a step): a step that
//! takes long is a long task in the page however short the slices are.
//! `cargo run --release --example load_steps -- path/to/log.json`.
use rewind_engine::session::SessionLoad;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: load_steps <log file>");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("cannot read {path}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut load = match SessionLoad::new("bench", text) {
        Ok(load) => load,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let mut steps = Vec::new();
    loop {
        let before = format!("{:?}", load.progress());
        let started = Instant::now();
        let done = load.step(1024);
        steps.push((started.elapsed().as_secs_f64() * 1e3, before));
        if done.is_some() {
            break;
        }
    }
    let total: f64 = steps.iter().map(|(ms, _)| ms).sum();
    println!("{} steps, {total:.0} ms in all; the slowest:", steps.len());
    steps.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (ms, progress) in steps.iter().take(6) {
        println!("{ms:>8.1} ms  after {progress}");
    }
    ExitCode::SUCCESS
}
