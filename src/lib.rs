//! annals: a record of dated diplomatic events kept in YAML files.

pub mod date;
pub mod yaml;
