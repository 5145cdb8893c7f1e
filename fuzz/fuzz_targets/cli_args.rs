//! The command line's argument parser: arguments (split at NUL or new lines) parse to a command or
//! a usage message, never a panic; a parsed command's options are what was given.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rewind_cli::args::{parse, Command};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let args: Vec<String> = text.split(['\0', '\n']).map(String::from).collect();
    let args = if text.is_empty() { Vec::new() } else { args };
    match parse(&args) {
        Ok(Command::Check(check)) => {
            assert!(!check.logs.is_empty());
            if let Some(partition) = check.replay.partition {
                assert!(partition.count > 0 && partition.index < partition.count, "{partition:?}");
            }
            for log in &check.logs {
                assert!(args.contains(log), "{log} was not given");
            }
        }
        Ok(Command::State { log, .. } | Command::Convert { log, .. } | Command::Find { log, .. }) => {
            assert!(args.contains(&log), "{log} was not given");
        }
        Ok(Command::Help) => {}
        Err(error) => assert!(!error.0.is_empty()),
    }
});
