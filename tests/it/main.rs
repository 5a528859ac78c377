//! The one integration test binary: one module per area.

mod add;
mod chart;
mod check;
mod citations;
mod edit;
mod edtf_loc;
mod export;
mod fuzzed;
mod fuzzed_parser;
mod hostile;
mod hostile_read;
mod interop;
mod kill;
mod links;
mod lsp;
mod outputs;
mod pipe;
mod props;
mod props_add;
mod props_cache;
mod props_count;
mod props_edit;
mod query;
mod stats;
mod yaml_serde;
