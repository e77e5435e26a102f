//! Turns a parsed JSON document into a checked [`Catalogue`].

use super::{Catalogue, Problem};
use crate::json::Value;

/// Reads and checks the whole document, collecting every problem.
pub(super) fn read(value: &Value) -> Result<Catalogue, Vec<Problem>> {
    Err(vec![Problem {
        pos: value.pos,
        path: "$".into(),
        message: "the catalogue reader is not written yet".into(),
    }])
}
