//! The command line, parsed into what to do. Hand-written (no parser crate): the grammar is small,
//! and every mistake gets a message that says what was expected.
use std::fmt;
use std::path::PathBuf;

pub const USAGE: &str = "\
usage: rewind <command> [options]

commands:
  check LOG... [--reducer FILE.rhai | --domain NAME] [--mapping FILE] [--strict]
               [--fail-on error|violation|warning] [--format text|json] [--partition I/N]
      Replays each log and prints every problem like a compiler (file:line: severity: message).
      Exit 0 when nothing at or above --fail-on (default violation) was found, 1 when something
      was, 2 for unreadable input or bad usage.
  state LOG [--at N] [--stream S] [--reducer FILE.rhai | --domain NAME] [--mapping FILE]
      The state after N events (default: all) as JSON; one stream's with --stream.
  convert LOG --to rewind|ndjson [--mapping FILE]
      The log in Rewind JSON or JSON Lines, losslessly, as the app exports it.
  find LOG --when EXPR [--reducer FILE.rhai | --domain NAME] [--mapping FILE]
      The positions (events applied, from 1) where EXPR starts to hold, one per line.

LOG is a file, or - for standard input. JSON Lines on standard input are checked as they arrive,
keeping only each stream's state. --partition I/N keeps the streams whose stable hash modulo N is I.
";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Check(Check),
    State { log: String, at: Option<usize>, stream: Option<String>, replay: Replay },
    Convert { log: String, to: ConvertTo, mapping: Option<PathBuf> },
    Find { log: String, when: String, replay: Replay },
    Help,
}

/// How a log is read and replayed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Replay {
    pub reducer: Option<PathBuf>,
    pub domain: Option<String>,
    pub mapping: Option<PathBuf>,
    pub strict: bool,
    pub partition: Option<Partition>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub logs: Vec<String>,
    pub replay: Replay,
    pub fail_on: Level,
    pub format: Format,
}

/// How serious a problem is, for `--fail-on`: each level includes the ones above it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Warning,
    Violation,
    Error,
}

impl Level {
    pub fn word(self) -> &'static str {
        match self {
            Level::Warning => "warning",
            Level::Violation => "violation",
            Level::Error => "error",
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ConvertTo {
    Rewind,
    Ndjson,
}

/// `--partition I/N`: this process keeps the streams whose hash modulo `count` is `index`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Partition {
    pub index: u64,
    pub count: u64,
}

impl Partition {
    /// Whether `stream` belongs here. FNV-1a over the name's bytes: stable across runs, machines
    /// and versions, so N processes split the streams between them exactly.
    pub fn keeps(&self, stream: &str) -> bool {
        stable_hash(stream) % self.count == self.index
    }
}

pub fn stable_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3))
}

/// Bad usage, said plainly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn wrong(message: impl Into<String>) -> UsageError {
    UsageError(message.into())
}

