//! The registry of the credential families from OC312 on: one file each
//! here with the family's rule text (id, name, docs, examples, severity),
//! its Aho-Corasick anchors and its context words; its verifier is the file
//! of the same name under `crate::checks::secrets::families` (this registry
//! is a leaf: it imports no checks). Adding a family is those two files plus
//! one line here and one in the verifier list there, in the same order.

use super::SecretRule;

mod azure_openai;
mod cohere;
mod deepseek;
mod discord;
mod discord_webhook;
mod fireworks;
mod github_unverified;
mod groq;
mod huggingface;
mod jwt;
mod line;
mod matrix;
mod mistral;
mod npm;
mod openrouter;
mod perplexity;
mod pypi;
mod replicate;
mod sendgrid;
mod stripe_test;
mod telegram;
mod together;
mod twilio;
mod url_credential;
mod whatsapp;
mod xai;

/// The data of one credential family.
pub struct FamilySpec {
    pub rule: SecretRule,
    /// Case-sensitive literal anchors (several spellings where needed).
    pub anchors: &'static [&'static str],
    /// Lower-case words that give a non-distinctive format its context:
    /// looked up (ASCII case-insensitively) on each line where the generic
    /// rule found a key naming a credential, and on the lines of the
    /// anchors; the verifier then runs at the word.
    pub context: &'static [&'static str],
    /// Higher wins when two findings overlap (generic 0, most families 2).
    pub priority: u8,
}

/// All families from OC312 on, in rule-id order.
pub static LIST: &[&FamilySpec] = &[
    &github_unverified::SPEC,
    &url_credential::SPEC,
    &groq::SPEC,
    &xai::SPEC,
    &openrouter::SPEC,
    &huggingface::SPEC,
    &perplexity::SPEC,
    &replicate::SPEC,
    &fireworks::SPEC,
    &mistral::SPEC,
    &cohere::SPEC,
    &deepseek::SPEC,
    &together::SPEC,
    &azure_openai::SPEC,
    &telegram::SPEC,
    &discord::SPEC,
    &whatsapp::SPEC,
    &matrix::SPEC,
    &line::SPEC,
    &npm::SPEC,
    &pypi::SPEC,
    &sendgrid::SPEC,
    &twilio::SPEC,
    &jwt::SPEC,
    &discord_webhook::SPEC,
    &stripe_test::SPEC,
];
