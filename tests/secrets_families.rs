//! Per-family unit tests: one planted secret that fires (with its start
//! offset), and decoys that must not. Secrets are assembled at run time from
//! a prefix and pseudo-random characters, so no source line holds one.

use clawcheck::checks::secrets::{redact, rules, Scanner, SecretMatch};

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const URLSAFE: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const DIGITS: &[u8] = b"0123456789";
const HEX: &[u8] = b"0123456789abcdef";

/// Deterministic pseudo-random string over `alphabet` that contains an
/// upper-case letter, a lower-case letter and a digit when the alphabet has them.
fn rnd(seed: u64, alphabet: &[u8], n: usize) -> String {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    loop {
        let s: String = (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                alphabet[(x % alphabet.len() as u64) as usize] as char
            })
            .collect();
        let need = |f: fn(&char) -> bool| {
            !alphabet.iter().any(|&c| f(&(c as char))) || s.chars().any(|c| f(&c))
        };
        if n < 12
            || (need(char::is_ascii_uppercase)
                && need(char::is_ascii_lowercase)
                && need(char::is_ascii_digit))
        {
            return s;
        }
    }
}

fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in data {
        c ^= b as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

fn github_classic(prefix: &str, seed: u64) -> String {
    const B62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let body = rnd(seed, ALNUM, 30);
    let mut n = crc32(body.as_bytes());
    let mut cs = [b'0'; 6];
    for i in (0..6).rev() {
        cs[i] = B62[(n % 62) as usize];
        n /= 62;
    }
    format!("{}_{}{}", prefix, body, std::str::from_utf8(&cs).unwrap())
}

fn scan(text: &str) -> Vec<SecretMatch> {
    Scanner::new().scan(text.as_bytes())
}

/// Assert exactly one finding of `family` starting at `start`.
fn assert_one(text: &str, family: &str, start: usize) -> SecretMatch {
    let m = scan(text);
    assert_eq!(m.len(), 1, "expected one {family} finding, got {:?}", m);
    assert_eq!(m[0].family, family, "{:?}", m);
    assert_eq!(m[0].start, start, "{:?}", m);
    m.into_iter().next().unwrap()
}

fn assert_none(text: &str) {
    let m = scan(text);
    assert!(
        m.is_empty(),
        "expected no finding in decoy #{} chars, got {:?}",
        text.len(),
        m
    );
}

fn plant(before: &str, secret: &str, after: &str) -> (String, usize) {
    (format!("{before}{secret}{after}"), before.len())
}

// ---------------------------------------------------------------- OpenAI
#[test]
fn openai_fires() {
    let key = format!(
        "{}{}{}FJ{}",
        "sk-proj-",
        rnd(1, URLSAFE, 74),
        "T3Blbk",
        rnd(2, URLSAFE, 74)
    );
    let (t, s) = plant("client = OpenAI(api_key=\"", &key, "\")\n");
    let m = assert_one(&t, "openai", s);
    assert_eq!(m.rule, "OC301");
    assert_eq!(m.end, s + key.len());
    let legacy = format!(
        "{}{}{}FJ{}",
        "sk-",
        rnd(3, ALNUM, 20),
        "T3Blbk",
        rnd(4, ALNUM, 20)
    );
    let (t, s) = plant("export OPENAI_API_KEY=", &legacy, "\n");
    assert_one(&t, "openai", s);
}

#[test]
fn openai_decoys() {
    assert_none(&format!("OPENAI_API_KEY=sk-{}\n", "x".repeat(48)));
    assert_none("export OPENAI_API_KEY=\"sk-...\"  # paste your key here\n");
    assert_none(&format!("TASK_ID = \"task-{}\"\n", rnd(5, HEX, 48)));
    assert_none(&format!("  \"diskId\": \"disk-{}\",\n", rnd(6, ALNUM, 48)));
    assert_none("// e.g. sk-1234567890abcdef1234567890abcdef1234567890abcdef\n");
    assert_none("const apiKey = process.env.OPENAI_API_KEY ?? \"sk-your-key-here\";\n");
    assert_none(&format!(
        "Your key looks like `sk-proj-{}`.\n",
        "*".repeat(40)
    ));
}

// ---------------------------------------------------------------- Anthropic
#[test]
fn anthropic_fires_and_beats_openai() {
    let key = format!("{}{}AA", "sk-ant-api03-", rnd(7, URLSAFE, 93));
    let (t, s) = plant("ANTHROPIC_API_KEY=", &key, "\n");
    let m = assert_one(&t, "anthropic", s);
    assert_eq!(m.rule, "OC302");
    let admin = format!("{}{}AA", "sk-ant-admin01-", rnd(8, URLSAFE, 93));
    let (t, s) = plant("  -H \"x-api-key: ", &admin, "\" \\\n");
    assert_one(&t, "anthropic", s);
}

/// The published structure (93 characters ending in `AA`) is reported even
/// when its body reads like a hand-typed sample: the structure is the check.
#[test]
fn anthropic_keys_with_the_full_structure_are_reported_even_when_they_look_typed() {
    let body = "abc123xyz-456def789ghij-klmnopqrstuvwx-3456yza789bcde-1234fghijklmnopby56aaaogaopaaaabc123xyz";
    assert_eq!(body.len(), 93);
    let key = format!("sk-ant-api03-{body}AA");
    let (t, s) = plant("API Key: ", &key, "\n");
    assert_one(&t, "anthropic", s);
    // without the structure the same body is a sample, not a key
    assert_none(&format!("API Key: sk-ant-api03-{}\n", &body[..80]));
}

#[test]
fn anthropic_decoys() {
    assert_none(&format!(
        "ANTHROPIC_API_KEY=sk-ant-api03-{}AA\n",
        "x".repeat(93)
    ));
    assert_none("export ANTHROPIC_API_KEY='sk-ant-...'\n");
    assert_none("if (!key.startsWith(\"sk-ant-\")) throw new Error(\"invalid key\");\n");
}

// ---------------------------------------------------------------- AWS
#[test]
fn aws_key_id_and_secret_fire() {
    let id = format!("AKIA{}", rnd(9, B32, 16));
    let secret = rnd(10, B64, 40);
    let t = format!("[default]\naws_access_key_id = {id}\naws_secret_access_key = {secret}\n");
    let m = scan(&t);
    assert_eq!(m.len(), 2, "{:?}", m);
    assert_eq!(
        (m[0].family, m[0].start),
        ("aws_access_key_id", t.find(&id).unwrap())
    );
    assert_eq!(
        (m[1].family, m[1].start),
        ("aws_secret_access_key", t.find(&secret).unwrap())
    );
    assert_eq!((m[0].rule, m[1].rule), ("OC303", "OC304"));
}

#[test]
fn aws_secret_next_to_key_id_without_keyword() {
    let id = format!("ASIA{}", rnd(11, B32, 16));
    let secret = rnd(12, B64, 40);
    let t = format!("var creds = credentials.NewStaticCredentialsProvider(\n\t\"{id}\",\n\t\"{secret}\",\n\t\"\",\n)\n");
    let m = scan(&t);
    assert_eq!(m.len(), 2, "{:?}", m);
    assert_eq!(
        (m[1].family, m[1].start),
        ("aws_secret_access_key", t.find(&secret).unwrap())
    );
}

#[test]
fn aws_decoys() {
    assert_none("aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n");
    assert_none("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n");
    assert_none("AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX\n");
    assert_none("AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY}\n");
    assert_none(&format!("AWS_SECRET_ACCESS_KEY: {}\n", "a".repeat(40)));
    // An AKIA run inside a base64 blob.
    assert_none(&format!(
        "  \"thumbnail\": \"data:image/png;base64,iVBORw0KGgo{}AKIA{}{}\",\n",
        rnd(13, B64, 60),
        rnd(14, B32, 16),
        rnd(15, B64, 40)
    ));
    // 40-char strings without AWS context: git SHA, etag.
    assert_none(&format!(
        "      - uses: actions/checkout@{}  # v4\n",
        rnd(16, HEX, 40)
    ));
    assert_none(&format!("  \"etag\": \"{}\",\n", rnd(17, B64, 40)));
}

// ---------------------------------------------------------------- GitHub
#[test]
fn github_fires() {
    let tok = github_classic("ghp", 18);
    let (t, s) = plant("gh = Github(\"", &tok, "\")\n");
    assert_eq!(assert_one(&t, "github", s).rule, "OC305");
    let tok = github_classic("ghs", 19);
    let (t, s) = plant(
        "git clone https://x-access-token:",
        &tok,
        "@github.com/acme/app.git\n",
    );
    assert_one(&t, "github", s);
    let pat = format!(
        "github_pat_11{}_{}",
        rnd(20, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 20),
        rnd(21, ALNUM, 59)
    );
    let (t, s) = plant("GITHUB_TOKEN=", &pat, "\n");
    assert_one(&t, "github", s);
}

#[test]
fn github_decoys() {
    assert_none("          token: ${{ secrets.GITHUB_TOKEN }}\n");
    assert_none(&format!("GITHUB_TOKEN=ghp_{}\n", "x".repeat(36)));
    assert_none("    GITHUB_TOKEN=ghp_1234567890abcdefghijklmnopqrstuvwxyz\n");
    // Right shape, wrong CRC32 checksum: reported, but as OC312 (a warning),
    // not as a verified OC305 token (changed deliberately: issue 13).
    let mut bad = github_classic("ghp", 22);
    let last = if bad.ends_with('A') { "B" } else { "A" };
    bad.replace_range(bad.len() - 1.., last);
    let m = scan(&format!("TOKEN_FIXTURE = \"{bad}\"\n"));
    assert_eq!(m.len(), 1, "{m:?}");
    assert_eq!((m[0].rule, m[0].start), ("OC312", 17));
}

// ---------------------------------------------------------------- Google
#[test]
fn google_fires() {
    let key = format!("AIzaSy{}", rnd(23, URLSAFE, 33));
    let (t, s) = plant(
        "<script src=\"https://maps.googleapis.com/maps/api/js?key=",
        &key,
        "&callback=initMap\"></script>\n",
    );
    assert_eq!(assert_one(&t, "google_api_key", s).rule, "OC306");
}

#[test]
fn google_decoys() {
    assert_none(&format!("GOOGLE_API_KEY=AIzaSy{}\n", "X".repeat(33)));
    assert_none("The key starts with `AIza...`; restrict it to your HTTP referrers.\n");
    assert_none("google_api_key: \"<GOOGLE_API_KEY>\"\n");
}

// ---------------------------------------------------------------- Slack
#[test]
fn slack_fires() {
    let tok = format!(
        "xoxb-{}-{}-{}",
        rnd(24, DIGITS, 12),
        rnd(25, DIGITS, 13),
        rnd(26, ALNUM, 24)
    );
    let (t, s) = plant("slack = WebClient(token=\"", &tok, "\")\n");
    assert_eq!(assert_one(&t, "slack", s).rule, "OC307");
    let app = format!(
        "xapp-1-A{}-{}-{}",
        rnd(27, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10),
        rnd(28, DIGITS, 13),
        rnd(29, HEX, 64)
    );
    let (t, s) = plant("SLACK_APP_TOKEN=", &app, "\n");
    assert_one(&t, "slack", s);
    let hook = format!(
        "{}T{}/B{}/{}",
        "https://hooks.slack.com/services/",
        rnd(30, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10),
        rnd(31, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10),
        rnd(32, ALNUM, 24)
    );
    let (t, s) = plant("webhook_url: ", &hook, "\n");
    assert_one(&t, "slack", s);
}

#[test]
fn slack_decoys() {
    assert_none("SLACK_BOT_TOKEN=xoxb-your-bot-token\n");
    assert_none("    SLACK_TOKEN=xoxb-0000000000-0000000000000-xxxxxxxxxxxxxxxxxxxxxxxx\n");
    assert_none(
        "2024-01-01T00:00:00.000Z INFO [api] posting to #ops with token=xoxb-***redacted***\n",
    );
}

// ---------------------------------------------------------------- Stripe
#[test]
fn stripe_fires() {
    let key = format!("sk_live_51{}", rnd(33, ALNUM, 97));
    let (t, s) = plant("stripe.api_key = \"", &key, "\"\n");
    assert_eq!(assert_one(&t, "stripe", s).rule, "OC308");
    let rk = format!("rk_live_{}", rnd(34, ALNUM, 24));
    let (t, s) = plant("const stripe = require(\"stripe\")(\"", &rk, "\");\n");
    assert_one(&t, "stripe", s);
}

#[test]
fn stripe_decoys() {
    assert_none(&format!(
        "const stripe = Stripe(\"pk_live_{}\");\n",
        rnd(35, ALNUM, 24)
    ));
    assert_none(&format!(
        "  \"publishableKey\": \"pk_live_51{}\",\n",
        rnd(36, ALNUM, 97)
    ));
    assert_none(&format!("STRIPE_SECRET_KEY=sk_live_{}\n", "x".repeat(24)));
    assert_none("stripe.api_key = os.environ[\"STRIPE_SECRET_KEY\"]\n");
}

/// Test-mode keys are their own rule (OC337), a warning: a live key stays
/// OC308 and a test key is never reported as one.
#[test]
fn stripe_test_keys_are_a_warning_of_their_own() {
    let key = format!("sk_test_51{}", rnd(39, ALNUM, 97));
    fires(&format!("stripe.api_key = \"{key}\"\n"), &key, "OC337");
    let rk = format!("rk_test_{}", rnd(40, ALNUM, 24));
    fires(&format!("STRIPE_RESTRICTED_KEY={rk}\n"), &rk, "OC337");
    let rule = clawcheck::rules::get("OC337").expect("OC337 is registered");
    assert_eq!(rule.severity, clawcheck::finding::Severity::Warning);
    // the publishable test key is public; placeholders, elisions and
    // identifiers that start like a key are not keys
    assert_none(&format!(
        "const stripe = Stripe(\"pk_test_{}\");\n",
        rnd(41, ALNUM, 24)
    ));
    assert_none(&format!("STRIPE_SECRET_KEY=sk_test_{}\n", "x".repeat(24)));
    assert_none("Use `sk_test_...` until it works, then `sk_live_...`.\n");
    assert_none("sk_test_user_profile_key = load_key(\"test\")\n");
    // cut out of a longer word
    assert_none(&format!("xsk_test_{}\n", rnd(42, ALNUM, 24)));
}

// ---------------------------------------------------------------- Vault
#[test]
fn vault_fires() {
    let tok = format!("hvs.{}", rnd(37, ALNUM, 24));
    let (t, s) = plant("vault login ", &tok, "\n");
    assert_eq!(assert_one(&t, "vault", s).rule, "OC309");
    let tok = format!("hvb.AAAAAQ{}", rnd(38, URLSAFE, 128));
    let (t, s) = plant("VAULT_TOKEN=", &tok, "\n");
    assert_one(&t, "vault", s);
}

#[test]
fn vault_decoys() {
    assert_none("api_key: vault:secret/data/billing#api_key\n");
    assert_none(&format!("VAULT_TOKEN=hvs.{}\n", "X".repeat(24)));
    assert_none("VAULT_TOKEN = \"hvs.example\"\n");
    assert_none("    vault.hashicorp.com/agent-inject-secret-config: \"secret/data/ledger\"\n");
}

// ---------------------------------------------------------------- PEM
fn pem_body(seed: u64, lines: usize) -> Vec<String> {
    (0..lines).map(|i| rnd(seed + i as u64, B64, 64)).collect()
}

#[test]
fn private_key_fires_plain_json_yaml_encrypted() {
    let body = pem_body(40, 6);
    let begin = format!("-----BEGIN {}-----", "RSA PRIVATE KEY");
    let end = format!("-----END {}-----", "RSA PRIVATE KEY");
    // Plain key file, after a PKCS#12 `Bag Attributes` preamble.
    let t = format!("Bag Attributes\n    localKeyID: 01 02 03\nKey Attributes: <No Attributes>\n{begin}\n{}\n{end}\n", body.join("\n"));
    let m = assert_one(&t, "private_key", t.find(&begin).unwrap());
    assert_eq!(m.rule, "OC310");
    assert_eq!(&t[m.end - end.len()..m.end], end, "finding spans the block");
    // JSON-escaped on one line.
    let b8 = format!("-----BEGIN {}-----", "PRIVATE KEY");
    let t = format!("{{\n  \"type\": \"service_account\",\n  \"private_key\": \"{b8}\\n{}\\n-----END PRIVATE KEY-----\\n\",\n}}\n", body.join("\\n"));
    assert_one(&t, "private_key", t.find(&b8).unwrap());
    // Indented in a YAML block scalar.
    let bo = format!("-----BEGIN {}-----", "OPENSSH PRIVATE KEY");
    let t = format!(
        "tls:\n  key: |\n    {bo}\n    {}\n    -----END OPENSSH PRIVATE KEY-----\n",
        body.join("\n    ")
    );
    assert_one(&t, "private_key", t.find(&bo).unwrap());
    // Encrypted legacy PEM with RFC 1421 headers, and encrypted PKCS#8.
    let t = format!(
        "{begin}\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,{}\n\n{}\n{end}\n",
        rnd(41, b"0123456789ABCDEF", 32),
        body.join("\n")
    );
    assert_one(&t, "private_key", 0);
    let be = format!("-----BEGIN {}-----", "ENCRYPTED PRIVATE KEY");
    let t = format!(
        "{be}\n{}\n-----END ENCRYPTED PRIVATE KEY-----\n",
        body.join("\n")
    );
    assert_one(&t, "private_key", 0);
    let bd = format!("-----BEGIN {}-----", "DSA PRIVATE KEY");
    let t = format!(
        "x = \"\"\"{bd}\n{}\n-----END DSA PRIVATE KEY-----\n\"\"\"\n",
        body.join("\n")
    );
    assert_one(&t, "private_key", 7);
}

#[test]
fn private_key_decoys() {
    let body = pem_body(50, 6).join("\n");
    assert_none(&format!(
        "-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----\n"
    ));
    assert_none(&format!(
        "-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n"
    ));
    assert_none("PEM_HEADER = \"-----BEGIN RSA PRIVATE KEY-----\"\n");
    assert_none("```\n-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n```\n");
    assert_none("  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n<your key>\\n-----END PRIVATE KEY-----\\n\",\n");
    assert_none(&format!(
        "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
        "A".repeat(64)
    ));
}

// ---------------------------------------------------------------- generic
#[test]
fn generic_fires() {
    let v = rnd(60, HEX, 32);
    let (t, s) = plant("API_KEY = \"", &v, "\"\n");
    assert_eq!(assert_one(&t, "generic", s).rule, "OC311");
    let pw = format!("{}!{}", rnd(61, ALNUM, 10), rnd(62, ALNUM, 9));
    let (t, s) = plant("DB_PASSWORD=", &pw, "\n");
    assert_one(&t, "generic", s);
    let v = rnd(63, ALNUM, 32);
    let (t, s) = plant("const clientSecret: string = '", &v, "';\n");
    assert_one(&t, "generic", s);
    let (t, s) = plant("HEADERS = {\"Authorization\": \"Bearer ", &v, "\"}\n");
    assert_one(&t, "generic", s);
    let (t, s) = plant("\tos.Setenv(\"AUTH_TOKEN\", \"", &v, "\")\n");
    assert_one(&t, "generic", s);
    let (t, s) = plant(
        "INSERT INTO integrations (name, api_token) VALUES ('ledger', '",
        &v,
        "');\n",
    );
    assert_one(&t, "generic", s);
    let (t, s) = plant("const passwd: &str = \"", &v, "\";\n");
    assert_one(&t, "generic", s);
}

#[test]
fn generic_decoys() {
    for d in [
        "API_KEY = os.environ[\"API_KEY\"]",
        "password: ${DB_PASSWORD}",
        "DB_PASSWORD=changeme",
        "  \"password\": \"********\",",
        "api_key = \"<your-api-key>\"",
        "password = getpass.getpass(\"Password: \")",
        "const secret = config.get(\"auth.secret\");",
        "password: \"{{ lookup('env', 'DB_PASSWORD') }}\"",
        "API_KEY=your_api_key_here",
        "api_key = \"0123456789abcdef0123456789abcdef\"",
        "secret_key = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "const passwordField = \"password\"",
        "    password: <redacted>",
        "let api_key = std::env::var(\"API_KEY\").expect(\"API_KEY not set\");",
        "    private String password = \"\";",
        "export API_TOKEN=\"${API_TOKEN:?missing}\"",
        "connecting with api_key=[REDACTED] password=*****",
        "AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}",
        "curl -H \"Authorization: Bearer $OPENAI_API_KEY\" https://api.openai.com/v1/models",
        "tokenizer_model = \"bert-base-multilingual-uncased-v2\"",
        "secretKeyRef: {name: db, key: password}",
    ] {
        assert_none(&format!("{d}\n"));
    }
    assert_none(&format!(
        "request_id = \"{}-{}-4{}-a{}-{}\"\n",
        rnd(64, HEX, 8),
        rnd(65, HEX, 4),
        rnd(66, HEX, 3),
        rnd(67, HEX, 3),
        rnd(68, HEX, 12)
    ));
    assert_none(&format!("secret_sha256 = \"{}\"\n", rnd(69, HEX, 64)));
    assert_none(&format!(
        "      \"integrity\": \"sha512-{}==\",\n",
        rnd(70, B64, 86)
    ));
}

// ---------------------------------------------------------------- cross-cutting
#[test]
fn specific_family_wins_over_generic_and_output_is_sorted() {
    let oa = format!(
        "{}{}{}FJ{}",
        "sk-",
        rnd(71, ALNUM, 20),
        "T3Blbk",
        rnd(72, ALNUM, 20)
    );
    let gh = github_classic("gho", 73);
    let v = rnd(74, ALNUM, 28);
    let t = format!("GITHUB_TOKEN={gh}\nOPENAI_API_KEY=\"{oa}\"\nAPP_SECRET={v}\n");
    let m = scan(&t);
    let fams: Vec<&str> = m.iter().map(|m| m.family).collect();
    assert_eq!(fams, ["github", "openai", "generic"]);
    assert!(m.windows(2).all(|w| w[0].start < w[1].start));
}

#[test]
fn arbitrary_bytes_latin1_and_nul() {
    let gh = github_classic("ghp", 75);
    let mut buf: Vec<u8> =
        b"// Donn\xe9es mises en cache \xff\xfe\x00\x00 garbage \x80\x81\n".to_vec();
    let s = buf.len() + "TOKEN = \"".len();
    buf.extend_from_slice(format!("TOKEN = \"{gh}\"\n").as_bytes());
    buf.extend_from_slice(b"\xc3\x28 tail \x00 sk- AKIA token= Bearer \xff");
    let m = Scanner::new().scan(&buf);
    assert_eq!(m.len(), 1, "{:?}", m);
    assert_eq!((m[0].family, m[0].start), ("github", s));
    assert!(Scanner::new().scan(b"").is_empty());
}

#[test]
fn redaction_and_fingerprint() {
    let key = format!(
        "{}{}{}FJ{}",
        "sk-proj-",
        rnd(76, URLSAFE, 74),
        "T3Blbk",
        rnd(77, URLSAFE, 74)
    );
    let m = &scan(&format!("k = \"{key}\"\n"))[0];
    assert_eq!(m.redacted, format!("{}…[{} chars]", &key[..10], key.len()));
    assert!(!m.redacted.contains(&key[..11]));
    assert!(!format!("{:?}", m).contains(&key[..11]));
    assert!(m.fingerprint.starts_with("sha256:") && m.fingerprint.len() == 7 + 32);
    assert!(m.fingerprint[7..]
        .bytes()
        .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    assert_eq!(redact(b"abcdefghijklmnop"), "abc…[16 chars]");
    assert_eq!(
        redact(b"-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE"),
        "-----BEGIN EC PRIVATE KEY-----…[39 chars]"
    );
    assert_eq!(redact(b"\xff\x00abcdefghijklmn"), "??a…[16 chars]");
}

#[test]
fn rules_metadata_and_examples() {
    let r = rules();
    let fams = [
        "openai",
        "anthropic",
        "aws_access_key_id",
        "aws_secret_access_key",
        "github",
        "google_api_key",
        "slack",
        "stripe",
        "vault",
        "private_key",
        "generic",
    ];
    assert!(r.len() > 11);
    let sc = Scanner::new();
    let mut names = std::collections::HashSet::new();
    for (i, rule) in r.iter().enumerate() {
        assert_eq!(rule.id, format!("OC{}", 301 + i));
        if i < fams.len() {
            assert_eq!(rule.family, fams[i]);
        }
        assert!(names.insert(rule.name), "duplicate rule name {}", rule.name);
        assert!(
            rule.name
                .bytes()
                .all(|c| c.is_ascii_lowercase() || c == b'-'),
            "{}",
            rule.name
        );
        assert!(rule.severity == "error" || rule.severity == "warning");
        assert!(rule.security_severity.parse::<f32>().is_ok());
        assert!(rule.description.len() > 100 && !rule.help.is_empty() && !rule.title.is_empty());
        let bad = sc.scan(rule.bad_example.as_bytes());
        assert!(
            bad.iter().any(|m| m.rule == rule.id),
            "bad_example of {} does not fire: {:?}",
            rule.id,
            bad
        );
        let good = sc.scan(rule.good_example.as_bytes());
        assert!(
            good.is_empty(),
            "good_example of {} fires: {:?}",
            rule.id,
            good
        );
        // Demo values only: every example secret is visibly marked as such.
        assert!(rule.bad_example.contains("Clawcheck") || rule.bad_example.contains("CLAWCHECK"));
    }
}

#[test]
fn scanner_is_send_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Scanner>();
    assert_send_sync::<SecretMatch>();
}

#[test]
fn aws_key_ids_are_doc_examples_only_when_they_end_in_example() {
    let s = clawcheck::checks::secrets::Scanner::new();
    let doc = concat!("AKIAIOSF", "ODNN7EXAMPLE");
    assert!(s
        .scan(format!("aws_access_key_id = {doc}\n").as_bytes())
        .is_empty());
    let real_format = concat!("AKIAQX7EX", "AMPLE4PEER2");
    let m = s.scan(format!("AWS_ACCESS_KEY_ID: \"{real_format}\"\n").as_bytes());
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].rule, "OC303");
}

