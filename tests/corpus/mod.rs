//! The labelled secret corpus: a deterministic generator of repository trees
//! with planted secrets and decoys (`generator`), and the harness that walks,
//! scans and scores them (`harness`, shared with `bench/scan_tree.rs`).
#![allow(dead_code)]

pub mod generator;
pub mod harness;
