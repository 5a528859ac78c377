//! The one integration test binary: one module per area.

mod check;
mod edtf_loc;
