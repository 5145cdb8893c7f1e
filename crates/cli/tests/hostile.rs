//! The hostile-input corpus (`tests/fixtures/hostile/`, issue 18): every file loaded through the
//! page's own path for a picked file (size check, `decode_bytes`, `SessionLoad` in slices with the
//! log's carried script), compared with what `expected.json` says it must give — a located error,
//! or the events with their errors, violations, unreadable events and integrity warnings at the
//! right positions. Large inputs (10 MB strings, 20,000-deep nesting, 200,000 streams) are made
//! here rather than committed: their manifest entries say `"generated"`. Then the command line:
//! `rewind check` over each must exit 0, 1 or 2 and never crash.
//!
//! `HOSTILE_PRINT=1 cargo test -p rewind-cli --test hostile -- --nocapture` prints every outcome
//! as a manifest entry, to review when a file is added.
use rewind_engine::formats::{check_size, decode_bytes, LoadError, LoadOptions, DEFAULT_MAX_BYTES};
use rewind_engine::session::{Session, SessionLoad};
use rewind_engine::timeline::Severity;
use rewind_script::ScriptDomain;
use serde_json::{json, Map, Value};
use std::path::PathBuf;
use std::process::Command;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/hostile")
}

fn manifest() -> Map<String, Value> {
    let text = std::fs::read_to_string(corpus().join("expected.json")).expect("the manifest is there");
    match serde_json::from_str(&text).expect("the manifest is JSON") {
        Value::Object(files) => files,
        _ => panic!("the manifest is an object: file → outcome"),
    }
}

