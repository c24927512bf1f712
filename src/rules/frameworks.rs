//! The frameworks a rule's findings are evidence for, one table per framework
//! with each entry's id and title as its owner publishes it.
//!
//! A rule names the entries it maps to beside its other metadata (`[frameworks]`
//! in `policies/<area>/OCxxx.toml`, `frameworks:` in the Rust rule tables); a
//! test checks that every name is in these tables and that every table entry
//! is used by a rule. A mapping says that a finding of the rule is evidence
//! *against* the entry (the risk is present, the control is not met for that
//! setting); the absence of findings is never a claim of compliance.
//!
//! Sources of the ids and titles:
//! - NIST SP 800-53 Rev. 5: the OSCAL catalog (usnistgov/oscal-content).
//! - OWASP Top 10 for Agentic Applications 2026 (ASI01–ASI10) and OWASP Top 10
//!   for LLM Applications 2025: genai.owasp.org.
//! - MITRE ATLAS 5.6.0: `dist/ATLAS.yaml` of mitre-atlas/atlas-data, including
//!   the OpenClaw case study AML.CS0048.
//! - ISO/IEC 42001:2023 and ISO/IEC 27001:2022 Annex A control titles.
//! - SOC 2: AICPA 2017 Trust Services Criteria (revised points of focus 2022);
//!   the criteria have no official short titles, so the title is a summary of
//!   the criterion's text.
//! - CWE 4.x names (cwe.mitre.org).
//! - EU AI Act, Regulation (EU) 2024/1689, article headings.

use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Framework {
    /// Stable key used in rule metadata, SARIF tags and OSCAL props.
    pub key: &'static str,
    pub name: &'static str,
    /// Where the framework is published; the namespace of its OSCAL props
    /// and the SARIF taxonomy's `informationUri`.
    pub uri: &'static str,
    /// `(id, title)` in the framework's order.
    pub entries: &'static [(&'static str, &'static str)],
}

impl Framework {
    pub fn title(&self, id: &str) -> Option<&'static str> {
        self.entries.iter().find(|(i, _)| *i == id).map(|(_, t)| *t)
    }

    /// The id as the framework prints it (NIST: `IA-5(1)` for `ia-5.1`).
    pub fn label(&self, id: &str) -> String {
        if self.key == NIST {
            super::control_label(id)
        } else {
            id.to_string()
        }
    }
}

/// The key of NIST SP 800-53, whose ids are `Rule::controls`.
pub const NIST: &str = "nist-800-53";

