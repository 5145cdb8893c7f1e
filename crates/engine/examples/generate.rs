//! Writes a generated log: `cargo run --release --example generate -- bank 1000000 out.json`.
use rewind_engine::generate::{generate_log, GenerateOptions};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(domain), Some(Ok(events)), Some(path)) =
        (args.first(), args.get(1).map(|n| n.replace('_', "").parse::<usize>()), args.get(2))
    else {
        eprintln!("usage: generate <bank|store> <events> <output path>");
        return ExitCode::from(2);
    };
    let options = match domain.as_str() {
        "bank" => GenerateOptions::bank(events),
        "store" => GenerateOptions::store(events),
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
