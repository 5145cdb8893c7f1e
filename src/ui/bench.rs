//! The in-browser benchmark's entry point (`make bench`): the page calls
//! `window.wasmBindings.rewind_bench(text, seeks)` and compares it with a plain JavaScript
//! `JSON.parse` + fold of the same text in the same page.
use rewind_engine::domain::DomainChoice;
use rewind_engine::session::SessionLoad;
use rewind_script::ScriptDomain;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

/// Loads `text` as the app would (owning it, so it is dropped once parsed), replayed by the
/// built-in script called `script` (`bank.rhai`) when one is named, and seeks to `seeks` positions
/// spread over the log; returns timings (ms) and WebAssembly memory (bytes) as JSON.
#[wasm_bindgen]
pub fn rewind_bench(text: String, seeks: usize, script: Option<String>) -> String {
    let performance = web_sys::window().and_then(|w| w.performance()).expect("a page has performance.now()");
    let domain = match script.map(|name| built_in_script(&name)).transpose() {
        Ok(domain) => domain,
        Err(error) => return serde_json::json!({ "error": error }).to_string(),
    };
    let start = performance.now();
    let load = SessionLoad::new("bench", text).map(|load| load.with_domain_from(move |_| domain));
    let session = match load.and_then(SessionLoad::finish) {
        Ok(session) => session,
        Err(error) => return serde_json::json!({ "error": error.to_string() }).to_string(),
    };
    let load_ms = performance.now() - start;
    let len = session.len();
    let mut engine = Vec::with_capacity(seeks);
    let mut with_json = Vec::with_capacity(seeks.min(200));
    let mut position = 0usize;
    for i in 0..seeks {
        position = (position + 7_919 * 131) % (len + 1);
        let t = performance.now();
        std::hint::black_box(session.seek_only(position));
        engine.push(performance.now() - t);
        // The JSON of every stream is what the state panel reads: timed on a sample of the seeks.
        if i < 200 {
            let t = performance.now();
            std::hint::black_box(session.state_at(position));
            with_json.push(performance.now() - t);
        }
    }
    let percentile = |times: &mut Vec<f64>, p: f64| {
        times.sort_by(f64::total_cmp);
        times.get(((times.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or(0.0)
    };
    serde_json::json!({
        "events": len,
        "domain": session.domain().name(),
        "snapshot_interval": session.snapshot_interval(),
        "load_ms": load_ms,
        "seek_p50_ms": percentile(&mut engine, 0.50),
        "seek_p99_ms": percentile(&mut engine, 0.99),
        "seek_json_p50_ms": percentile(&mut with_json, 0.50),
        "seek_json_p99_ms": percentile(&mut with_json, 0.99),
        "memory_bytes": core::arch::wasm32::memory_size(0) * 65_536,
    })
    .to_string()
}

/// The built-in script `name`, compiled, as the domain a load is replayed by.
fn built_in_script(name: &str) -> Result<DomainChoice, String> {
    let (_, domain) = ScriptDomain::built_in(name).ok_or_else(|| format!("no built-in script {name}"))?;
    Ok(DomainChoice::script(Arc::new(domain)))
}

/// The WebAssembly memory's size in bytes: it never shrinks, so read after a load it is the load's
/// high-water mark. For the picker benchmark, which loads through the page as a person does.
#[wasm_bindgen]
pub fn rewind_memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size(0) * 65_536) as f64
}
