//! The catalogue tool (being written).
fn main() {}
