//! `rewind`: the engine of the app on the command line. See `rewind --help`.
use std::io::IsTerminal;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let stdin = std::io::stdin();
    let progress = std::io::stderr().is_terminal();
    let code =
        rewind_cli::run(&args, &mut stdin.lock(), &mut std::io::stdout().lock(), &mut std::io::stderr(), progress);
    std::process::exit(code);
}
