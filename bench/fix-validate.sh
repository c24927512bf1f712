#!/usr/bin/env bash
# `check --fix` against the real OpenClaw: fixes the example configs of
# tests/fixtures/openclaw (every unsafe setting) with the safe fixes, then with
# the unsafe ones too, and validates the original and both fixed versions with
# the real `openclaw config validate` through ../shared/tools/openclaw-peer.
# Not run in CI (it needs the peer: Node and the openclaw npm package).
#
#   bench/fix-validate.sh [--no-peer]
#
# Prints, per config: the findings (and those with an automatic fix) before,
# after `--fix` and after `--unsafe-fixes`, and whether the real OpenClaw
# accepts each version; then the totals. Fails (exit 1) when a fixed config
# that OpenClaw accepted before is rejected after, when a second `--fix` run
# changes a file, or when a fix leaves a finding that has an automatic fix.
#
# The variables the credential fixes introduce (printed by clawcheck, in its
# JSON report's `fixes[].env_vars`) get dummy values in the peer's peer.env.
# The 2026.2 example is validated by 2026.9.6 like the others unless
# OPENCLAW_PEER_2026_2=1 (then peer-versions.tsv also runs it with 2026.2.26,
# which the peer installs from npm).
# CLAWCHECK=path overrides the binary (default: a release build).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
peer="$root/../shared/tools/openclaw-peer"
use_peer=1
[ "${1:-}" = "--no-peer" ] && use_peer=0
if [ -z "${CLAWCHECK:-}" ]; then
  (cd "$root" && cargo build --release --locked --quiet)
  CLAWCHECK="$root/target/release/clawcheck"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
src="$root/tests/fixtures/openclaw"

stage() { # NAME FLAG...
  local name="$1"; shift
  mkdir -p "$work/$name"
  cp "$src"/*.json5 "$src/peer.env" "$work/$name/"
  if [ "${OPENCLAW_PEER_2026_2:-0}" = 1 ]; then cp "$src/peer-versions.tsv" "$work/$name/"; fi
  if [ $# -gt 0 ]; then
    (cd "$work/$name" && "$CLAWCHECK" check --format json --fail-on never "$@" ./*.json5 > "$work/$name.fix.json")
    # Idempotence: a second run of the same fixes changes nothing.
    local sum1 sum2
    sum1="$(cd "$work/$name" && sha256sum ./*.json5)"
    (cd "$work/$name" && "$CLAWCHECK" check --format json --fail-on never "$@" ./*.json5 > /dev/null)
    sum2="$(cd "$work/$name" && sha256sum ./*.json5)"
    if [ "$sum1" != "$sum2" ]; then echo "not idempotent: a second $* changed files" >&2; exit 1; fi
  fi
  (cd "$work/$name" && "$CLAWCHECK" check --format json --fail-on never ./*.json5 > "$work/$name.json")
}
stage original
stage safe --fix
stage unsafe --unsafe-fixes

if [ "$use_peer" = 1 ]; then
  for name in original safe unsafe; do
    # Dummy values for the variables the fixes made the configs read.
    python3 - "$work/$name" "$work/$name.fix.json" <<'EOF'
import json, os, sys
d, report = sys.argv[1], sys.argv[2]
if os.path.exists(report):
    vars_ = sorted({v for f in json.load(open(report)).get("fixes", []) for v in f["env_vars"]})
    with open(os.path.join(d, "peer.env"), "a") as f:
        for v in vars_:
            f.write(f"{v}=peer-dummy-{v.lower().replace('_', '-')}-0123456789abcdef0123456789\n")
EOF
    "$peer" -c config-validate -o "$work/$name.peer" "$work/$name" > "$work/$name.peer.log" 2>&1 \
      || { cat "$work/$name.peer.log" >&2; exit 2; }
  done
fi

python3 - "$work" "$use_peer" <<'EOF'
import json, os, sys
work, use_peer = sys.argv[1], sys.argv[2] == "1"
stages = ["original", "safe", "unsafe"]
def findings(stage):
    r = json.load(open(os.path.join(work, f"{stage}.json")))
    by = {}
    for f in r["findings"]:
        name = os.path.basename(f["path"])
        auto = f.get("fix", {}).get("applicability") in ("safe", "unsafe")
        n, a = by.get(name, (0, 0))
        by[name] = (n + 1, a + auto)
    return by
def valid(stage, name):
    if not use_peer:
        return "-"
    p = os.path.join(work, f"{stage}.peer", name.replace(".json5", "") + ".config-validate.json")
    try:
        return "valid" if json.load(open(p)).get("valid") else "INVALID"
    except (OSError, ValueError):
        return "?"
counts = {s: findings(s) for s in stages}
names = sorted(n for n in os.listdir(os.path.join(work, "original")) if n.endswith(".json5"))
print(f"{'config':28} {'before':>12} {'after --fix':>12} {'after --unsafe-fixes':>21}   openclaw config validate (before / safe / unsafe)")
failed = False
tot = {s: [0, 0] for s in stages}
for n in names:
    cells = []
    for s in stages:
        c, a = counts[s].get(n, (0, 0))
        tot[s][0] += c; tot[s][1] += a
        cells.append(f"{c} ({a} auto)")
    v = [valid(s, n) for s in stages]
    if use_peer and v[0] == "valid" and "INVALID" in v[1:]:
        failed = True
    if counts["unsafe"].get(n, (0, 0))[1] > 0:
        failed = True
    print(f"{n:28} {cells[0]:>12} {cells[1]:>12} {cells[2]:>21}   {' / '.join(v)}")
print(f"{'total':28} {tot['original'][0]:>3} ({tot['original'][1]} auto) {tot['safe'][0]:>3} ({tot['safe'][1]} auto) {tot['unsafe'][0]:>12} ({tot['unsafe'][1]} auto)")
for s in ("safe", "unsafe"):
    r = json.load(open(os.path.join(work, f"{s}.fix.json")))
    fixed = sum(len(f["fixed"]) for f in r.get("fixes", []))
    dropped = [(f["path"], d["rule"], d["reason"]) for f in r.get("fixes", []) for d in f["dropped"]]
    print(f"{s}: {fixed} fixes applied, {len(dropped)} dropped {dropped if dropped else ''}")
sys.exit(1 if failed else 0)
EOF
