//! `annals schema`: the JSON Schema of a record file, for editors.

use super::output::print;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: &Args) -> i32 {
    print(&annals::schema::json())
}