/// Parses the arguments after the program's name.
pub fn parse(args: &[String]) -> Result<Command, UsageError> {
    let Some((command, rest)) = args.split_first() else { return Ok(Command::Help) };
    let mut options = Options::read(rest)?;
    let command = match command.as_str() {
        "-h" | "--help" | "help" => return Ok(Command::Help),
        "check" => {
            if options.logs.is_empty() {
                return Err(wrong("check needs at least one LOG (a file, or - for standard input)"));
            }
            let fail_on = match options.take("--fail-on").as_deref() {
                None | Some("violation") => Level::Violation,
                Some("error") => Level::Error,
                Some("warning") => Level::Warning,
                Some(other) => {
                    return Err(wrong(format!("--fail-on takes error, violation or warning, not {other:?}")))
                }
            };
            let format = match options.take("--format").as_deref() {
                None | Some("text") => Format::Text,
                Some("json") => Format::Json,
                Some(other) => return Err(wrong(format!("--format takes text or json, not {other:?}"))),
            };
            let logs = std::mem::take(&mut options.logs);
            Command::Check(Check { logs, replay: options.replay()?, fail_on, format })
        }
        "state" => {
            let log = options.one_log("state")?;
            let at = match options.take("--at") {
                None => None,
                Some(n) => Some(n.parse().map_err(|_| wrong(format!("--at takes a number of events, not {n:?}")))?),
            };
            let stream = options.take("--stream");
            Command::State { log, at, stream, replay: options.replay()? }
        }
        "convert" => {
            let log = options.one_log("convert")?;
            let to = match options.take("--to").as_deref() {
                Some("rewind") => ConvertTo::Rewind,
                Some("ndjson") => ConvertTo::Ndjson,
                Some(other) => return Err(wrong(format!("--to takes rewind or ndjson, not {other:?}"))),
                None => return Err(wrong("convert needs --to rewind or --to ndjson")),
            };
            let mapping = options.take("--mapping").map(PathBuf::from);
            Command::Convert { log, to, mapping }
        }
        "find" => {
            let log = options.one_log("find")?;
            let when = options.take("--when").ok_or_else(|| wrong("find needs --when EXPR"))?;
            Command::Find { log, when, replay: options.replay()? }
        }
        other => return Err(wrong(format!("no command {other:?}: the commands are check, state, convert and find"))),
    };
    options.finish()?;
    Ok(command)
}

/// The options after the command, each taken as the command reads it; whatever is left over
/// was not meant for this command.
struct Options {
    logs: Vec<String>,
    valued: Vec<(String, String)>,
    flags: Vec<String>,
}

/// Options that take a value, and flags that do not.
const VALUED: &[&str] = &[
    "--reducer",
    "--domain",
    "--mapping",
    "--fail-on",
    "--format",
    "--at",
    "--stream",
    "--to",
    "--when",
    "--partition",
];
const FLAGS: &[&str] = &["--strict"];

impl Options {
    fn read(args: &[String]) -> Result<Options, UsageError> {
        let mut options = Options { logs: Vec::new(), valued: Vec::new(), flags: Vec::new() };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            if arg == "-" || !arg.starts_with('-') {
                options.logs.push(arg.clone());
                continue;
            }
            let (name, inline) = match arg.split_once('=') {
                Some((name, value)) => (name, Some(value.to_string())),
                None => (arg.as_str(), None),
            };
            if VALUED.contains(&name) {
                let value = match inline {
                    Some(value) => value,
                    None => args.next().cloned().ok_or_else(|| wrong(format!("{name} needs a value")))?,
                };
                if options.valued.iter().any(|(n, _)| n == name) {
                    return Err(wrong(format!("{name} is given twice")));
                }
                options.valued.push((name.to_string(), value));
            } else if FLAGS.contains(&name) && inline.is_none() {
                options.flags.push(name.to_string());
            } else {
                return Err(wrong(format!("unknown option {arg:?} (rewind --help lists them)")));
            }
        }
        Ok(options)
    }

    fn take(&mut self, name: &str) -> Option<String> {
        let at = self.valued.iter().position(|(n, _)| n == name)?;
        Some(self.valued.remove(at).1)
    }

    fn flag(&mut self, name: &str) -> bool {
        let before = self.flags.len();
        self.flags.retain(|f| f != name);
        self.flags.len() != before
    }

    fn one_log(&mut self, command: &str) -> Result<String, UsageError> {
        match self.logs.len() {
            1 => Ok(self.logs.remove(0)),
            0 => Err(wrong(format!("{command} needs a LOG (a file, or - for standard input)"))),
            _ => Err(wrong(format!("{command} takes one LOG, not {}", self.logs.len()))),
        }
    }

    fn replay(&mut self) -> Result<Replay, UsageError> {
        let reducer = self.take("--reducer").map(PathBuf::from);
        let domain = self.take("--domain");
        if reducer.is_some() && domain.is_some() {
            return Err(wrong("give --reducer or --domain, not both"));
        }
        let partition = match self.take("--partition") {
            None => None,
            Some(text) => Some(parse_partition(&text)?),
        };
        Ok(Replay {
            reducer,
            domain,
            mapping: self.take("--mapping").map(PathBuf::from),
            strict: self.flag("--strict"),
            partition,
        })
    }

    fn finish(self) -> Result<(), UsageError> {
        if let Some(log) = self.logs.first() {
            return Err(wrong(format!("unexpected argument {log:?}")));
        }
        if let Some((name, _)) = self.valued.first() {
            return Err(wrong(format!("{name} does not apply to this command")));
        }
        if let Some(flag) = self.flags.first() {
            return Err(wrong(format!("{flag} does not apply to this command")));
        }
        Ok(())
    }
}