// ------------------------------------------------- families OC312 onwards
// Formats from the providers' documentation and other scanners' public rule
// sets (gitleaks, trufflehog, detect-secrets, GitHub secret scanning).

const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

fn rule_of(text: &str) -> Vec<&'static str> {
    scan(text).iter().map(|m| m.rule).collect()
}

/// One finding of rule `id` starting where `tok` starts in `text`.
fn fires(text: &str, tok: &str, id: &str) {
    let m = scan(text);
    let at = text.find(tok).expect("token in text");
    assert_eq!(m.len(), 1, "{id}: {m:?} in {:?}", redact(text.as_bytes()));
    assert_eq!((m[0].rule, m[0].start), (id, at), "{m:?}");
}

fn hex(seed: u64, n: usize) -> String {
    rnd(seed, HEX, n)
}

#[test]
fn model_provider_prefixed_keys_fire() {
    let cases = [
        (format!("gsk_{}", rnd(1, ALNUM, 52)), "OC314"),
        (format!("xai-{}", rnd(2, ALNUM, 80)), "OC315"),
        (format!("sk-or-v1-{}", hex(3, 64)), "OC316"),
        (format!("hf_{}", rnd(4, LETTERS, 34)), "OC317"),
        (format!("pplx-{}", rnd(6, ALNUM, 48)), "OC318"),
        (format!("r8_{}", rnd(7, ALNUM, 37)), "OC319"),
        (format!("fw_{}", rnd(8, ALNUM, 24)), "OC320"),
    ];
    for (tok, id) in &cases {
        fires(&format!("LLM_KEY=\"{tok}\"\n"), tok, id);
        fires(&format!("  api_key: {tok}\n"), tok, id);
    }
}

