//! OC325: Azure OpenAI / Azure AI services keys: 32 hex (classic) or 84 alphanumerics (current), only on a line that names Azure OpenAI or Cognitive Services.

use super::super::{SecretRule, HARDCODED, HARDCODED_FRAMEWORKS, ROTATE};
use super::FamilySpec;

pub static SPEC: FamilySpec = FamilySpec {
    rule: SecretRule {
        id: "OC325",
        name: "azure-openai-api-key",
        family: "azure_openai",
        title: "Hard-coded Azure OpenAI API key",
        description: "Looked up on lines that hold a credential key (`…_API_KEY`, `api_key=`, `…_TOKEN`, `…_SECRET`) or the provider's own anchor. Matches Azure OpenAI / Azure AI services keys (32 hexadecimal digits, or 84 letters and digits in the current format) on a line that names Azure OpenAI (`AZURE_OPENAI_API_KEY=…`, `AzureOpenAI(api_key=\"…\")`, `api-key` next to `openai.azure.com`). The shape alone is not distinctive, so the context is required. A leaked key uses the resource's deployments and quota.",
        help: ROTATE,
        bad_example: concat!("AZURE_OPENAI_API_KEY=", "ec540a2123e", "7cefa30c14d", "732f64cb79", "  # ClawcheckDemo"),
        good_example: "AZURE_OPENAI_API_KEY=${AZURE_OPENAI_API_KEY}",
        severity: "error",
        security_severity: "7.5",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    anchors: &[],
    context: &["azure_openai", "azureopenai", "openai.azure.com", "azure_ai_", "cognitiveservices"],
    priority: 2,
};