fn parse_partition(text: &str) -> Result<Partition, UsageError> {
    let bad = || wrong(format!("--partition takes I/N with 0 <= I < N (0/4, 3/4), not {text:?}"));
    let (index, count) = text.split_once('/').ok_or_else(bad)?;
    let (index, count): (u64, u64) = (index.parse().map_err(|_| bad())?, count.parse().map_err(|_| bad())?);
    if count == 0 || index >= count {
        return Err(bad());
    }
    Ok(Partition { index, count })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_line(line: &str) -> Result<Command, UsageError> {
        parse(&line.split_whitespace().map(String::from).collect::<Vec<_>>())
    }

    #[test]
    fn check_takes_logs_and_options_in_any_order() {
        let Command::Check(check) =
            parse_line("check a.json --fail-on warning - --format=json --partition 1/4 --strict").unwrap()
        else {
            panic!("a check")
        };
        assert_eq!(check.logs, ["a.json", "-"]);
        assert_eq!((check.fail_on, check.format), (Level::Warning, Format::Json));
        assert_eq!(check.replay.partition, Some(Partition { index: 1, count: 4 }));
        assert!(check.replay.strict);
    }

    #[test]
    fn mistakes_say_what_was_expected() {
        let cases = [
            ("check", "check needs at least one LOG"),
            ("check a --fail-on sometimes", "--fail-on takes error, violation or warning"),
            ("check a --partition 4/4", "--partition takes I/N"),
            ("check a --partition x", "--partition takes I/N"),
            ("check a --reducer r.rhai --domain bank", "not both"),
            ("check a --to ndjson", "--to does not apply"),
            ("check a --bogus", "unknown option \"--bogus\""),
            ("state a b", "state takes one LOG, not 2"),
            ("state a --at ten", "--at takes a number"),
            ("convert a", "convert needs --to"),
            ("find a", "find needs --when"),
            ("frobnicate", "no command \"frobnicate\""),
            ("check a --format", "--format needs a value"),
            ("check a --strict --strict --at 1", "--at does not apply"),
            ("check a --domain x --domain y", "--domain is given twice"),
        ];
        for (line, expected) in cases {
            let error = parse_line(line).unwrap_err();
            assert!(error.0.contains(expected), "{line}: {error}");
        }
    }

    #[test]
    fn no_arguments_or_help_ask_for_the_usage() {
        assert_eq!(parse(&[]).unwrap(), Command::Help);
        assert_eq!(parse_line("--help").unwrap(), Command::Help);
    }

    #[test]
    fn the_stream_hash_is_stable_and_spreads_streams() {
        assert_eq!(stable_hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(stable_hash("a"), 0xaf63_dc4c_8601_ec8c);
        let partition = |i| Partition { index: i, count: 4 };
        let kept: Vec<usize> =
            (0..4).map(|i| (0..1000).filter(|n| partition(i).keeps(&format!("acc-{n}"))).count()).collect();
        assert_eq!(kept.iter().sum::<usize>(), 1000);
        assert!(kept.iter().all(|&n| n > 150), "{kept:?}");
    }
}
