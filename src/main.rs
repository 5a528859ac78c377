//! The `annals` command. All the work is in the library; `cli` only parses
//! arguments and maps results to output and exit codes.

mod cli;

// The loader allocates millions of small strings on a large record; glibc's
// allocator spent a quarter of `check` in malloc and free, mimalloc far less.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(cli::run());
}
