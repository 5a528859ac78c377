//! annals: a record of dated diplomatic events kept in YAML files.

pub mod chart;
pub mod check;
pub mod codes;
pub mod count;
pub mod date;
pub(crate) mod deferred;
pub mod diag;
pub mod fields;
pub mod import;
pub mod import_csl;
pub(crate) mod index;
pub mod keyword;
pub mod line_index;
pub mod links;
pub mod load;
pub mod lsp;
pub mod model;
pub mod names;
pub(crate) mod par;
pub mod query;
pub mod render;
pub mod schema;
pub mod store;
pub(crate) mod suggest;
pub mod validate;
pub mod yaml;
