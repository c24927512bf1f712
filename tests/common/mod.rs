pub mod corpus;
pub mod harness;
