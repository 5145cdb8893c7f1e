//! What the causation index costs on a large log whose every event carries causation meta:
//! `cargo run --release -p rewind-engine --example causation_index -- [events [log.json [bank]]]`
//! (default 1,000,000 events; the log is written to `log.json` when named).
//!
//! The log is the generated store log (or bank log) with meta added: each stream's first event is
//! caused by a command not in the log, every later one by the stream's event before it, and the
//! stream's name is the correlation id. The store's orders are a few events each (166,000
//! streams); the bank's accounts, a thousand, are chains a thousand events long. Prints the build time (in one call and in slices of 10,000
//! events, as the app steps it), the bytes the index keeps, the peak while building, and what
//! one question about an event costs.
use rewind_engine::generate::{generate_log, GenerateOptions};
use rewind_engine::inspect::CausationIndex;
use rewind_engine::session::Session;
use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size >= layout.size() {
            let live = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size - layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The generated store log with causation and correlation ids in every event's meta.
fn log_with_causation(options: GenerateOptions) -> String {
    let events = options.events;
    let text = generate_log(options);
    let mut last_in_stream: HashMap<String, String> = HashMap::new();
    let mut out = String::with_capacity(text.len() + events * 80);
    for line in text.lines() {
        let Some(start) = line.find("\"stream\":\"") else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        let stream = &line[start + 10..];
        let stream = &stream[..stream.find('"').expect("a closed string")];
        let id = &line[7..7 + line[7..].find('"').expect("an id first")];
        let cause =
            last_in_stream.insert(stream.to_string(), id.to_string()).unwrap_or_else(|| format!("cmd-{stream}"));
        let (body, comma) = line.strip_suffix(',').map_or((line, ""), |body| (body, ","));
        let body = body.strip_suffix('}').expect("an event object");
        out.push_str(body);
        out.push_str(&format!(",\"meta\":{{\"correlation_id\":\"{stream}\",\"causation_id\":\"{cause}\"}}}}{comma}\n"));
    }
    out
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

fn main() {
    let events: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(1_000_000);
    let options = match std::env::args().nth(3).as_deref() {
        Some("bank") => GenerateOptions::bank(events),
        _ => GenerateOptions::store(events),
    };
    let text = log_with_causation(options);
    // A second argument keeps the log, for the browser's figures (`?log=` or Open log file).
    if let Some(path) = std::env::args().nth(2) {
        std::fs::write(&path, &text).expect("the log is written");
    }
    let session = Session::load("generated", &text).expect("the generated log loads");
    println!("{} events, {:.1} MB of log text", session.len(), mb(text.len()));
    drop(text);

    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let started = Instant::now();
    let index = CausationIndex::build(session.log());
    let whole = started.elapsed();
    let held = LIVE.load(Ordering::Relaxed) - base;
    let peak = PEAK.load(Ordering::Relaxed) - base;
    println!("built in one call:       {:>8.1} ms", whole.as_secs_f64() * 1e3);
    println!("held after the build:    {:>8.1} MB ({:.1} MB by heap_bytes)", mb(held), mb(index.heap_bytes()));
    println!("peak while building:     {:>8.1} MB", mb(peak));
    drop(index);

    let started = Instant::now();
    let mut build = session.causation_build();
    let mut slices = 0;
    while !build.step(session.log(), 10_000) {
        slices += 1;
    }
    let index = build.finish();
    println!("built in {} slices:     {:>8.1} ms", slices + 1, started.elapsed().as_secs_f64() * 1e3);

    // Questions at spread positions, as cursor moves ask them.
    let asked = 10_000.min(session.len());
    let started = Instant::now();
    let mut listed = 0;
    for k in 0..asked {
        let position = k * session.len() / asked;
        let causation = session.causation(&index, position).expect("an event there");
        listed += causation.causes.len() + causation.caused.len() + causation.correlated.len();
    }
    let per = started.elapsed().as_secs_f64() * 1e6 / asked as f64;
    println!("one event's causation:   {per:>8.1} µs on average ({listed} events listed over {asked} questions)");
}
