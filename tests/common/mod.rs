pub mod harness;
pub mod schemas;
