//! `rewind check`: every problem in each log, printed like a compiler's, then a summary. A whole
//! file is loaded as the app loads it (so the integrity checks run too); JSON Lines on standard
//! input are checked as they arrive: each piece of lines is read, folded into the streams' states
//! and dropped, so memory follows the number of streams, not the number of events.
use crate::args::{Check, Format, Level, Partition};
use crate::locate::event_lines;
use crate::{carried_runs, load_options, named_domain, pick_domain, read_text, shown, Failure, FOUND, OK, UNUSABLE};
use rewind_engine::domain::{choose_domain, DomainChoice, EventRef};
use rewind_engine::fold::Fold;
use rewind_engine::formats::{refuse_empty, LoadOptions, LogReader};
use rewind_engine::inspect::{integrity, IntegrityWarning};
use rewind_engine::log::Log;
use rewind_engine::timeline::Severity;
use serde_json::{json, Value};
use std::cell::OnceCell;
use std::io::{BufRead, Write};
use std::time::{Duration, Instant};

/// Lines read, folded and dropped at a time when streaming.
const LINES_PER_PIECE: usize = 4096;

pub fn run(
    check: &Check,
    stdin: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
    progress: bool,
) -> Result<i32, Failure> {
    let mut worst = None::<Level>;
    let mut unusable = false;
    let mut reports = Vec::new();
    for name in &check.logs {
        let mut report = Report::new(shown(name), check, out);
        let result = if name == "-" {
            match first_lines(stdin)? {
                Head::Lines(head) => streamed(head, check, stdin, &mut report, err, progress),
                Head::Whole(head) => {
                    let mut rest = String::new();
                    stdin
                        .read_to_string(&mut rest)
                        .map_err(|e| Failure(format!("could not read standard input: {e}")))?;
                    whole(name, head + rest.as_str(), check, &mut report)
                }
            }
        } else {
            read_text(name, stdin).and_then(|text| whole(name, text, check, &mut report))
        };
        match result {
            Ok(()) => {
                worst = worst.max(report.worst);
                reports.push(report.finish()?);
            }
            Err(Failure(message)) => {
                let _ = writeln!(err, "rewind: {message}");
                unusable = true;
            }
        }
    }
    if check.format == Format::Json {
        let logs: Vec<Value> = reports.into_iter().flatten().collect();
        let failed = worst.is_some_and(|level| level >= check.fail_on);
        let document = json!({ "logs": logs, "fail_on": check.fail_on.word(), "failed": failed });
        writeln!(out, "{}", serde_json::to_string_pretty(&document).expect("JSON serializes"))?;
    }
    Ok(match (unusable, worst) {
        (true, _) => UNUSABLE,
        (false, Some(level)) if level >= check.fail_on => FOUND,
        _ => OK,
    })
}

/// A whole log: read as the app reads it, folded event by event like a stream (a check needs no
/// snapshots, which at 200,000 streams would be most of the time and memory), and checked for
/// integrity (ids across the whole log, sequences, times).
fn whole(name: &str, text: String, check: &Check, report: &mut Report) -> Result<(), Failure> {
    let options = load_options(&check.replay)?;
    let named = named_domain(&check.replay)?;
    let log = LogReader::with_options(text.as_str(), options)
        .and_then(LogReader::finish)
        .and_then(refuse_empty)
        .map_err(|e| Failure(format!("{}: {e}", shown(name))))?;
    carried_runs(name, named.is_some(), &log)?;
    let choice = pick_domain(named)(&log).unwrap_or_else(|| choose_domain(&log));
    let mut fold = choice.domain.fold();
    let warnings = integrity::check(&log);
    // Lines are found (one more pass over the text) only once there is a problem to print.
    let lines = OnceCell::new();
    let line = |i: usize| lines.get_or_init(|| event_lines(&text, log.format())).as_ref()?.get(i).copied();
    let partition = check.replay.partition;
    fold_log(fold.as_mut(), partition, &log, 0, &line, &warnings, report)?;
    let streams = log.active_streams().filter(|(_, name)| partition.is_none_or(|p| p.keeps(name))).count();
    report.done(log.len(), streams, choice.domain.name(), false);
    Ok(())
}

