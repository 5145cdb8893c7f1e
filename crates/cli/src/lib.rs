//! The `rewind` command line: the app's engine checking, replaying, converting and searching logs
//! in a pipeline. Thin, like the app: reading input, choosing the domain and printing are here;
//! everything about events and state is the engine's.
//!
//! Exit codes: 0 nothing at or above `--fail-on` was found (or the command did its job), 1 something
//! was, 2 unreadable input or bad usage.
pub mod args;
mod check;
mod locate;

use args::{Command, ConvertTo, Replay, UsageError, USAGE};
use rewind_engine::domain::{self, DomainChoice};
use rewind_engine::formats::{decode_bytes, to_ndjson, LoadOptions, Mapping};
use rewind_engine::log::Log;
use rewind_engine::session::{Session, SessionLoad};
use rewind_script::query::{Expression, MatchSearch};
use rewind_script::{ScriptDomain, BUILT_IN};
use std::io::{BufRead, Write};
use std::sync::Arc;

pub const OK: i32 = 0;
pub const FOUND: i32 = 1;
pub const UNUSABLE: i32 = 2;

/// Runs one command line; the exit code. `progress`: standard error is a terminal, so a long
/// run may say how far it has got there.
pub fn run(args: &[String], stdin: &mut dyn BufRead, out: &mut dyn Write, err: &mut dyn Write, progress: bool) -> i32 {
    let command = match args::parse(args) {
        Ok(command) => command,
        Err(UsageError(message)) => {
            let _ = writeln!(err, "rewind: {message}\n\n{USAGE}");
            return UNUSABLE;
        }
    };
    let result = match command {
        Command::Help => write!(out, "{USAGE}").map(|()| OK).map_err(Failure::from),
        Command::Check(check) => check::run(&check, stdin, out, err, progress),
        Command::State { log, at, stream, replay } => state(&log, at, stream.as_deref(), &replay, stdin, out),
        Command::Convert { log, to, mapping } => {
            let replay = Replay { mapping, ..Replay::default() };
            convert(&log, to, &replay, stdin, out)
        }
        Command::Find { log, when, replay } => find(&log, &when, &replay, stdin, out, err),
    };
    match result {
        Ok(code) => code,
        Err(Failure(message)) => {
            let _ = writeln!(err, "rewind: {message}");
            UNUSABLE
        }
    }
}

/// Why a command could not do its job (exit 2), in a sentence.
#[derive(Debug)]
pub struct Failure(pub String);

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        Failure(format!("could not write the output: {error}"))
    }
}

/// A LOG argument's text: the file's bytes as text (UTF-8 or UTF-16), or all of standard input.
fn read_text(name: &str, stdin: &mut dyn BufRead) -> Result<String, Failure> {
    let bytes = if name == "-" {
        let mut bytes = Vec::new();
        stdin.read_to_end(&mut bytes).map_err(|e| Failure(format!("could not read standard input: {e}")))?;
        bytes
    } else {
        std::fs::read(name).map_err(|e| Failure(format!("could not read {name}: {e}")))?
    };
    decode_bytes(bytes).map_err(|e| Failure(format!("{}: {e}", shown(name))))
}

/// How a LOG is named in messages.
fn shown(name: &str) -> &str {
    if name == "-" {
        "<stdin>"
    } else {
        name
    }
}

/// The reading options `replay` asks for: strictness and the field mapping file.
fn load_options(replay: &Replay) -> Result<LoadOptions, Failure> {
    let mapping = match &replay.mapping {
        None => None,
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Failure(format!("could not read the mapping {}: {e}", path.display())))?;
            let mapping: Mapping = serde_json::from_str(&text).map_err(|e| {
                Failure(format!("{}:{}:{}: the mapping is not valid: {e}", path.display(), e.line(), e.column()))
            })?;
            Some(mapping)
        }
    };
    Ok(LoadOptions { strict: replay.strict, mapping })
}

/// The domain `replay` names: a reducer script (compiled), a registered domain or a built-in
/// script by name; `None` leaves it to the log (its own script) and then to Rewind.
fn named_domain(replay: &Replay) -> Result<Option<DomainChoice>, Failure> {
    if let Some(path) = &replay.reducer {
        let source = std::fs::read_to_string(path)
            .map_err(|e| Failure(format!("could not read the reducer {}: {e}", path.display())))?;
        let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        let domain = ScriptDomain::compile(&name, &source).map_err(|error| match (error.line, error.column) {
            (Some(line), Some(column)) => {
                Failure(format!("{}:{line}:{column}: error: {}", path.display(), error.message))
            }
            _ => Failure(format!("{}: error: {}", path.display(), error.message)),
        })?;
        return Ok(Some(DomainChoice::script(Arc::new(domain))));
    }
    let Some(name) = &replay.domain else { return Ok(None) };
    if let Some(choice) = domain::chosen(name) {
        return Ok(Some(choice));
    }
    if let Some((_, domain)) = ScriptDomain::built_in(name) {
        return Ok(Some(DomainChoice::script(Arc::new(domain))));
    }
    let mut names: Vec<String> = domain::registry().iter().map(|d| d.name().to_string()).collect();
    names.extend(BUILT_IN.iter().map(|(file, _)| file.to_string()));
    Err(Failure(format!("no domain {name:?}: the domains are {}", names.join(", "))))
}