pub static FRAMEWORKS: &[Framework] = &[
    Framework {
        key: "owasp-asi-2026",
        name: "OWASP Top 10 for Agentic Applications 2026",
        uri: "https://genai.owasp.org/resource/owasp-top-10-for-agentic-applications-for-2026/",
        entries: &[
            ("ASI01", "Agent Goal Hijack"),
            ("ASI02", "Tool Misuse and Exploitation"),
            ("ASI03", "Identity and Privilege Abuse"),
            ("ASI05", "Unexpected Code Execution (RCE)"),
            ("ASI06", "Memory and Context Poisoning"),
            ("ASI08", "Cascading Failures"),
            ("ASI10", "Rogue Agents"),
        ],
    },
    Framework {
        key: "owasp-llm-2025",
        name: "OWASP Top 10 for LLM Applications 2025",
        uri: "https://genai.owasp.org/llm-top-10/",
        entries: &[
            ("LLM01", "Prompt Injection"),
            ("LLM02", "Sensitive Information Disclosure"),
            ("LLM06", "Excessive Agency"),
            ("LLM10", "Unbounded Consumption"),
        ],
    },
    Framework {
        key: "mitre-atlas",
        name: "MITRE ATLAS 5.6.0",
        uri: "https://atlas.mitre.org/",
        entries: &[
            ("AML.T0012", "Valid Accounts"),
            ("AML.T0029", "Denial of AI Service"),
            ("AML.T0034.002", "Cost Harvesting: Agentic Resource Consumption"),
            ("AML.T0049", "Exploit Public-Facing Application"),
            ("AML.T0050", "Command and Scripting Interpreter"),
            ("AML.T0051", "LLM Prompt Injection"),
            ("AML.T0053", "AI Agent Tool Invocation"),
            ("AML.T0055", "Unsecured Credentials"),
            ("AML.T0080", "AI Agent Context Poisoning"),
            ("AML.T0081", "Modify AI Agent Configuration"),
            ("AML.T0083", "Credentials from AI Agent Configuration"),
            ("AML.T0105", "Escape to Host"),
            (
                "AML.CS0048",
                "Exposed ClawdBot Control Interfaces Leads to Credential Access and Execution (case study)",
            ),
        ],
    },
    Framework {
        key: "iso-42001",
        name: "ISO/IEC 42001:2023 Annex A",
        uri: "https://www.iso.org/standard/81230.html",
        entries: &[
            ("A.6.2.6", "AI system operation and monitoring"),
            ("A.6.2.8", "AI system recording of event logs"),
            ("A.9.4", "Intended use of the AI system"),
        ],
    },
    Framework {
        key: "iso-27001",
        name: "ISO/IEC 27001:2022 Annex A",
        uri: "https://www.iso.org/standard/27001",
        entries: &[
            ("A.5.15", "Access control"),
            ("A.5.17", "Authentication information"),
            (
                "A.5.36",
                "Compliance with policies, rules and standards for information security",
            ),
            ("A.8.2", "Privileged access rights"),
            ("A.8.3", "Information access restriction"),
            ("A.8.5", "Secure authentication"),
            ("A.8.6", "Capacity management"),
            ("A.8.9", "Configuration management"),
            ("A.8.10", "Information deletion"),
            ("A.8.12", "Data leakage prevention"),
            ("A.8.15", "Logging"),
            ("A.8.16", "Monitoring activities"),
            ("A.8.20", "Networks security"),
            ("A.8.22", "Segregation of networks"),
            ("A.8.24", "Use of cryptography"),
        ],
    },
    Framework {
        key: "soc2",
        name: "SOC 2 Trust Services Criteria (2017, points of focus 2022)",
        uri: "https://www.aicpa-cima.com/resources/download/2017-trust-services-criteria-with-revised-points-of-focus-2022",
        entries: &[
            ("CC6.1", "Logical access security over protected information assets"),
            ("CC6.3", "Access authorised by role, least privilege and segregation of duties"),
            ("CC6.6", "Logical access measures against threats from outside the system boundaries"),
            ("CC6.7", "Restriction of the transmission, movement and removal of information"),
            ("CC6.8", "Prevention or detection of unauthorised or malicious software"),
            ("CC7.1", "Detection of configuration changes that introduce vulnerabilities"),
            ("CC7.2", "Monitoring of system components for anomalies"),
            ("A1.1", "Capacity is maintained, monitored and evaluated"),
        ],
    },
    Framework {
        key: "cwe",
        name: "CWE (Common Weakness Enumeration)",
        uri: "https://cwe.mitre.org/",
        entries: &[
            ("CWE-226", "Sensitive Information in Resource Not Removed Before Reuse"),
            ("CWE-250", "Execution with Unnecessary Privileges"),
            ("CWE-262", "Not Using Password Aging"),
            ("CWE-269", "Improper Privilege Management"),
            ("CWE-284", "Improper Access Control"),
            ("CWE-287", "Improper Authentication"),
            ("CWE-290", "Authentication Bypass by Spoofing"),
            ("CWE-306", "Missing Authentication for Critical Function"),
            ("CWE-307", "Improper Restriction of Excessive Authentication Attempts"),
            ("CWE-321", "Use of Hard-coded Cryptographic Key"),
            ("CWE-346", "Origin Validation Error"),
            ("CWE-348", "Use of Less Trusted Source"),
            ("CWE-400", "Uncontrolled Resource Consumption"),
            ("CWE-403", "Exposure of File Descriptor to Unintended Control Sphere ('File Descriptor Leak')"),
            ("CWE-404", "Improper Resource Shutdown or Release"),
            ("CWE-459", "Incomplete Cleanup"),
            ("CWE-522", "Insufficiently Protected Credentials"),
            ("CWE-532", "Insertion of Sensitive Information into Log File"),
            ("CWE-613", "Insufficient Session Expiration"),
            ("CWE-639", "Authorization Bypass Through User-Controlled Key"),
            ("CWE-653", "Improper Isolation or Compartmentalization"),
            ("CWE-668", "Exposure of Resource to Wrong Sphere"),
            ("CWE-693", "Protection Mechanism Failure"),
            ("CWE-770", "Allocation of Resources Without Limits or Throttling"),
            ("CWE-778", "Insufficient Logging"),
            ("CWE-798", "Use of Hard-coded Credentials"),
            ("CWE-862", "Missing Authorization"),
            ("CWE-942", "Permissive Cross-domain Policy with Untrusted Domains"),
            ("CWE-1391", "Use of Weak Credentials"),
        ],
    },
    Framework {
        key: "eu-ai-act",
        name: "EU AI Act (Regulation (EU) 2024/1689)",
        uri: "https://eur-lex.europa.eu/eli/reg/2024/1689/oj",
        entries: &[
            ("Art. 12", "Record-keeping"),
            ("Art. 15", "Accuracy, robustness and cybersecurity"),
        ],
    },
    Framework {
        key: NIST,
        name: "NIST SP 800-53 Rev. 5",
        uri: "https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final",
        entries: &[
            ("ac-3", "Access Enforcement"),
            ("ac-4", "Information Flow Enforcement"),
            ("ac-6", "Least Privilege"),
            ("ac-7", "Unsuccessful Logon Attempts"),
            ("ac-10", "Concurrent Session Control"),
            ("ac-12", "Session Termination"),
            ("ac-17", "Remote Access"),
            ("au-2", "Event Logging"),
            ("au-5", "Response to Audit Logging Process Failures"),
            ("au-9", "Protection of Audit Information"),
            ("au-12", "Audit Record Generation"),
            ("ca-7", "Continuous Monitoring"),
            ("cm-5", "Access Restrictions for Change"),
            ("cm-6", "Configuration Settings"),
            ("cm-7", "Least Functionality"),
            ("ia-2", "Identification and Authentication (Organizational Users)"),
            ("ia-3", "Device Identification and Authentication"),
            ("ia-5", "Authenticator Management"),
            ("ia-5.1", "Authenticator Management | Password-based Authentication"),
            ("ia-5.7", "Authenticator Management | No Embedded Unencrypted Static Authenticators"),
            ("sc-4", "Information in Shared System Resources"),
            ("sc-5", "Denial-of-service Protection"),
            ("sc-6", "Resource Availability"),
            ("sc-7", "Boundary Protection"),
            ("sc-8", "Transmission Confidentiality and Integrity"),
            ("sc-10", "Network Disconnect"),
            ("sc-12", "Cryptographic Key Establishment and Management"),
            ("sc-23", "Session Authenticity"),
            ("sc-28", "Protection of Information at Rest"),
            ("sc-39", "Process Isolation"),
            ("si-4", "System Monitoring"),
            ("si-7", "Software, Firmware, and Information Integrity"),
        ],
    },
];

pub fn get(key: &str) -> Option<&'static Framework> {
    FRAMEWORKS.iter().find(|f| f.key == key)
}

/// Checks a rule's mapping against the tables: `Err` names the first unknown
/// framework or id.
pub fn check(mapping: &[(&str, &[&str])]) -> Result<(), String> {
    for (key, ids) in mapping {
        let f = get(key).ok_or_else(|| {
            let keys: Vec<&str> = FRAMEWORKS.iter().map(|f| f.key).collect();
            format!("unknown framework `{key}` ({})", keys.join(", "))
        })?;
        if *key == NIST {
            return Err(format!(
                "NIST SP 800-53 controls go in `controls`, not under `{key}`"
            ));
        }
        for id in *ids {
            if f.title(id).is_none() {
                return Err(format!(
                    "`{id}` is not in the {} table (src/rules/frameworks.rs)",
                    f.name
                ));
            }
        }
    }
    Ok(())
}