#[test]
fn model_provider_decoys() {
    for t in [
        "GROQ_API_KEY=gsk_...".to_string(),
        format!("GROQ_API_KEY=gsk_{}", "x".repeat(52)),
        "OPENROUTER_API_KEY=sk-or-v1-...".to_string(),
        format!("OPENROUTER_API_KEY=sk-or-v1-{}", "0".repeat(64)),
        format!("HF_TOKEN=hf_{}", "x".repeat(34)),
        "Use `hf_...` tokens (see huggingface.co/settings/tokens)".to_string(),
        format!("PPLX=pplx-{}…", &rnd(6, ALNUM, 20)),
        format!("shelf_{}", rnd(8, ALNUM, 24)), // `…f_` inside a word
        "REPLICATE_API_TOKEN=r8_your_token_here".to_string(),
        format!("XAI_API_KEY=xai-{}", rnd(2, ALNUM, 30)), // too short
    ] {
        assert_none(&format!("{t}\n"));
    }
}

#[test]
fn context_only_keys_need_their_provider() {
    let mistral = rnd(11, ALNUM, 32);
    fires(&format!("MISTRAL_API_KEY={mistral}\n"), &mistral, "OC321");
    let cohere = rnd(12, ALNUM, 40);
    fires(
        &format!("co = cohere.Client(\"{cohere}\")\n"),
        &cohere,
        "OC322",
    );
    let ds = format!("sk-{}", hex(13, 32));
    fires(&format!("DEEPSEEK_API_KEY={ds}\n"), &ds, "OC323");
    let tg = hex(14, 64);
    fires(&format!("TOGETHER_API_KEY={tg}\n"), &tg, "OC324");
    let az = hex(15, 32);
    fires(&format!("AZURE_OPENAI_API_KEY=\"{az}\"\n"), &az, "OC325");
    let tw = hex(16, 32);
    fires(&format!("TWILIO_AUTH_TOKEN={tw}\n"), &tw, "OC334");
    let line = hex(17, 32);
    fires(&format!("LINE_CHANNEL_SECRET={line}\n"), &line, "OC330");
    // The same values without the provider's name: nothing specific.
    for v in [&mistral, &cohere, &ds, &tg, &az] {
        let m = scan(&format!("value = {v}\n"));
        assert!(
            m.iter().all(|m| m.rule == "OC311" || m.rule == "OC301"),
            "{m:?}"
        );
    }
    assert_none(&format!("checksum: {tg}  # together with the build\n"));
    assert_none(&format!("MISTRAL_MODEL={}\n", "mistral-large-latest"));
}

