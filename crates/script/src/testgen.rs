//! Running a generated test fixture (`rewind_engine::testgen`) whatever replays it: the script it
//! carries, compiled here (the engine has no script language), or the registered domain it names.
use crate::{ScriptDomain, LANGUAGE};
use rewind_engine::domain::DomainChoice;
use rewind_engine::testgen::{self, Fixture, FixtureRun};
use std::sync::Arc;

/// Runs `fixture`: with its reducer script when it carries one, else with the registered domain it
/// names. `Err` when the script does not compile or the events do not load.
pub fn run_fixture(fixture: &Fixture) -> Result<FixtureRun, String> {
    let Some(script) = &fixture.reducer else { return testgen::run_fixture(fixture) };
    if script.language != LANGUAGE {
        return Err(format!(
            "{}: the fixture's reducer is written in {:?}; Rewind runs {LANGUAGE:?}",
            fixture.name, script.language
        ));
    }
    let domain = ScriptDomain::compile(&fixture.domain, &script.source)
        .map_err(|e| format!("{}: the fixture's reducer does not compile: {e}", fixture.name))?;
    testgen::run_fixture_with(fixture, DomainChoice::script(Arc::new(domain)).domain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{script, BUILT_IN};
    use rewind_engine::samples;
    use rewind_engine::session::Session;
    use rewind_engine::testgen::{generate, GeneratedTest};
    use serde_json::json;

    fn repository_file(path: &str) -> String {
        let path = format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// A sample replayed by one of the built-in domains written as a script, the log carrying it
    /// (as the reducer editor leaves it).
    fn scripted(sample: &str, file: &str) -> Session {
        let sample = samples::find(sample).unwrap();
        let source = BUILT_IN.iter().find(|(name, _)| *name == file).unwrap().1;
        let domain = ScriptDomain::compile(file, source).unwrap();
        Session::load(sample.id, sample.text).unwrap().with_reducer(script(source), Arc::new(domain))
    }

    fn at_cursor(session: &Session, cursor: usize) -> GeneratedTest {
        generate(session, None, cursor).unwrap()
    }

    #[test]
    fn a_script_domains_test_carries_the_script_and_what_a_script_can_read() {
        let test = at_cursor(&scripted("bank-typo", "bank.rhai"), 3);
        let fixture = &test.fixture;
        assert_eq!(fixture.domain, "bank.rhai");
        assert_eq!(fixture.reducer.as_ref().map(|r| r.language.as_str()), Some("rhai"));
        assert_eq!(fixture.then.violations, ["withdrawal of 300 exceeds the balance of 250"]);
        assert_eq!(fixture.then.state, json!({"status": "open", "balance": -50, "transactions": 2, "owner": "Sam"}));
        let when = &fixture.when;
        assert_eq!((when.id.as_deref(), when.recorded_at.as_deref()), (Some("evt-3"), Some("2024-03-02T17:40:00Z")));
        assert_eq!(when.meta, Some(json!({"teller": "desk 4", "note": "cash withdrawal"})));
        let rust = test.rust_test();
        assert!(
            rust.contains("rewind_script::ScriptDomain::compile(") && rust.contains("crates/script/tests/"),
            "{rust}"
        );
        assert!(run_fixture(fixture).unwrap().passed());
    }

    #[test]
    fn every_fixture_generated_with_a_script_from_the_samples_passes() {
        for (sample, file) in [("bank", "bank.rhai"), ("bank-typo", "bank.rhai"), ("store", "store.rhai")] {
            let session = scripted(sample, file);
            for cursor in 1..=session.len() {
                let fixture = at_cursor(&session, cursor).fixture;
                assert_eq!(Fixture::parse(&fixture.to_json()).as_ref(), Ok(&fixture));
                let run = run_fixture(&fixture).unwrap();
                assert!(run.passed(), "{sample} at {cursor}: {run}");
            }
        }
    }

    #[test]
    fn a_script_fixture_that_expects_the_wrong_state_fails_and_a_broken_script_is_refused() {
        let mut fixture = at_cursor(&scripted("bank", "bank.rhai"), 3).fixture;
        fixture.then.state["balance"] = json!(121);
        assert_eq!(run_fixture(&fixture).unwrap().differences, ["then.state.balance: expected 121, found 120"]);
        let reducer = fixture.reducer.as_mut().unwrap();
        reducer.source = "fn apply(state, event) {".into();
        assert!(run_fixture(&fixture).unwrap_err().contains("the fixture's reducer does not compile"));
        fixture.reducer.as_mut().unwrap().language = "lua".into();
        assert!(run_fixture(&fixture).unwrap_err().contains("written in \"lua\""));
    }

    /// Every fixture in tests/fixtures/generated, a script's or a registered domain's, passes.
    #[test]
    fn every_committed_fixture_passes() {
        let dir = format!("{}/../../tests/fixtures/generated", env!("CARGO_MANIFEST_DIR"));
        let (mut scripts, mut compiled) = (0, 0);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let fixture = Fixture::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let run = run_fixture(&fixture).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(run.passed(), "{}: {run}", path.display());
            *if fixture.reducer.is_some() { &mut scripts } else { &mut compiled } += 1;
        }
        assert!(scripts >= 1 && compiled >= 3, "{scripts} script and {compiled} compiled fixtures");
    }

    const GENERATED_RUST_HEADER: &str = "\
//! Made by Rewind's test generator, not by hand: `testgen::Fixture::to_rust` of the bank-typo
//! sample at event 3, replayed by domains/bank.rhai (a script domain's test compiles the script,
//! so it lives in this crate). rewind-script's unit test
//! `the_committed_generated_files_are_what_the_generator_writes` fails if this file drifts from
//! what the generator writes; `REWIND_BLESS=1 cargo test -p rewind-script --lib testgen` writes it
//! again.
";

    /// See the engine's test of the same name; `REWIND_BLESS=1` writes them again.
    #[test]
    fn the_committed_generated_files_are_what_the_generator_writes() {
        let test = at_cursor(&scripted("bank-typo", "bank.rhai"), 3);
        let files = [
            ("crates/script/tests/generated.rs".to_string(), format!("{GENERATED_RUST_HEADER}\n{}", test.rust_test())),
            (format!("tests/fixtures/generated/bank-typo-rhai-{}", test.fixture_file_name()), test.fixture_json()),
        ];
        let bless = std::env::var_os("REWIND_BLESS").is_some();
        for (path, text) in files {
            if bless {
                let full = format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"));
                std::fs::write(&full, &text).unwrap_or_else(|e| panic!("{full}: {e}"));
            }
            assert!(repository_file(&path) == text, "{path} differs from what the generator writes now:\n{text}");
        }
    }
}
