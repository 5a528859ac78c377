//! `annals schema`: the JSON Schema of a record file, for editors.

use super::CommandResult;
use super::output::print;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: &Args) -> CommandResult {
    print(&annals::schema::json())
}
