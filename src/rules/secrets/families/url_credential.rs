//! OC313: a password in the user-info part of a URL,
//! `scheme://user:password@host` (RFC 3986 §3.2.1). Connection strings
//! (`postgres://`, `mongodb+srv://`, `amqp://`, `redis://`, `https://`) are
//! where these usually are. Placeholders (`user:password@`, `${PASS}`,
//! `<password>`, `***`, `:@`) and dictionary-like passwords are not reported.

use super::super::{SecretRule, HARDCODED, HARDCODED_FRAMEWORKS, ROTATE};
use super::FamilySpec;

pub static SPEC: FamilySpec = FamilySpec {
    rule: SecretRule {
        id: "OC313",
        name: "url-credential",
        family: "url_credential",
        title: "Hard-coded password in a URL",
        description: "Matches a password in the user-info part of a URL (`scheme://user:password@host`), as in database, \
message-broker, cache and HTTP connection strings. The password must look like one (length, mixed characters, not \
a dictionary word); placeholders (`user:password@`, `${DB_PASSWORD}`, `<password>`, `%s`, `***`), an empty password \
(`user:@host`) and URLs without a host are ignored. Anyone who can read the file can connect as that user.",
        help: ROTATE,
        bad_example: concat!("DATABASE_URL=postgres://app:", "Clawcheck9Demo", "7Pw@db.internal:5432/app"),
        good_example: "DATABASE_URL=postgres://app:${DB_PASSWORD}@db.internal:5432/app",
        severity: "error",
        security_severity: "8.0",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    anchors: &["://"],
    context: &[],
    priority: 1,
};