/// Folds `log`'s events of the streams `partition` keeps, the first being event `first` of the
/// whole input, reporting each problem at `line(i)` of the input; `warnings` (integrity, by
/// position) follow the problems of their event.
fn fold_log(
    fold: &mut dyn Fold,
    partition: Option<Partition>,
    log: &Log,
    first: usize,
    line: &dyn Fn(usize) -> Option<usize>,
    warnings: &[IntegrityWarning],
    report: &mut Report,
) -> Result<(), Failure> {
    let mut next_warning = 0;
    for (i, event) in log.events().iter().enumerate() {
        let position = first + i;
        if let Some(unreadable) = log.unreadable_at(i) {
            // An unreadable event has no stream to go by: the first partition reports it.
            if partition.is_none_or(|p| p.index == 0) {
                let message = format!("could not be read: {}", unreadable.error);
                report.problem(line(i), position, None, Some(Severity::Unreadable), &message)?;
            }
        } else {
            let stream = log.stream_name(event.stream());
            if partition.is_some_and(|p| !p.keeps(stream)) {
                continue;
            }
            let view = EventRef::in_log(log, event, position);
            let mut found = Vec::new();
            fold.apply(&view, &mut |severity, message| found.push((severity, message)));
            for (severity, message) in found {
                report.problem(line(i), position, Some(view.type_name), Some(severity), &message)?;
            }
        }
        while next_warning < warnings.len() && warnings[next_warning].position <= i {
            let warning = &warnings[next_warning];
            next_warning += 1;
            if warning.position == i {
                let type_name = log.unreadable_at(i).is_none().then(|| log.type_name(event));
                report.problem(line(i), position, type_name, None, &warning.message)?;
            }
        }
    }
    Ok(())
}

/// What the start of standard input says about how to read it.
enum Head {
    /// JSON Lines: the first two event lines (and any blank lines before them), read.
    Lines(String),
    /// Anything else (an array, an envelope, one event): what was read, to go on whole.
    Whole(String),
}

/// Reads up to the second non-blank line: JSON Lines when the first is a whole JSON object and
/// the second starts with `{` (the engine's own rule for detecting JSON Lines).
fn first_lines(stdin: &mut dyn BufRead) -> Result<Head, Failure> {
    let mut head = String::new();
    let mut found = Vec::new();
    while found.len() < 2 {
        let start = head.len();
        let read = stdin.read_line(&mut head).map_err(|e| Failure(format!("could not read standard input: {e}")))?;
        if read == 0 {
            break;
        }
        let line = head[start..].trim();
        if !line.is_empty() {
            found.push(line.to_string());
        }
        if found.len() == 1 && !line.is_empty() && !is_object(line) {
            break;
        }
    }
    Ok(match found.as_slice() {
        [first, second] if is_object(first) && second.starts_with('{') => Head::Lines(head),
        _ => Head::Whole(head),
    })
}

fn is_object(line: &str) -> bool {
    let line = line.trim_start_matches('\u{feff}');
    line.starts_with('{') && serde_json::from_str::<serde::de::IgnoredAny>(line).is_ok()
}

/// JSON Lines folded as they arrive, `LINES_PER_PIECE` at a time.
fn streamed(
    head: String,
    check: &Check,
    stdin: &mut dyn BufRead,
    report: &mut Report,
    err: &mut dyn Write,
    progress: bool,
) -> Result<(), Failure> {
    let mut stream = Streamed {
        options: load_options(&check.replay)?,
        named: named_domain(&check.replay)?,
        check,
        fold: None,
        domain: String::new(),
        lines_before: 0,
        events_before: 0,
    };
    let mut piece = String::new();
    let mut piece_lines = Vec::new();
    let mut line_number = 0;
    let mut shown_at = Instant::now();
    let mut add_line = |piece: &mut String, piece_lines: &mut Vec<usize>, line: &str| {
        line_number += 1;
        if !line.trim().is_empty() {
            piece_lines.push(line_number);
        }
        piece.push_str(line);
    };
    for line in head.split_inclusive('\n') {
        add_line(&mut piece, &mut piece_lines, line);
    }
    let mut line = String::new();
    loop {
        line.clear();
        let read = stdin.read_line(&mut line).map_err(|e| Failure(format!("could not read standard input: {e}")))?;
        if read > 0 {
            add_line(&mut piece, &mut piece_lines, &line);
        }
        if piece_lines.len() >= LINES_PER_PIECE || (read == 0 && !piece_lines.is_empty()) {
            let lines_in_piece = piece.split_inclusive('\n').count();
            stream.piece(&piece, &piece_lines, report)?;
            stream.lines_before += lines_in_piece;
            piece.clear();
            piece_lines.clear();
            if progress && shown_at.elapsed() > Duration::from_millis(500) {
                let streams = stream.fold.as_ref().map_or(0, |fold| fold.streams());
                let _ = write!(err, "\r{} events, {streams} streams…", stream.events_before);
                shown_at = Instant::now();
            }
        }
        if read == 0 {
            break;
        }
    }
    if progress {
        let _ = write!(err, "\r\x1b[K");
    }
    let streams = stream.fold.as_ref().map_or(0, |fold| fold.streams());
    let domain = std::mem::take(&mut stream.domain);
    report.done(stream.events_before, streams, &domain, true);
    Ok(())
}

