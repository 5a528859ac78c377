//! The one integration test binary: one module per area.

mod add;
mod edtf_loc;
