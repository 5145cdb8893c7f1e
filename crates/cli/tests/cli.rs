//! The built `rewind` binary, run as a pipeline would: exit codes, golden outputs, standard input,
//! streaming against whole-file checks, partitions, and mistakes reported where they are.
use proptest::prelude::*;
use rewind_engine::generate::{generate_log, GenerateOptions};
use serde_json::{json, Value};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn repo_fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(name)
}

struct Run {
    code: i32,
    out: String,
    err: String,
}

/// Runs `rewind args…` in the fixtures folder, `input` on its standard input.
fn rewind(args: &[&str], input: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rewind"))
        .args(args)
        .current_dir(fixture(""))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_string();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    Run {
        code: output.status.code().expect("exited"),
        out: String::from_utf8(output.stdout).unwrap(),
        err: String::from_utf8(output.stderr).unwrap(),
    }
}

/// `rewind args…` with nothing on standard input.
fn rewind_(args: &[&str]) -> Run {
    rewind(args, "")
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn check_prints_each_problem_like_a_compiler_then_a_summary() {
    let run = rewind(&["check", "orders.ndjson"], "");
    assert_eq!(run.code, 1, "{}", run.err);
    assert_eq!(run.out, read(fixture("orders.check.txt")));
}

#[test]
fn the_exit_code_follows_fail_on() {
    assert_eq!(rewind_(&["check", "orders.ndjson", "--fail-on", "error"]).code, 1);
    let classic = repo_fixture("classic.json");
    let classic = classic.to_str().unwrap();
    assert_eq!(rewind_(&["check", classic]).code, 0, "the classic log breaks no rule");
    assert_eq!(rewind_(&["check", classic, "--fail-on", "warning"]).code, 0);
    let overdraft = repo_fixture("overdraft.json");
    assert_eq!(
        rewind_(&["check", overdraft.to_str().unwrap(), "--fail-on", "error"]).code,
        0,
        "a violation is no error"
    );
    assert_eq!(rewind_(&["check", overdraft.to_str().unwrap()]).code, 1);
}

#[test]
fn unreadable_input_and_bad_usage_exit_2_with_the_apps_messages() {
    let missing = rewind_(&["check", "nope.json"]);
    assert_eq!(missing.code, 2);
    assert!(missing.err.contains("could not read nope.json"), "{}", missing.err);
    let broken = repo_fixture("broken_syntax.json");
    let broken = rewind_(&["check", broken.to_str().unwrap(), "--strict"]);
    assert_eq!(broken.code, 2);
    assert!(broken.err.contains("line"), "a located syntax error: {}", broken.err);
    let usage = rewind_(&["check", "orders.ndjson", "--fail-on", "never"]);
    assert_eq!(usage.code, 2);
    assert!(usage.err.contains("--fail-on takes error, violation or warning") && usage.err.contains("usage:"));
    assert_eq!(rewind_(&["check", "-"]).code, 2, "empty standard input is no log");
}

#[test]
fn json_output_lists_problems_with_lines_and_events() {
    let run = rewind_(&["check", "orders.ndjson", "--format", "json"]);
    assert_eq!(run.code, 1);
    let report: Value = serde_json::from_str(&run.out).unwrap();
    assert_eq!(report["failed"], json!(true));
    let log = &report["logs"][0];
    assert_eq!(
        (log["events"].clone(), log["streams"].clone(), log["domain"].clone()),
        (json!(7), json!(2), json!("store"))
    );
    assert_eq!(
        log["problems"][0],
        json!({
            "line": 6, "event": 5, "type": "OrderShipped", "severity": "violation", "kind": "violation",
            "message": "order order-2 was shipped with 0 of 12 paid",
        })
    );
    assert_eq!(log["problems"][1]["severity"], json!("error"));
}

#[test]
fn standard_input_is_read_with_dash_and_lines_are_checked_as_they_stream() {
    let text = read(fixture("orders.ndjson"));
    let streamed = rewind(&["check", "-"], &text);
    assert_eq!(streamed.code, 1);
    assert_eq!(streamed.out, read(fixture("orders.check.txt")).replace("orders.ndjson", "<stdin>"));
    let array = read(repo_fixture("overdraft.json"));
    let whole = rewind(&["check", "-"], &array);
    assert_eq!(whole.code, 1, "an envelope on standard input is read whole");
    assert!(
        whole.out.contains("<stdin>:6: violation: withdrawal of 300 exceeds the balance of 250 (Withdraw)"),
        "{}",
        whole.out
    );
}

/// Problems as (line, message) from text output, summary dropped.
fn problems(out: &str) -> Vec<String> {
    let mut lines: Vec<String> = out.lines().filter(|l| !l.contains(" events in ")).map(String::from).collect();
    lines.sort();
    lines
}

#[test]
fn a_streamed_check_finds_what_a_whole_file_check_finds_on_a_large_log() {
    let text = generate_log(GenerateOptions::store(20_000));
    let ndjson = rewind(&["convert", "-", "--to", "ndjson"], &text);
    assert_eq!(ndjson.code, 0, "{}", ndjson.err);
    let dir = std::env::temp_dir().join(format!("rewind-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bank.ndjson");
    std::fs::write(&file, &ndjson.out).unwrap();
    let whole = rewind_(&["check", file.to_str().unwrap(), "--fail-on", "warning"]);
    let streamed = rewind(&["check", "-", "--fail-on", "warning"], &ndjson.out);
    assert_eq!(whole.code, streamed.code);
    let whole_problems: Vec<String> = problems(&whole.out)
        .into_iter()
        .filter(|l| !l.contains("warning"))
        .map(|l| l.replace(file.to_str().unwrap(), "<stdin>"))
        .collect();
    assert!(!whole_problems.is_empty(), "the generated log breaks rules somewhere");
    assert_eq!(problems(&streamed.out), whole_problems, "integrity warnings need the whole log; the rest agree");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn partitions_split_the_streams_and_their_union_is_the_whole() {
    let text = generate_log(GenerateOptions::bank(5_000));
    let ndjson = rewind(&["convert", "-", "--to", "ndjson"], &text).out;
    let whole_run = rewind(&["check", "-"], &ndjson);
    let whole = problems(&whole_run.out);
    let whole_streams: usize =
        whole_run.out.lines().last().unwrap().split(" in ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    let mut union = Vec::new();
    let mut streams = 0;
    for i in 0..3 {
        let part = rewind(&["check", "-", "--partition", &format!("{i}/3")], &ndjson);
        let summary = part.out.lines().last().unwrap().to_string();
        streams += summary.split(" in ").nth(1).unwrap().split(' ').next().unwrap().parse::<usize>().unwrap();
        union.extend(problems(&part.out));
    }
    union.sort();
    assert_eq!(union, whole);
    assert_eq!(streams, whole_streams, "every stream in exactly one partition");
}

#[test]
fn a_reducer_script_replays_the_log_and_its_errors_are_located() {
    let log = repo_fixture("overdraft.json");
    let run = rewind_(&["check", log.to_str().unwrap(), "--reducer", "balance.rhai"]);
    assert_eq!(run.code, 1);
    assert!(run.out.contains(":6: violation: overdraft (Withdraw)"), "{}", run.out);
    assert!(run.out.contains("(balance.rhai)"), "{}", run.out);
    let broken = rewind_(&["check", log.to_str().unwrap(), "--reducer", "broken.rhai"]);
    assert_eq!(broken.code, 2);
    assert!(broken.err.contains("broken.rhai:2:"), "the script's line: {}", broken.err);
    let state = rewind_(&["state", log.to_str().unwrap(), "--reducer", "balance.rhai", "--at", "3"]);
    assert_eq!(serde_json::from_str::<Value>(&state.out).unwrap(), json!({"default": {"balance": -50}}));
    let script = rewind_(&["check", "orders.ndjson", "--domain", "store.rhai"]);
    assert_eq!(problems(&script.out), problems(&read(fixture("orders.check.txt"))).into_iter().collect::<Vec<_>>());
}

#[test]
fn a_bad_mapping_is_reported_with_its_location() {
    let run = rewind_(&["check", "orders.ndjson", "--mapping", "bad_mapping.json"]);
    assert_eq!(run.code, 2);
    assert!(run.err.contains("bad_mapping.json:2:"), "{}", run.err);
    assert!(run.err.contains("colour"), "{}", run.err);
}

#[test]
fn state_convert_and_find_answer_in_json_and_lines() {
    let classic = repo_fixture("classic.json");
    let classic = classic.to_str().unwrap();
    let state = rewind_(&["state", classic, "--at", "2"]);
    assert_eq!(serde_json::from_str::<Value>(&state.out).unwrap()["default"]["balance"], json!(70));
    let stream = rewind_(&["state", classic, "--stream", "default"]);
    assert_eq!(serde_json::from_str::<Value>(&stream.out).unwrap()["balance"], json!(120));
    assert_eq!(rewind_(&["state", classic, "--at", "9"]).code, 2);
    assert!(rewind_(&["state", classic, "--stream", "nope"]).err.contains("no stream \"nope\""));
    let found = rewind_(&["find", classic, "--when", "stream.balance < 100"]);
    assert_eq!((found.code, found.out.as_str()), (0, "2\n"));
    let syntax = rewind_(&["find", classic, "--when", "stream.balance <"]);
    assert_eq!(syntax.code, 2);
    let converted = rewind_(&["convert", "orders.ndjson", "--to", "rewind"]);
    let back = rewind(&["convert", "-", "--to", "ndjson"], &converted.out);
    let original: Vec<Value> = read(fixture("orders.ndjson"))
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let again: Vec<Value> = back.out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(again.len(), original.len());
    assert_eq!(again[1], json!({"type": "PaymentReceived", "stream": "order-1", "data": {"amount": 9}}));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    /// Any split of the streams into N partitions checks, together, exactly what one check does.
    #[test]
    fn any_partition_count_unions_to_the_whole(count in 1u64..6, seed in 0u64..1000) {
        let text = generate_log(GenerateOptions { seed, events: 600, streams: 40, ..GenerateOptions::store(600) });
        let whole = problems(&rewind(&["check", "-"], &text).out);
        let mut union = Vec::new();
        for i in 0..count {
            union.extend(problems(&rewind(&["check", "-", "--partition", &format!("{i}/{count}")], &text).out));
        }
        union.sort();
        prop_assert_eq!(union, whole);
    }
}