/// A streamed check between two pieces: each stream's state, and where the next piece starts.
struct Streamed<'c> {
    options: LoadOptions,
    named: Option<DomainChoice>,
    check: &'c Check,
    fold: Option<Box<dyn Fold>>,
    domain: String,
    lines_before: usize,
    events_before: usize,
}

impl Streamed<'_> {
    fn piece(&mut self, text: &str, lines: &[usize], report: &mut Report) -> Result<(), Failure> {
        let reader = LogReader::lines(text, self.options.clone(), self.lines_before, self.events_before)
            .map_err(|e| Failure(format!("<stdin>: {e}")))?;
        let log = reader.finish().map_err(|e| Failure(format!("<stdin>: {e}")))?;
        if self.fold.is_none() {
            // The first piece decides, as the first events decide for a whole log.
            if self.options.mapping.is_none() {
                self.options.mapping = log.mapping().map(|(mapping, _)| mapping.clone());
            }
            let choice = self.named.take().unwrap_or_else(|| choose_domain(&log));
            self.domain = choice.domain.name().to_string();
            self.fold = Some(choice.domain.fold());
        }
        let fold = self.fold.as_deref_mut().expect("chosen above");
        let line = |i: usize| lines.get(i).copied();
        fold_log(fold, self.check.replay.partition, &log, self.events_before, &line, &[], report)?;
        self.events_before += log.len();
        drop::<Log>(log);
        Ok(())
    }
}

/// One log's problems as they are found: printed at once as text, or kept for the JSON.
struct Report<'o> {
    file: String,
    format: Format,
    out: &'o mut dyn Write,
    problems: Vec<Value>,
    counts: [usize; 3],
    worst: Option<Level>,
    summary: Option<Value>,
}

impl<'o> Report<'o> {
    fn new(file: &str, check: &Check, out: &'o mut dyn Write) -> Report<'o> {
        Report {
            file: file.to_string(),
            format: check.format,
            out,
            problems: Vec::new(),
            counts: [0; 3],
            worst: None,
            summary: None,
        }
    }

    /// `severity` is `None` for an integrity warning.
    fn problem(
        &mut self,
        line: Option<usize>,
        position: usize,
        type_name: Option<&str>,
        severity: Option<Severity>,
        message: &str,
    ) -> Result<(), Failure> {
        let level = match severity {
            Some(Severity::Violation) => Level::Violation,
            Some(Severity::Error | Severity::Unreadable) => Level::Error,
            Some(Severity::UnknownType) | None => Level::Warning,
        };
        self.counts[level as usize] += 1;
        self.worst = self.worst.max(Some(level));
        match self.format {
            Format::Text => {
                let at = match line {
                    Some(line) => format!("{}:{line}", self.file),
                    None => format!("{}: event {}", self.file, position + 1),
                };
                let of = type_name.map(|t| format!(" ({t})")).unwrap_or_default();
                writeln!(self.out, "{at}: {}: {message}{of}", level.word())?;
            }
            Format::Json => self.problems.push(json!({
                "line": line,
                "event": position + 1,
                "type": type_name,
                "severity": level.word(),
                "kind": severity.map_or("integrity", |s| s.id()),
                "message": message,
            })),
        }
        Ok(())
    }

    /// `streamed`: the integrity checks (which need the whole log) did not run.
    fn done(&mut self, events: usize, streams: usize, domain: &str, streamed: bool) {
        let [warnings, violations, errors] = self.counts;
        self.summary = Some(json!({
            "file": self.file,
            "events": events,
            "streams": streams,
            "domain": domain,
            "errors": errors,
            "violations": violations,
            "warnings": warnings,
            "integrity_checked": !streamed,
        }));
    }

    fn finish(self) -> Result<Option<Value>, Failure> {
        let Some(mut summary) = self.summary else { return Ok(None) };
        match self.format {
            Format::Text => {
                let count = |key: &str, one: &str, many: &str| {
                    let n = summary[key].as_u64().unwrap_or(0);
                    format!("{n} {}", if n == 1 { one } else { many })
                };
                writeln!(
                    self.out,
                    "{}: {} in {} ({}): {}, {}, {}",
                    self.file,
                    count("events", "event", "events"),
                    count("streams", "stream", "streams"),
                    summary["domain"].as_str().unwrap_or(""),
                    count("errors", "error", "errors"),
                    count("violations", "violation", "violations"),
                    count("warnings", "warning", "warnings"),
                )?;
                Ok(None)
            }
            Format::Json => {
                summary["problems"] = Value::Array(self.problems);
                Ok(Some(summary))
            }
        }
    }
}
