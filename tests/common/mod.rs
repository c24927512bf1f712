pub mod corpus;
pub mod harness;
pub mod schemas;
