//! The binary Trunk builds: in the browser it mounts the app; natively it says how to run it.
#[cfg(target_arch = "wasm32")]
fn main() {
    rewind::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Rewind runs in the browser: `make serve` builds it and serves it on http://127.0.0.1:8080");
    std::process::exit(2);
}
