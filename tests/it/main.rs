//! The one integration test binary: one module per area.

mod edtf_loc;
mod outputs;
mod query;
