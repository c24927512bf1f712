//! Rule metadata for the secret families: OC301–OC311 here, OC312 onwards
//! in one file per family under [`families`].
//!
//! The `bad_example` strings are deliberately *demo* values ("Clawcheck…Demo…
//! 0nly…NotLive") that match the rules but are not credentials; they are
//! written with `concat!` so that no source line holds a whole token.

pub mod families;

/// Documentation and reporting metadata of one secret rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SecretRule {
    pub id: &'static str,
    /// kebab-case, e.g. `openai-api-key`.
    pub name: &'static str,
    pub family: &'static str,
    pub title: &'static str,
    /// What it matches and why it matters.
    pub description: &'static str,
    /// How to fix.
    pub help: &'static str,
    pub bad_example: &'static str,
    pub good_example: &'static str,
    /// `"error"` or `"warning"`.
    pub severity: &'static str,
    /// CVSS-like score for SARIF `security-severity`.
    pub security_severity: &'static str,
    /// NIST SP 800-53 rev5 controls (see `crate::rules::Rule::controls`).
    pub controls: &'static [&'static str],
    /// Other frameworks (see `crate::rules::Rule::frameworks`).
    pub frameworks: crate::rules::Mapping,
}

/// A credential in a file is an embedded static authenticator (IA-5(7)) and
/// unprotected information at rest (SC-28).
pub(crate) const HARDCODED: &[&str] = &["ia-5.7", "sc-28"];

/// A credential in a repository file: CWE-798, sensitive information an agent
/// deployment discloses (LLM02), credentials that let anyone act as the agent
/// or its operator (ASI03), and unsecured credentials (ATLAS AML.T0055).
pub(crate) const HARDCODED_FRAMEWORKS: crate::rules::Mapping = &[
    ("owasp-asi-2026", &["ASI03"]),
    ("owasp-llm-2025", &["LLM02"]),
    ("mitre-atlas", &["AML.T0055"]),
    ("iso-27001", &["A.5.17"]),
    ("soc2", &["CC6.1"]),
    ("cwe", &["CWE-798"]),
    ("eu-ai-act", &["Art. 15"]),
];

pub(crate) const ROTATE: &str = "Treat the value as compromised: revoke or rotate it at the provider first (removing it from the \
file does not remove it from git history, forks, caches or CI logs), then load the new value at run time from the \
environment or a secret store (OpenClaw SecretRef, Vault, a cloud secret manager, Kubernetes Secrets) and keep only \
the reference in the repository. If the match is a test fixture, replace it with an obvious placeholder.";

