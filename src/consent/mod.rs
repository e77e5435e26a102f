//! Consent decisions (being written).