/// The domain for `log`: the one named, else the script the log carries, else Rewind's choice.
fn pick_domain(named: Option<DomainChoice>) -> impl FnOnce(&Log) -> Option<DomainChoice> {
    move |log| named.or_else(|| ScriptDomain::carried(log))
}

/// A log that carries a reducer which cannot run (it does not compile, or is not Rhai) is
/// refused unless a domain is named: replayed by another domain instead, it would be checked
/// against rules it never had, and pass. (The page shows the script's error in its editor.)
fn carried_runs(name: &str, named: bool, log: &Log) -> Result<(), Failure> {
    match ScriptDomain::of_log(log) {
        Some(Err(error)) if !named => Err(Failure(format!(
            "{}: the log's reducer cannot run: {error}. Give --domain or --reducer to replay it with another",
            shown(name)
        ))),
        _ => Ok(()),
    }
}

/// Loads a whole LOG as the app does, with the domain `replay` asks for.
fn load(name: &str, replay: &Replay, stdin: &mut dyn BufRead) -> Result<Session, Failure> {
    let options = load_options(replay)?;
    let named = named_domain(replay)?;
    let is_named = named.is_some();
    let text = read_text(name, stdin)?;
    // Given the text to own, the load drops it once it is read.
    let session = SessionLoad::with_options(shown(name), text, options)
        .and_then(|load| load.with_domain_from(pick_domain(named)).finish())
        .map_err(|e| Failure(format!("{}: {e}", shown(name))))?;
    carried_runs(name, is_named, session.log())?;
    Ok(session)
}

fn state(
    name: &str,
    at: Option<usize>,
    stream: Option<&str>,
    replay: &Replay,
    stdin: &mut dyn BufRead,
    out: &mut dyn Write,
) -> Result<i32, Failure> {
    let session = load(name, replay, stdin)?;
    let len = session.len();
    let at = at.unwrap_or(len);
    if at > len {
        return Err(Failure(format!("{} has {len} events: --at takes 0 to {len}", shown(name))));
    }
    let mut state = match stream {
        Some(stream) => {
            let sym =
                session.stream(stream).ok_or_else(|| Failure(format!("{} has no stream {stream:?}", shown(name))))?;
            session.stream_state_at(sym, at)
        }
        None => session.state_at(at).0,
    };
    if let (Some(partition), serde_json::Value::Object(streams), None) = (replay.partition, &mut state, stream) {
        streams.retain(|name, _| partition.keeps(name));
    }
    writeln!(out, "{}", serde_json::to_string_pretty(&state).expect("JSON serializes"))?;
    Ok(OK)
}

fn convert(
    name: &str,
    to: ConvertTo,
    replay: &Replay,
    stdin: &mut dyn BufRead,
    out: &mut dyn Write,
) -> Result<i32, Failure> {
    let session = load(name, replay, stdin)?;
    match to {
        ConvertTo::Rewind => out.write_all(session.to_rewind_json().as_bytes())?,
        ConvertTo::Ndjson => out.write_all(to_ndjson(session.log()).as_bytes())?,
    }
    Ok(OK)
}

fn find(
    name: &str,
    when: &str,
    replay: &Replay,
    stdin: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Failure> {
    if replay.partition.is_some() {
        return Err(Failure("--partition applies to check and state, not find".into()));
    }
    let expression = Expression::compile(when).map_err(|e| Failure(format!("--when: {e}")))?;
    let session = load(name, replay, stdin)?;
    let mut search = MatchSearch::new(&expression, &session);
    while !search.step(usize::MAX) {}
    for position in search.matches() {
        writeln!(out, "{position}")?;
    }
    // An expression that fails counts as false: say where it first did, so a typo is not
    // silently "no matches".
    if let Some((position, why)) = search.first_problem() {
        let _ = writeln!(
            err,
            "rewind: note: --when could not be evaluated at position {position} (counted as false): {why}"
        );
    }
    Ok(OK)
}
