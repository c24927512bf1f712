#!/usr/bin/env bash
# What a pre-commit hook costs (numbers are reported, never asserted): the
# release binary on one staged file, as the hooks run it (`check --quiet`,
# `check --only secrets --quiet`), and the same through `pre-commit run` in a
# git repository whose hooks run that binary (`language: system`, as the
# `clawcheck-system` hook does; the `clawcheck` hook runs the same binary,
# built by pre-commit once), and pre-commit's own cost (a hook that runs
# `true`). Median of RUNS (default 15) whole runs each.
#   files: a real 2026.9 config (tests/fixtures/openclaw/hardened.json5 as
#   openclaw.json5), a policy profile (examples/secure.openclaw.json).
# Usage: bench/hooks.sh   (PRE_COMMIT=path/to/pre-commit, default the one on
# PATH; BIN=path to skip the build)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-15}
PRE_COMMIT=${PRE_COMMIT:-pre-commit}
if [ -z "${BIN:-}" ]; then
  cargo build --release --locked --quiet
  BIN=target/release/clawcheck
fi
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp tests/fixtures/openclaw/hardened.json5 "$WORK/openclaw.json5"
cp examples/secure.openclaw.json "$WORK/profile.openclaw.json"
cat > "$WORK/.pre-commit-config.yaml" <<YAML
repos:
  - repo: local
    hooks:
      - id: clawcheck
        name: clawcheck
        entry: $BIN check --quiet
        language: system
        types: [text]
      - id: clawcheck-secrets
        name: clawcheck (secrets only)
        entry: $BIN check --only secrets --quiet
        language: system
        types: [text]
      - id: noop
        name: pre-commit alone (a hook that runs true)
        entry: "true"
        language: system
        types: [text]
YAML
(
  cd "$WORK"
  git init -q
  git config user.email bench@example.invalid
  git config user.name bench
  git add -A
  PRE_COMMIT_HOME="$WORK/.cache" "$PRE_COMMIT" install-hooks > /dev/null
)
python3 - "$BIN" "$WORK" "$RUNS" "$PRE_COMMIT" <<'PY'
import os, resource, statistics, subprocess, sys, time
bin, work, runs, pc = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
env = dict(os.environ, PRE_COMMIT_HOME=f"{work}/.cache", NO_COLOR="1")
def median_ms(cmd):
    """Median wall time and median CPU time (user + system, the process and
    its children: what the run costs whatever else the machine is doing)."""
    times, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        r = subprocess.run(cmd, cwd=work, env=env, capture_output=True)
        times.append((time.perf_counter() - t) * 1000)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
        if r.returncode != 0:
            sys.exit(f"{cmd}: exit {r.returncode}: {r.stdout.decode()}{r.stderr.decode()}")
    return statistics.median(times), statistics.median(cpus)
rows = []
for name, f in [("real 2026.9 config", "openclaw.json5"), ("policy profile", "profile.openclaw.json")]:
    rows.append((f"binary, check --quiet, {name}", median_ms([bin, "check", "--quiet", f])))
    rows.append((f"binary, check --only secrets --quiet, {name}", median_ms([bin, "check", "--only", "secrets", "--quiet", f])))
    rows.append((f"pre-commit run clawcheck --files ({name})", median_ms([pc, "run", "clawcheck", "--files", f])))
    rows.append((f"pre-commit run clawcheck-secrets --files ({name})", median_ms([pc, "run", "clawcheck-secrets", "--files", f])))
rows.append(("pre-commit run noop --files (pre-commit's own cost)", median_ms([pc, "run", "noop", "--files", "openclaw.json5"])))
rows.append(("pre-commit run --files (all three hooks, real config)", median_ms([pc, "run", "--files", "openclaw.json5"])))
print(f"median of {runs} runs each, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
print("    wall       CPU")
for name, (ms, cpu) in rows:
    print(f"{ms:8.1f} ms {cpu:8.1f} ms  {name}")
PY
