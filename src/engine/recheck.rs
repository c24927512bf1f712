//! Checking one file from memory with a run's settings: `--fix` checks
//! every fixed version of a file before writing it.

use super::*;

/// Checks single files from memory with the settings of a run: `--fix`
/// (`crate::autofix`) checks every fixed version of a file before writing it.
pub struct Rechecker<'a> {
    opts: &'a CheckOptions,
    policies: PolicySet,
    scanner: crate::checks::secrets::Scanner,
}

/// One file's findings after its inline directives and the waivers, and
/// every secret the file holds (for the redaction gate).
pub struct Rechecked {
    pub findings: Vec<Finding>,
    pub secrets: Vec<String>,
    pub dialect: Option<Dialect>,
}

impl<'a> Rechecker<'a> {
    pub fn new(opts: &'a CheckOptions) -> Result<Rechecker<'a>, CheckError> {
        let extra: Vec<&Path> = opts.extra_policies.iter().map(PathBuf::as_path).collect();
        let mut policies = PolicySet::new(&extra)?;
        set_policy_budget(&mut policies, &opts.settings);
        let scanner = crate::checks::secrets::Scanner::new();
        // Fails here, not at the first file, on a bad sensitivity pattern.
        Context::new(opts, &scanner)?;
        Ok(Rechecker {
            opts,
            policies,
            scanner,
        })
    }

    /// The files a run of these options checks.
    pub fn candidates(&self) -> Result<Vec<Candidate>, CheckError> {
        let mut excludes = self.opts.settings.exclude.clone();
        excludes.extend(self.opts.excludes.iter().cloned());
        Ok(discover_candidates(self.opts, &excludes, 1, None)?)
    }

    /// Checks `bytes` as the contents of `c`.
    pub fn check(&mut self, c: &Candidate, bytes: &[u8]) -> Result<Rechecked, CheckError> {
        let ctx = Context::new(self.opts, &self.scanner)?;
        let out = check_bytes(c, &ctx, &mut self.policies, bytes, FileOutcome::default())?;
        let (mut findings, mut suppressed) = (out.findings, out.suppressed);
        let cwd = std::env::current_dir().unwrap_or_default();
        crate::suppress::apply_waivers(
            &mut findings,
            &mut suppressed,
            &self.opts.settings,
            &crate::suppress::today(),
            &crate::suppress::Coverage {
                ran: &|_| true,
                dirs: Vec::new(),
                files: [c.display.clone()].into(),
                root: settings_root(&self.opts.settings, &cwd),
            },
        );
        canonicalise(&mut findings);
        // a file name can hold a secret too: the diff's headers show it
        let mut secrets = out.secrets;
        secrets.extend(self.scanner.secrets_in(&c.display));
        Ok(Rechecked {
            findings,
            secrets,
            dialect: out.config.map(|c| c.dialect),
        })
    }
}
