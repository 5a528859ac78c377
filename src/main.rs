//! The `annals` command. All the work is in the library; `cli` only parses
//! arguments and maps results to output and exit codes.

mod cli;

fn main() {
    std::process::exit(cli::run());
}