#[test]
fn channel_tokens_fire() {
    let tg = format!("7{}:AA{}", rnd(21, DIGITS, 9), rnd(22, URLSAFE, 33));
    fires(&format!("TELEGRAM_BOT_TOKEN={tg}\n"), &tg, "OC326");
    fires(
        &format!("curl https://api.telegram.org/bot{tg}/getMe\n"),
        &tg,
        "OC326",
    );
    // Discord: base64 of an 18-digit id . 6 . 38
    let id = base64_std(format!("1{}", rnd(23, DIGITS, 17)).as_bytes());
    let id = id.trim_end_matches('=');
    let dc = format!("{id}.{}.{}", rnd(24, URLSAFE, 6), rnd(25, URLSAFE, 38));
    fires(&format!("DISCORD_TOKEN={dc}\n"), &dc, "OC327");
    let wa = format!("EAAG{}", rnd(26, ALNUM, 180));
    fires(&format!("WHATSAPP_TOKEN={wa}\n"), &wa, "OC328");
    let mx = format!(
        "syt_{}_{}_{}",
        base64_std(b"openclaw-bot").trim_end_matches('='),
        rnd(27, ALNUM, 20),
        rnd(28, ALNUM, 6)
    );
    fires(&format!("MATRIX_ACCESS_TOKEN={mx}\n"), &mx, "OC329");
    let xapp = format!(
        "xapp-1-A{}-{}-{}",
        rnd(29, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10),
        rnd(30, DIGITS, 13),
        hex(31, 64)
    );
    fires(&format!("SLACK_APP_TOKEN={xapp}\n"), &xapp, "OC307");
}

