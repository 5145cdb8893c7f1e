//! Reducer scripts and expressions: compiled, then run over a generated log in the sandbox. Never
//! a panic, never a hang (libFuzzer's -timeout catches one): an endless loop, deep recursion or a
//! huge value stops at a limit with a message at its event.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rewind_engine::session::Session;
use rewind_script::query::Expression;
use rewind_script::{script, ScriptDomain};
use std::sync::Arc;

fuzz_target!(|data: &[u8]| {
    let Some((&knob, rest)) = data.split_first() else { return };
    let Ok(source) = std::str::from_utf8(rest) else { return };
    let log = rewind_fuzz::generated_log(knob, usize::from(knob % 8) + 1);
    let session = Session::load("fuzz", &log).expect("the generated log loads");
    if let Ok(domain) = ScriptDomain::compile("fuzz", source) {
        let scripted = session.with_reducer(script(source), Arc::new(domain));
        for problem in scripted.problems() {
            assert!(problem.position < scripted.len(), "a problem at no event: {problem:?}");
            assert!(!problem.message.is_empty());
        }
        let _ = scripted.state_at(scripted.len());
        let _ = scripted.state_at(0);
    }
    if let Ok(expression) = Expression::compile(source) {
        for position in 0..=session.len().min(3) {
            let _ = expression.value_at(&session, position, None);
        }
    }
});
