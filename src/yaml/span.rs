//! Path to position resolution (placeholder: being written).