#[test]
fn channel_decoys() {
    for t in [
        "TELEGRAM_BOT_TOKEN=123456789:your-bot-token".to_string(),
        format!("id 12345678901:AA{}", rnd(22, URLSAFE, 33)), // 11-digit id
        format!("DISCORD_TOKEN={}.abcdef.{}", "x".repeat(24), "y".repeat(38)),
        format!(
            "discord widget {}.{}.{}",
            rnd(1, ALNUM, 24),
            rnd(2, ALNUM, 6),
            rnd(3, ALNUM, 30)
        ), // id is not digits
        "SLACK_BOT_TOKEN=xoxb-…-…".to_string(),
        format!("SLACK_BOT_TOKEN=xoxb-{}", rnd(4, ALNUM, 30)),
        "WHATSAPP_TOKEN=EAAxxxxxxxx".to_string(),
    ] {
        assert_none(&format!("{t}\n"));
    }
}

fn base64_std(data: &[u8]) -> String {
    const A: &[u8] = B64;
    let mut out = String::new();
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn registry_tokens_fire() {
    let npm = format!("npm_{}", rnd(41, ALNUM, 36));
    fires(
        &format!("//registry.npmjs.org/:_authToken={npm}\n"),
        &npm,
        "OC331",
    );
    let pypi = format!("pypi-AgEIcHlwaS5vcmc{}", rnd(42, URLSAFE, 120));
    fires(&format!("password = {pypi}\n"), &pypi, "OC332");
    let sg = format!("SG.{}.{}", rnd(43, URLSAFE, 22), rnd(44, URLSAFE, 43));
    fires(&format!("SENDGRID_API_KEY='{sg}'\n"), &sg, "OC333");
    // a key id of 20-24 and a secret of 39-50 characters, as other scanners
    // accept; outside those, or run on into more key characters, not a key
    for (id, secret, seed) in [(21, 49, 45), (20, 39, 47), (24, 50, 49)] {
        let sg = format!(
            "SG.{}.{}",
            rnd(seed, URLSAFE, id),
            rnd(seed + 1, URLSAFE, secret)
        );
        fires(&format!("sendgrid token = '{sg}'\n"), &sg, "OC333");
    }
    for (id, secret, seed) in [(19, 43, 51), (25, 43, 53), (22, 38, 55), (22, 51, 57)] {
        let text = format!(
            "SENDGRID_API_KEY=SG.{}.{}\n",
            rnd(seed, URLSAFE, id),
            rnd(seed + 1, URLSAFE, secret)
        );
        let m = scan(&text);
        assert!(m.iter().all(|m| m.rule != "OC333"), "{id}/{secret}: {m:?}");
    }
    assert_none("//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n");
    assert_none(&format!("npm_{}\n", "x".repeat(36)));
    assert_none("TWINE_PASSWORD=pypi-AgEIcHlwaS5vcmc...\n");
    assert_none("SENDGRID_API_KEY=SG.xxxxxxxx.yyyyyyyy\n");
}

#[test]
fn jwt_fires_only_with_a_json_header_and_a_signature() {
    let hdr = base64_std(br#"{"alg":"HS256","typ":"JWT"}"#)
        .trim_end_matches('=')
        .replace('+', "-");
    let payload = base64_std(br#"{"sub":"1234567890","name":"n"}"#)
        .trim_end_matches('=')
        .replace('+', "-");
    let jwt = format!("{hdr}.{payload}.{}", rnd(51, URLSAFE, 43));
    fires(&format!("SUPABASE_KEY={jwt}\n"), &jwt, "OC335");
    // no signature, alg none, or a header that is not JSON
    assert_none(&format!("t = {hdr}.{payload}.\n"));
    let none = base64_std(br#"{"alg":"none"}"#)
        .trim_end_matches('=')
        .to_string();
    assert_none(&format!("t = {none}.{payload}.{}\n", rnd(52, URLSAFE, 43)));
    assert_none(&format!(
        "t = eyJ{}.{}.{}\n",
        rnd(53, ALNUM, 30),
        payload,
        rnd(54, URLSAFE, 43)
    ));
}

#[test]
fn github_every_prefix_url_user_and_jwt_installation_tokens() {
    for (i, p) in ["ghp", "gho", "ghu", "ghs"].iter().enumerate() {
        let t = github_classic(p, 60 + i as u64);
        fires(&format!("T=\"{t}\"\n"), &t, "OC305");
    }
    let ghr = format!("ghr_{}", rnd(70, ALNUM, 76));
    fires(&format!("refresh: {ghr}\n"), &ghr, "OC305");
    let pat = format!("github_pat_11{}_{}", rnd(71, ALNUM, 20), rnd(72, ALNUM, 59));
    fires(&format!("GH_PAT={pat}\n"), &pat, "OC305");
    let ghs = github_classic("ghs", 73);
    fires(
        &format!("git clone https://x-access-token:{ghs}@github.com/o/r.git\n"),
        &ghs,
        "OC305",
    );
    fires(
        &format!("git clone https://{ghs}@github.com/o/r.git\n"),
        &ghs,
        "OC305",
    );
    let hdr = base64_std(br#"{"alg":"RS256","typ":"JWT"}"#)
        .trim_end_matches('=')
        .to_string();
    let jwt = format!(
        "ghs_{hdr}.{}.{}",
        rnd(74, URLSAFE, 60),
        rnd(75, URLSAFE, 86)
    );
    fires(&format!("GITHUB_TOKEN={jwt}\n"), &jwt, "OC305");
}

#[test]
fn url_credentials() {
    let pw = format!("{}9{}", rnd(80, ALNUM, 8), rnd(81, b"!*~", 1));
    let url = format!("postgres://app:{pw}@db.internal:5432/app");
    fires(&format!("DATABASE_URL={url}\n"), &pw, "OC313");
    let url = format!("mongodb+srv://svc:{pw}@cluster0.example.net/db");
    fires(&format!("uri = \"{url}\"\n"), &pw, "OC313");
    for decoy in [
        "postgres://user:password@localhost/db",
        "redis://:@localhost:6379",
        "amqp://guest:guest@localhost:5672/",
        "postgres://app:${DB_PASSWORD}@db/app",
        "mysql://root:<password>@127.0.0.1/x",
        "https://user:****@example.com/",
        "postgres://app:%s@%s/app",
        "http://user:changeme123@localhost/",
        "https://host.example.com:8443/path@v2",
    ] {
        assert_none(&format!("URL={decoy}\n"));
    }
}

#[test]
fn base64_pem_vault_legacy_and_aws_secret_next_to_doc_key_id() {
    let pem = format!(
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEow{}\n{}\n-----END RSA PRIVATE KEY-----\n",
        rnd(90, B64, 58),
        rnd(91, B64, 64)
    );
    let enc = base64_std(pem.as_bytes());
    fires(&format!("  tls.key: {enc}\n"), &enc, "OC310");
    fires(&format!("{{\"key\": \"{enc}\"}}\n"), &enc, "OC310");
    let cert = base64_std(b"-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----\n");
    assert_none(&format!("  tls.crt: {cert}\n"));

    let s = format!("s.{}", rnd(92, ALNUM, 24));
    fires(&format!("VAULT_TOKEN={s}\n"), &s, "OC309");
    assert_none(&format!("x = {s}\n"));

    let secret = rnd(93, B64, 40);
    let doc_id = concat!("AKIAIOSF", "ODNN7EXAMPLE");
    fires(
        &format!("aws_access_key_id = {doc_id}\naws_secret = {secret}\n"),
        &secret,
        "OC304",
    );
    assert_eq!(rule_of(&format!("id: {doc_id}\n")), Vec::<&str>::new());
}

/// In source code, a key inside a string literal (a connection string, a
/// URL query) takes an unquoted value; the same text outside a string is a
/// statement whose value is an identifier.
#[test]
fn generic_reads_connection_strings_and_queries_inside_code_strings() {
    use clawcheck::checks::secrets::Syntax;
    let sc = Scanner::new();
    let v = rnd(101, ALNUM, 20);
    let code = |t: &str| sc.scan_as(t.as_bytes(), Syntax::Code);
    for t in [
        format!("var cs = \"Server=tcp:db,1433;Database=app;User ID=app;Password={v};Encrypt=True;\";\n"),
        format!("url = \"postgresql://db:5432/app?sslmode=require&user=app&password={v}\"\n"),
        format!("String u = \"jdbc:hive2://db:10000/default;user=etl;password={v}\";\n"),
    ] {
        let m = code(&t);
        assert_eq!(m.len(), 1, "{t:?}: {m:?}");
        assert_eq!((m[0].rule, m[0].start), ("OC311", t.find(&v).unwrap()), "{t:?}");
    }
    for t in [
        format!("init(); password={v};\n"),
        "var a = \"Server=db;User ID=app;Password={0};\";\n".to_string(),
        "var b = \"Server=db;User ID=app;Password=\" + pw + \";\";\n".to_string(),
        "var c = $\"Server=db;User ID=app;Password={pw};\";\n".to_string(),
        "var d = \"Server=db;Password=%s;\";\n".to_string(),
        "var e = \"Server=db;Password=<your-password>;\";\n".to_string(),
        "var f = \"Server=db;Password=********;\";\n".to_string(),
        "var g = \"Server=db;Password=${DB_PASSWORD};\";\n".to_string(),
        "var h = \"Server=myServerAddress;Database=myDataBase;User Id=myUsername;Password=myPassword;\";\n".to_string(),
        "url = f\"postgresql://db/app?user={user}&password={password}\"\n".to_string(),
        // a quote closed before the key: not in a string
        format!("x = \"a\"; password={v};\n"),
    ] {
        assert!(code(&t).is_empty(), "{t:?}: {:?}", code(&t));
    }
}

#[test]
fn generic_needs_a_credential_key_and_a_literal_value() {
    use clawcheck::checks::secrets::Syntax;
    let sc = Scanner::new();
    let v = rnd(100, ALNUM, 20);
    let code = |t: &str| sc.scan_as(t.as_bytes(), Syntax::Code);
    let conf = |t: &str| sc.scan_as(t.as_bytes(), Syntax::Config);
    // fires
    for t in [
        format!("DB_PASSWORD = \"{v}\"\n"),
        format!("const apiKey: string = '{v}';\n"),
        format!("$config['client_secret'] => '{v}',\n"),
        format!("var c = new NetworkCredential(\"svc\", \"{v}\");\n"),
        format!("$p = ConvertTo-SecureString \"{v}\" -AsPlainText -Force\n"),
        format!("authToken := \"{v}\"\n"),
        format!("{{password:\"{v}\"}}\n"),
    ] {
        let m = code(&t);
        assert_eq!(m.len(), 1, "{t:?}: {m:?}");
        assert_eq!(m[0].rule, "OC311");
    }
    for t in [
        format!("DB_PASSWORD={v}\n"),
        format!("  client_secret: {v}\n"),
        format!("mysql --user app --password {v} db\n"),
    ] {
        assert_eq!(conf(&t).len(), 1, "{t:?}");
    }
    // does not fire
    for t in [
        "pub const IFLA_INET6_TOKEN: _bindgen_ty_7 = 7;\n".to_string(),
        "pub const DEVCONF_STABLE_SECRET: u32 = 0x1f2e3d4c5b6a;\n".to_string(),
        "fn expand(tokens: proc_macro2::TokenStream) -> Result<X, Y> {\n".to_string(),
        "    pub token_start: crate::__u32,\n".to_string(),
        "implementation \"com.token:monitor:8.15.13\"\n".to_string(),
        "url = \"jdbc:postgresql://token.payment.org:5432/db9x\"\n".to_string(),
        "'token' => 'required|string|max:140',\n".to_string(),
        format!("tokenizer = \"{v}\"\n"),
        format!("password_hash = \"{v}\"\n"),
        format!("token = get_token(\"{v}\")\n"),
        "password = \"${DB_PASSWORD}\"\n".to_string(),
        "password: \"{{ .Values.password }}\"\n".to_string(),
        "api_key = \"%(API_KEY)s\"\n".to_string(),
        "secret = \"ENC[AES256_GCM,data:Tr7oQ9x,iv:q83jd,tag:Kx0=]\"\n".to_string(),
        "password = \"$2b$12$KIXQJzNq9R8x7v2WbZq3UOe\"\n".to_string(),
        "db_password = \"s3cr3t-t0ken-123\"\n".to_string(),
        "password: 'bm90IG15IHJlYWwgcGFzc3dvcmQ='\n".to_string(),
        "password = \"your-api-key\"\n".to_string(),
        "token = \"<token>\"\n".to_string(),
    ] {
        assert!(code(&t).is_empty(), "{t:?}: {:?}", code(&t));
    }
    assert!(conf(&format!("SECRET_KEY=super::{v}\n")).is_empty());
    assert!(conf("TOKEN=0x7fffffff12345678\n").is_empty());
}

/// Shapes read from other scanners' published test vectors
/// (`bench/upstream_vectors.py`): written here from the formats, not copied.
#[test]
fn upstream_shapes_discord_webhooks_short_url_passwords_provider_keys() {
    let id = rnd(61, DIGITS, 18);
    let id = format!("1{}", &id[1..]);
    let tok = rnd(62, URLSAFE, 68);
    let hook = format!("https://discord.com/api/webhooks/{id}/{tok}");
    fires(&format!("  discord_hook: \"{hook}\"\n"), &hook, "OC336");
    let old = format!("https://discordapp.com/api/webhooks/{id}/{tok}");
    fires(&format!("WEBHOOK={old}\n"), &old, "OC336");
    // another host, a short id, a masked or short token: no finding
    assert_none(&format!(
        "u = 'https://example.com/api/webhooks/{id}/{tok}'\n"
    ));
    assert_none(&format!(
        "u = 'https://discord.com/api/webhooks/123/{tok}'\n"
    ));
    assert_none(&format!(
        "u = 'https://discord.com/api/webhooks/{id}/{}'\n",
        "x".repeat(68)
    ));
    assert_none(&format!(
        "u = 'https://discord.com/api/webhooks/{id}/abcDEF123'\n"
    ));

    // a six-character password in a URL with an IP host
    let pw = "d7N8bs";
    let (text, _) = plant("db - 'postgres://sN19x:", pw, "@10.1.2.3:5432'\n");
    fires(&text, pw, "OC313");
    assert_none("db - 'postgres://app:abc12@10.1.2.3:5432'\n");
    // demo words, also percent-encoded
    assert_none("u = \"http://user:pass%20word@example.com/path\"\n");
    assert_none("u = \"http://user:p%40ss%3Aword@example.com/path\"\n");
    assert_none("u = \"https://admin:MyP@ssw0rd123@db.example.com\"\n");
    assert_none("cvs -d :pserver:anoncvs@sources.example.org:/cvs/src\n");
    assert_none("u = 'cvs://:pserver:anoncvs@sources.example.org:/cvs/src'\n");
    assert_none("u = 'https://foo.com:123,foo:b4rQ9x@bar.com/path'\n");

    // Hugging Face tokens with digits
    let hf = format!("hf_{}", rnd(63, ALNUM, 34));
    fires(&format!("huggingface_secret: \"{hf}\"\n"), &hf, "OC317");

    // a provider's name before `key` is a credential key for the generic rule
    let v = rnd(64, ALNUM, 24);
    fires(&format!("OPENAI_KEY = \"{v}\"\n"), &v, "OC311");
    fires(&format!("const openaiKey = \"{v}\";\n"), &v, "OC311");
    assert_none(&format!("primary_key = \"{v}\"\n"));
}

#[test]
fn upstream_shapes_templates_and_token_variants() {
    let v = hex(71, 64);
    // XML elements, Go typed declarations, PHP `.=`, Makefile `::=` / `:::=`
    for text in [
        format!("<apiToken>\n    {v}\n</apiToken>\n"),
        format!("<apiToken>{v}</apiToken>\n"),
        format!("var apiToken string = \"{v}\"\n"),
        format!("$apiToken .= \"{v}\";\n"),
        format!("API_TOKEN ::= \"{v}\"\n"),
        format!("API_TOKEN :::= \"{v}\"\n"),
    ] {
        fires(&text, &v, "OC311");
    }
    // a path or a comparison is no assignment; a mismatched element no value
    assert_none(&format!("let t = Self::TOKEN; if token == \"{v}\" {{}}\n"));
    assert_none(&format!("<apiToken>{v}</other>\n"));

    // GitHub and npm tokens whose checksum fails are reported unverified
    let gh = format!(
        "ghp_{}",
        rnd(72, b"abcdefghijklmnopqrstuvwxyz0123456789", 36)
    );
    fires(&format!("githubToken=\"{gh}\"\n"), &gh, "OC312");
    let npm = format!(
        "npm_{}",
        rnd(73, b"abcdefghijklmnopqrstuvwxyz0123456789", 36)
    );
    fires(&format!("NPM_TOKEN={npm}\n"), &npm, "OC331");
    // Hugging Face organisation tokens, Slack rotating tokens
    let org = format!("api_org_{}", rnd(74, LETTERS, 34));
    fires(&format!("HF_TOKEN={org}\n"), &org, "OC317");
    let rot = format!("xoxe.xoxp-1-{}", rnd(75, ALNUM, 120));
    fires(&format!("SLACK_TOKEN={rot}\n"), &rot, "OC307");
    let refresh = format!("xoxe-1-{}", rnd(76, ALNUM, 120));
    fires(&format!("SLACK_REFRESH={refresh}\n"), &refresh, "OC307");
    assert_none(&format!("SLACK_TOKEN=xoxe.xoxp-1-{}\n", "x".repeat(120)));

    // public or anti-forgery values, and a key published on purpose
    let v = rnd(77, ALNUM, 40);
    assert_none(&format!("publicToken = \"{v}\"\n"));
    assert_none(&format!("csrf-token={v}\n"));
    assert_none(",apiKey:\"6fe4476ee5a1832882e326b506d14126\",\n"); // Yarn's Algolia search key
    fires(&format!("privateToken = \"{v}\"\n"), &v, "OC311");

    // pagination cursors and change markers of cloud APIs, type names
    for key in [
        "NextToken",
        "nextPageToken",
        "starting-token",
        "ChangeToken",
        "ClientToken",
    ] {
        assert_none(&format!("\"{key}\": \"{v}\"\n"));
    }
    assert_none(&format!(
        "    \"AWS::IAM::AccessKey\": \"{}\",\n",
        hex(78, 16)
    ));
    assert_none(&format!("    \"AWS::MSK::BatchScramSecret\": \"{v}\",\n"));
    fires(&format!("\"SessionToken\": \"{v}\"\n"), &v, "OC311");
}