static RULES: [SecretRule; 11] = [
    SecretRule {
        id: "OC301",
        name: "openai-api-key",
        family: "openai",
        title: "Hard-coded OpenAI API key",
        description: "Matches OpenAI API keys: legacy `sk-…` keys and project, service-account and admin keys \
(`sk-proj-`, `sk-svcacct-`, `sk-admin-`), recognised by the `T3BlbkFJ` marker where present, otherwise by \
length, character mix and entropy. Words that merely contain `sk-` (`task-`, `disk-`), placeholders \
(`sk-...`, `sk-xxxx`, `sk-your-key-here`), masked and sequential values are ignored. A leaked key lets anyone \
spend the organisation's quota and read project data such as files, assistants and fine-tunes.",
        help: ROTATE,
        bad_example: concat!("OPENAI_API_KEY = \"sk-proj-", "ClawcheckDemoKey0nly", "T3BlbkFJ", "NotALiveCredentialForDocs1\""),
        good_example: "OPENAI_API_KEY = os.environ[\"OPENAI_API_KEY\"]",
        severity: "error",
        security_severity: "9.0",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    SecretRule {
        id: "OC302",
        name: "anthropic-api-key",
        family: "anthropic",
        title: "Hard-coded Anthropic API key",
        description: "Matches Anthropic API and admin keys (`sk-ant-api03-…`, `sk-ant-admin01-…`, and the same \
`sk-ant-<kind><NN>-` scheme). A body with the published structure (93 characters ending in `AA`) is reported as \
it is; any other body must be long and random-looking. Takes precedence over the OpenAI rule for the same token. \
Placeholders (`sk-ant-...`, runs of `x`) and prefix checks in code are ignored. A leaked key allows model usage \
billed to the organisation and, for admin keys, managing workspace members and keys.",
        help: ROTATE,
        bad_example: concat!("ANTHROPIC_API_KEY=sk-ant-api03-", "ClawcheckDemoKeyForDocumentation0nly-",
            "ThisIsNotALiveCredential-PleaseDoNotReport-RotateAnyway-42AA"),
        good_example: "client = anthropic.Anthropic(api_key=os.getenv(\"ANTHROPIC_API_KEY\"))",
        severity: "error",
        security_severity: "9.0",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    SecretRule {
        id: "OC303",
        name: "aws-access-key-id",
        family: "aws_access_key_id",
        title: "Hard-coded AWS access key ID",
        description: "Matches AWS access key IDs: `AKIA` (long-term), `ASIA` (STS temporary), `ABIA`, `ACCA` followed \
by 16 base32 characters, as a whole word (not inside a base64 blob). AWS's documentation examples \
(`…EXAMPLE`), placeholders and masked values are ignored. A key ID alone is not a credential, but it \
identifies the account and user, and in practice the secret access key is almost always committed next to it.",
        help: ROTATE,
        bad_example: concat!("aws_access_key_id = AKIA", "CLAWCHECKDEMO234"),
        good_example: "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
        severity: "error",
        security_severity: "7.5",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    SecretRule {
        id: "OC304",
        name: "aws-secret-access-key",
        family: "aws_secret_access_key",
        title: "Hard-coded AWS secret access key",
        description: "Matches 40-character AWS secret access keys, but only with AWS context: assigned to a name such \
as `aws_secret_access_key`, `AWS_SECRET_KEY`, `awsSecretAccessKey`, or within three lines of a valid access key \
ID. Other 40-character strings (git SHAs, checksums, ETags) and the documentation example key are ignored. \
Together with the key ID it grants the full permissions of the IAM user or role.",
        help: ROTATE,
        bad_example: concat!("aws_secret_access_key", " = ", "Clawcheck/Demo+Sec", "ret0nly/NotLive+Abc123"),
        good_example: "aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}",
        severity: "error",
        security_severity: "9.5",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    SecretRule {
        id: "OC305",
        name: "github-token",
        family: "github",
        title: "Hard-coded GitHub token",
        description: "Matches GitHub tokens: classic personal access, OAuth, user-to-server and server-to-server \
tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, verified with their built-in CRC32 checksum), refresh tokens (`ghr_`) \
and fine-grained personal access tokens (`github_pat_`). Placeholders and `${{ secrets.GITHUB_TOKEN }}` \
references are ignored. A leaked token gives its scopes over the owner's repositories and organisations.",
        help: ROTATE,
        bad_example: concat!("GITHUB_TOKEN", "=ghp_", "ClawcheckDemoTok", "en0nlyNotLive104OXhW"),
        good_example: "token: ${{ secrets.GITHUB_TOKEN }}",
        severity: "error",
        security_severity: "9.0",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    SecretRule {
        id: "OC306",
        name: "google-api-key",
        family: "google_api_key",
        title: "Hard-coded Google API key",
        description: "Matches Google Cloud / Firebase / Maps API keys (`AIza` followed by 35 characters). \
Placeholders (`AIza...`, `YOUR_API_KEY`) are ignored. Browser keys are often meant to be public but must be \
restricted by referrer and API; an unrestricted key lets others use paid Google APIs on the project's bill.",
        help: ROTATE,
        bad_example: concat!("GOOGLE_API_KEY=AIza", "SyClawcheckDemoKey0nly", "_NotLive12345"),
        good_example: "  apiKey: process.env.REACT_APP_FIREBASE_API_KEY,",
        severity: "warning",
        security_severity: "6.5",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    SecretRule {
        id: "OC307",
        name: "slack-token",
        family: "slack",
        title: "Hard-coded Slack token or webhook",
        description: "Matches Slack bot, user and app tokens (`xoxb-`, `xoxp-`, `xoxa-`, `xoxr-`, `xoxs-`, `xapp-`), rotating tokens (`xoxe.xoxp-1-`, `xoxe.xoxb-1-`, `xoxe-1-`) \
and incoming-webhook URLs (`https://hooks.slack.com/services/T…/B…/…`). Placeholders such as \
`xoxb-your-bot-token` and masked tokens are ignored. A leaked token lets others read channels, post as the \
bot or user, and exfiltrate workspace data.",
        help: ROTATE,
        bad_example: concat!("SLACK_BOT_TOKEN=xoxb-", "2000000001-3000000000002-", "ClawcheckDemoToken0nly99"),
        good_example: "SLACK_BOT_TOKEN=xoxb-your-bot-token",
        severity: "error",
        security_severity: "8.0",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    SecretRule {
        id: "OC308",
        name: "stripe-secret-key",
        family: "stripe",
        title: "Hard-coded Stripe live secret key",
        description: "Matches Stripe live secret and restricted keys (`sk_live_`, `rk_live_`). Publishable keys \
(`pk_live_`) are public by design and ignored, as are placeholders; test-mode keys (`sk_test_`, `rk_test_`) are \
OC337, a warning. A live secret key can create charges, refunds and payouts and read customer data.",
        help: ROTATE,
        bad_example: concat!("stripe.api_key = \"sk_live_", "ClawcheckDemoKey0nlyNotLive99\""),
        good_example: "const stripe = Stripe(process.env.STRIPE_PUBLISHABLE_KEY);",
        severity: "error",
        security_severity: "9.0",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    SecretRule {
        id: "OC309",
        name: "vault-token",
        family: "vault",
        title: "Hard-coded HashiCorp Vault token",
        description: "Matches HashiCorp Vault service, batch and recovery tokens (`hvs.`, `hvb.`, `hvr.`) with a \
random body. References to Vault paths (`vault:secret/data/…`, injector annotations, `vault kv get`) are the \
recommended practice and are ignored. A leaked token carries its policies: often read access to many secrets.",
        help: ROTATE,
        bad_example: concat!("VAULT_TOKEN=hvs.", "ClawcheckDemoToken0nly", "NotLive123"),
        good_example: "api_key: vault:secret/data/openclaw#api_key",
        severity: "error",
        security_severity: "9.0",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    SecretRule {
        id: "OC310",
        name: "private-key",
        family: "private_key",
        title: "Private key in the repository",
        description: "Matches PEM private keys (RSA, EC, DSA, OpenSSH, PKCS#8, encrypted PKCS#8 and PGP) that have a \
base64 body, including keys JSON-escaped on one line (`\\n` separators) and keys indented in YAML block \
scalars; the finding points at the `-----BEGIN` line. Public keys, certificates and headers without a body are \
ignored. A private key allows impersonating the server, user or signer it belongs to.",
        help: "Revoke the key (remove it from authorized_keys, revoke the certificate, rotate the signing key), then \
mount the replacement at run time from a secret store or a Kubernetes Secret instead of committing it.",
        bad_example: concat!("-----BEGIN ", "PRIVATE", " KEY-----\n",
            "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "ClawcheckDemoPrivateKeyBody0nly+NotAKey/\n",
            "ForDocumentationPurposes9QwErTy", "UiOp1AsDfGhJkL2ZxCvBnM3PlMnBvCx\n",
            "-----END ", "PRIVATE", " KEY-----\n"),
        good_example: "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----\n",
        severity: "error",
        security_severity: "9.5",
        controls: &["ia-5.7", "sc-12", "sc-28"],
        frameworks: &[
            ("owasp-asi-2026", &["ASI03"]),
            ("owasp-llm-2025", &["LLM02"]),
            ("mitre-atlas", &["AML.T0055"]),
            ("iso-27001", &["A.5.17", "A.8.24"]),
            ("soc2", &["CC6.1"]),
            ("cwe", &["CWE-321", "CWE-798"]),
            ("eu-ai-act", &["Art. 15"]),
        ],
    },
    SecretRule {
        id: "OC311",
        name: "generic-secret",
        family: "generic",
        title: "Hard-coded password, secret or token",
        description: "Matches a high-entropy literal assigned to a name containing `password`, `passwd`, `pwd`, \
`secret`, `token` or `api_key`/`apiKey` (assignments, YAML/JSON keys, `.env` lines, function arguments such as \
`os.Setenv(\"API_KEY\", \"…\")`, SQL `INSERT … VALUES`, a connection string or URL query inside a string literal \
such as `\"Server=db;Password=…;\"`), and `Bearer` tokens. The value must look random \
(Shannon entropy, mixed letters and digits, not sequential or repeated); references (`${VAR}`, \
`os.environ[...]`, `{{ … }}`, `vault:`), placeholders (`changeme`, `<your-api-key>`), masks, UUIDs and hashes are \
ignored. Hard-coded credentials end up in every clone, fork, image and log of the repository.",
        help: ROTATE,
        bad_example: concat!("DB_PASSWORD = \"Clawcheck-Demo-", "Passw0rd-7f3Q\""),
        good_example: "DB_PASSWORD = os.environ[\"DB_PASSWORD\"]",
        severity: "warning",
        security_severity: "7.0",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
];

/// All secret rules, in id order: OC301 … OC311, then every family of the
/// registry [`families::LIST`] (OC312 …).
pub fn rules() -> &'static [SecretRule] {
    static ALL: std::sync::OnceLock<Vec<SecretRule>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let mut v = RULES.to_vec();
        v.extend(families::LIST.iter().map(|s| s.rule));
        v
    })
}
