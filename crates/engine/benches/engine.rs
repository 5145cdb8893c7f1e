//! Native speed of the engine at 10k, 100k and 1M events: parse, load (parse + replay with
//! snapshots + checks), and seek to random positions. `make bench` runs this.
use rewind_engine::formats::load_log;
use rewind_engine::generate::{generate_log, GenerateOptions};
use rewind_engine::session::Session;
use std::sync::OnceLock;

fn main() {
    divan::main();
}

const SIZES: [usize; 3] = [10_000, 100_000, 1_000_000];

fn log_text(events: usize) -> &'static str {
    static LOGS: OnceLock<Vec<(usize, String)>> = OnceLock::new();
    let logs = LOGS.get_or_init(|| SIZES.iter().map(|&n| (n, generate_log(GenerateOptions::bank(n)))).collect());
    &logs.iter().find(|(n, _)| *n == events).expect("a benchmarked size").1
}

fn session(events: usize) -> &'static Session {
    static SESSIONS: OnceLock<Vec<(usize, Session)>> = OnceLock::new();
    let sessions = SESSIONS
        .get_or_init(|| SIZES.iter().map(|&n| (n, Session::load("bench", log_text(n)).expect("loads"))).collect());
    &sessions.iter().find(|(n, _)| *n == events).expect("a benchmarked size").1
}

#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn parse(bencher: divan::Bencher, events: usize) {
    let text = log_text(events);
    bencher.counter(divan::counter::BytesCount::new(text.len())).bench(|| load_log(divan::black_box(text)).unwrap());
}

#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn load(bencher: divan::Bencher, events: usize) {
    let text = log_text(events);
    bencher.bench(|| Session::load("bench", divan::black_box(text)).unwrap());
}

/// A seek to a position spread over the whole log (a fixed stride, so runs are comparable).
#[divan::bench(args = SIZES, sample_count = 200, sample_size = 10)]
fn seek(bencher: divan::Bencher, events: usize) {
    let session = session(events);
    let mut position = 0usize;
    bencher.bench_local(|| {
        position = (position + 7_919 * 131) % (events + 1);
        session.state_at(divan::black_box(position)).1
    });
}
