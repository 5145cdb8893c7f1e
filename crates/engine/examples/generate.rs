//! Writes a generated log: `cargo run --release --example generate -- bank 1000000 out.json [streams]`
//! (1,000 streams unless told).
use rewind_engine::generate::{generate_log, GenerateOptions};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(domain), Some(Ok(events)), Some(path)) =
        (args.first(), args.get(1).map(|n| n.replace('_', "").parse::<usize>()), args.get(2))
    else {
        eprintln!("usage: generate <bank|store> <events> <output path> [streams]");
        return ExitCode::from(2);
    };
    let streams = match args.get(3).map(|n| n.replace('_', "").parse::<usize>()) {
        None => 1_000,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("streams must be a number above 0");
            return ExitCode::from(2);
        }
    };
    let options = match domain.as_str() {
        "bank" => GenerateOptions { streams, ..GenerateOptions::bank(events) },
        "store" => GenerateOptions { streams, ..GenerateOptions::store(events) },
        other => {
            eprintln!("unknown domain {other:?}: use bank or store");
            return ExitCode::from(2);
        }
    };
    if let Err(error) = std::fs::write(path, generate_log(options)) {
        eprintln!("cannot write {path}: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