/// The bytes of a manifest entry: the committed file, or the input `generated` names, made now.
fn bytes_of(name: &str, entry: &Value) -> Vec<u8> {
    if entry.get("generated").is_some() {
        return generate(name);
    }
    std::fs::read(corpus().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

const MB10: usize = 10 * 1024 * 1024;

/// Inputs too large to commit, made the same way every time.
fn generate(name: &str) -> Vec<u8> {
    let deep = |open: &str, close: &str, depth: usize| format!("{}1{}", open.repeat(depth), close.repeat(depth));
    let text = match name {
        "nest-top-20000.json" => format!("{}{}", "[".repeat(20_000), "]".repeat(20_000)),
        "nest-data-20000.json" => {
            format!(r#"[{{"type":"A"}},{{"type":"Note","data":{}}}]"#, deep(r#"{"a":"#, "}", 20_000))
        }
        "nest-ndjson-20000.ndjson" => {
            format!("{{\"type\":\"A\"}}\n{{\"type\":\"B\",\"x\":{}}}\n", deep("[", "]", 20_000))
        }
        "string-10mb-data.json" => format!(r#"[{{"type":"Note","text":"{}"}}]"#, "x".repeat(MB10)),
        "string-10mb-type.json" => format!(r#"[{{"type":"{}"}}]"#, "T".repeat(MB10)),
        "string-10mb-stream.json" => format!(r#"[{{"type":"A","stream":"{}"}}]"#, "s".repeat(MB10)),
        "string-10mb-key.json" => format!(r#"[{{"type":"A","{}":1}}]"#, "k".repeat(MB10)),
        "string-10mb-escapes.json" => format!(r#"[{{"type":"A","text":"{}"}}]"#, "\\u003c".repeat(MB10 / 6)),
        "streams-200000.json" => {
            let events: Vec<String> =
                (0..200_000).map(|i| format!(r#"{{"type":"Seen","stream":"s{i}","n":{i}}}"#)).collect();
            format!("[{}]", events.join(",\n"))
        }
        "ids-100kb.json" => {
            let id = |c: char| c.to_string().repeat(100 * 1024);
            format!(
                r#"[{{"type":"A","id":"{}"}},{{"type":"A","id":"{}"}},{{"type":"A","id":"{}"}}]"#,
                id('a'),
                id('b'),
                id('a')
            )
        }
        "stream-100kb.json" => {
            let stream = "<b>".repeat(100 * 1024 / 3);
            format!(r#"[{{"type":"A","stream":"{stream}"}},{{"type":"A","stream":"{stream}"}}]"#)
        }
        "unreadable-200000.json" => {
            let events: Vec<String> = (0..200_000).map(|i| format!(r#"{{"amount":{i}}}"#)).collect();
            format!("[{{\"type\":\"A\"}},\n{}]", events.join(",\n"))
        }
        "envelope-keys-100000.json" => {
            let keys: Vec<String> = (0..100_000).map(|i| format!(r#""k{i}":{i}"#)).collect();
            format!(r#"{{{},"events":[{{"type":"A"}}],"k0":0}}"#, keys.join(","))
        }
        "keys-100000.json" => {
            let keys: Vec<String> = (0..100_000).map(|i| format!(r#""k{i}":{i}"#)).collect();
            format!(r#"[{{"type":"A","data":{{{},"k99999":0}}}}]"#, keys.join(","))
        }
        other => panic!("no generator for {other}"),
    };
    text.into_bytes()
}

/// What loading gave, in the manifest's terms.
fn outcome(bytes: Vec<u8>) -> Value {
    let session = match load_as_the_page_does(bytes) {
        Ok(session) => session,
        Err(error) => {
            let mut out = json!({ "error": error.to_string() });
            if let LoadError::Syntax { line, .. } = error {
                out["line"] = json!(line);
            }
            return out;
        }
    };
    let problems = |severity: Severity| -> Vec<Value> {
        session
            .problems()
            .iter()
            .filter(|p| p.severity == severity)
            .map(|p| json!([session.event(p.position).0, p.message]))
            .collect()
    };
    // The page shows the state at the end of the log once it is loaded: it must be there.
    let (state, _) = session.state_at(session.len());
    assert!(
        state.is_object(),
        "the state at the end is an object: {}",
        state.to_string().chars().take(200).collect::<String>()
    );
    let mut out = json!({ "events": session.len(), "streams": session.active_streams().count() });
    let lists = [
        ("errors", problems(Severity::Error)),
        ("violations", problems(Severity::Violation)),
        ("unreadable", session.unreadable().iter().map(|u| json!([u.position, u.error.to_string()])).collect()),
        (
            "warnings",
            session.integrity().iter().map(|w| json!([w.position, format!("{:?}", w.kind), w.message])).collect(),
        ),
    ];
    for (name, list) in lists {
        if !list.is_empty() {
            out[name] = Value::Array(list);
        }
    }
    out
}

/// `open_log_file.rs`'s path for a picked file: the size limit, an empty file, the bytes decoded,
/// then the session loaded a slice at a time with the log's own script if it carries one.
fn load_as_the_page_does(bytes: Vec<u8>) -> Result<Session, LoadError> {
    check_size(bytes.len(), DEFAULT_MAX_BYTES)?;
    if bytes.is_empty() {
        return Err(LoadError::EmptyFile);
    }
    let text = decode_bytes(bytes)?;
    let mut load =
        SessionLoad::with_options("hostile", text, LoadOptions::default())?.with_domain_from(ScriptDomain::carried);
    loop {
        if let Some(result) = load.step(1000) {
            return result;
        }
    }
}

/// Whether `actual` is what `expected` says: an error's message contains the expected text (and
/// a syntax error is on the expected line); a loaded log has the expected count of events (and of
/// streams when said) and exactly the listed problems, each at its position with a message that
/// contains the expected text (warnings also of the expected kind).
fn matches(expected: &Value, actual: &Value) -> Result<(), String> {
    if let Some(text) = expected.get("error") {
        let message = actual.get("error").and_then(Value::as_str).ok_or("expected an error, the log loaded")?;
        let text = text.as_str().unwrap();
        if !message.contains(text) {
            return Err(format!("the error {message:?} does not say {text:?}"));
        }
        if let Some(line) = expected.get("line") {
            if actual.get("line") != Some(line) {
                return Err(format!("the error is on line {:?}, not {line}", actual.get("line")));
            }
        }
        return Ok(());
    }
    if let Some(error) = actual.get("error") {
        return Err(format!("expected the log to load, got: {error}"));
    }
    for count in ["events", "streams"] {
        if let Some(n) = expected.get(count) {
            if actual.get(count) != Some(n) {
                return Err(format!("{count}: expected {n}, found {}", actual[count]));
            }
        }
    }
    for list in ["errors", "violations", "unreadable", "warnings"] {
        let have = actual.get(list).and_then(Value::as_array).cloned().unwrap_or_default();
        // `"unreadable_count": 200000`: too many to list, counted.
        if let Some(count) = expected.get(format!("{list}_count")) {
            if count != &json!(have.len()) {
                return Err(format!("{list}: expected {count}, found {}", have.len()));
            }
            continue;
        }
        let want = expected.get(list).and_then(Value::as_array).cloned().unwrap_or_default();
        if want.len() != have.len() {
            return Err(format!("{list}: expected {} ({want:?}), found {} ({have:?})", want.len(), have.len()));
        }
        for (want, have) in want.iter().zip(&have) {
            let (want, have) = (want.as_array().unwrap(), have.as_array().unwrap());
            if want[0] != have[0] {
                return Err(format!("{list}: expected one at event {}, found it at {}: {have:?}", want[0], have[0]));
            }
            // Warnings: [position, kind, text]; the rest: [position, text].
            if list == "warnings" && want[1] != have[1] {
                return Err(format!("warnings: expected {} at event {}, found {}", want[1], want[0], have[1]));
            }
            let (text, message) = (want.last().unwrap().as_str().unwrap(), have.last().unwrap().as_str().unwrap());
            if !message.contains(text) {
                return Err(format!("{list} at event {}: {message:?} does not say {text:?}", want[0]));
            }
        }
    }
    Ok(())
}

fn file_entries() -> Vec<(String, Value)> {
    manifest().into_iter().filter(|(_, entry)| entry.get("via").is_none()).collect()
}

#[test]
fn every_hostile_file_gives_its_expected_outcome() {
    let print = std::env::var_os("HOSTILE_PRINT").is_some();
    let mut failures = Vec::new();
    for (name, expected) in file_entries() {
        let actual = outcome(bytes_of(&name, &expected));
        if print {
            println!("{name:?}: {actual},");
        }
        if let Err(why) = matches(&expected, &actual) {
            failures.push(format!("{name}: {why}"));
        }
    }
    assert!(failures.is_empty(), "{} of the hostile files differ:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_corpus_has_at_least_60_files_each_in_the_manifest() {
    let entries = manifest();
    let on_disk: Vec<String> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "expected.json" && name != "README.md")
        .collect();
    assert!(on_disk.len() >= 60, "only {} files", on_disk.len());
    for name in &on_disk {
        assert!(entries.contains_key(name), "{name} has no expected outcome in expected.json");
    }
    for (name, entry) in &entries {
        assert!(
            entry.get("generated").is_some() || on_disk.contains(name),
            "{name} is in the manifest but neither committed nor generated"
        );
    }
}

/// A file the page shows: its messages are text, and what it says about markup is the markup
/// itself, never run — the engine hands the UI strings, and Leptos sets them as text. Here: the
/// session's names keep every `<` as written (nothing is stripped or decoded into markup).
/// Found by the corpus: `rewind check` replayed a log whose own reducer does not compile with
/// another domain, silently, and passed it.
#[test]
fn rewind_check_refuses_a_log_whose_own_reducer_cannot_run() {
    for name in ["reducer-syntax-error.json", "reducer-not-rhai.json"] {
        let path = corpus().join(name);
        let output = Command::new(env!("CARGO_BIN_EXE_rewind")).arg("check").arg(&path).output().unwrap();
        let err = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains("the log's reducer cannot run: "), "{name}: {err}");
        let named =
            Command::new(env!("CARGO_BIN_EXE_rewind")).args(["check", "--domain", "generic"]).arg(&path).output();
        assert_eq!(named.unwrap().status.code(), Some(0), "{name} with a domain named");
    }
}

#[test]
fn markup_comes_back_as_the_same_text() {
    let bytes = std::fs::read(corpus().join("markup-every-field.json")).unwrap();
    let session = load_as_the_page_does(bytes).unwrap();
    let types: Vec<&str> = session.type_names().collect();
    assert!(types.contains(&"<script>alert(1)</script>"), "{types:?}");
    let streams: Vec<&str> = session.active_streams().map(|(_, name)| name).collect();
    assert!(streams.contains(&"<img src=x onerror=alert(2)>"), "{streams:?}");
    let state = session.state_at(session.len()).0.to_string();
    assert!(state.contains("</div><iframe src=javascript:alert(4)>"), "{state}");
}

#[test]
fn rewind_check_over_every_hostile_file_exits_0_1_or_2_and_never_crashes() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hostile");
    std::fs::create_dir_all(&dir).unwrap();
    let mut failures = Vec::new();
    for (name, expected) in file_entries() {
        let path = if expected.get("generated").is_some() {
            let path = dir.join(&name);
            std::fs::write(&path, generate(&name)).unwrap();
            path
        } else {
            corpus().join(&name)
        };
        let output = Command::new(env!("CARGO_BIN_EXE_rewind")).arg("check").arg(&path).output().unwrap();
        let (code, err) = (output.status.code(), String::from_utf8_lossy(&output.stderr));
        // `"cli"`: where the command line's answer differs from the page's (a log whose own
        // reducer cannot run loads in the page, which shows the script's error in its editor).
        let wanted = if let Some(code) = expected.get("cli").and_then(Value::as_i64) {
            vec![code as i32]
        } else if expected.get("error").is_some() {
            vec![2]
        } else {
            // Failing on violations (the default): 1 when the replay found an error or a violation.
            let found = ["errors", "violations", "unreadable", "unreadable_count"]
                .iter()
                .any(|list| expected.get(*list).is_some());
            vec![if found { 1 } else { 0 }]
        };
        if code.is_none_or(|code| !wanted.contains(&code)) || err.contains("panicked") {
            failures.push(format!(
                "{name}: exit {code:?}, expected {wanted:?}; stderr: {}",
                err.chars().take(300).collect::<String>()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
