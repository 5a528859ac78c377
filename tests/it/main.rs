//! The one integration test binary: one module per area.

mod chart;
mod check;
mod edtf_loc;
mod props;
