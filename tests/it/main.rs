//! The one integration test binary: one module per area.

mod chart;
mod edtf_loc;
