//! EDTF dates (placeholder: being written).
