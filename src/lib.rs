//! clawcheck: policy-as-code linter and CI/compliance checker for OpenClaw
//! AI-agent deployments. The binary is a thin CLI over this library.

pub mod checks;
pub mod cleanup;
pub mod cli;
pub mod config;
pub mod deploy;
pub mod discover;
pub mod engine;
pub mod finding;
pub mod load;
pub mod normalise;
pub mod openclaw;
pub mod posture;
pub mod redact;
pub mod report;
pub mod rules;
pub mod source;
pub mod suppress;
