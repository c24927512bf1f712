#!/usr/bin/env bash
# Real-code false-positive benchmark (reported, not asserted): scans the
# dependency source already on this machine, which nobody here wrote:
#   - the cargo registry sources (~/.cargo/registry/src),
#   - a Python package directory (Debian's dist-packages, else site-packages),
#   - npm's own node_modules (`npm root -g`/npm).
# Prints clawcheck's finding count per rule and every finding (up to SAMPLE per
# rule) as path:line rule redacted-evidence; then gitleaks' count on the same
# directories when a gitleaks binary is on PATH or given as GITLEAKS=path
# (Debian ships one from trixie on: `apt-get download gitleaks` there, or
# unpack the .deb from the sid pool with `dpkg-deb -x`).
# Nothing prints a whole value: clawcheck's evidence is redacted, and for
# gitleaks only rule ids and locations are shown.
# Usage: bench/realcode.sh [DIR...]     (default: the three trees above)
#        SAMPLE=N  findings shown per rule (default 40)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SAMPLE=${SAMPLE:-40}
if [ $# -gt 0 ]; then
  DIRS=("$@")
else
  DIRS=()
  [ -d "$HOME/.cargo/registry/src" ] && DIRS+=("$HOME/.cargo/registry/src")
  if [ -d /usr/lib/python3/dist-packages ]; then
    DIRS+=(/usr/lib/python3/dist-packages)
  else
    SP=$(python3 -c 'import site;print(site.getsitepackages()[0])' 2>/dev/null || true)
    [ -n "$SP" ] && [ -d "$SP" ] && DIRS+=("$SP")
  fi
  NPM_ROOT=$(npm root -g 2>/dev/null || true)
  if [ -n "$NPM_ROOT" ] && [ -d "$NPM_ROOT/npm" ]; then DIRS+=("$NPM_ROOT/npm"); fi
fi
[ ${#DIRS[@]} -gt 0 ] || { echo "no dependency source found" >&2; exit 2; }
if [ -z "${BIN:-}" ]; then
  cargo build --release --locked --quiet
  BIN=$ROOT/target/release/clawcheck
fi
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
echo "trees:"
for d in "${DIRS[@]}"; do echo "  $d  ($(du -sh "$d" 2>/dev/null | cut -f1))"; done
T0=$(date +%s.%N)
"$BIN" check "${DIRS[@]}" --only secrets --format json --fail-on never --threads 2 -o "$OUT/cc.json"
T1=$(date +%s.%N)
python3 - "$OUT/cc.json" "$SAMPLE" "$T0" "$T1" <<'PY'
import json, sys, collections
rep = json.load(open(sys.argv[1]))
sample = int(sys.argv[2])
fs = rep["findings"]
s = rep["summary"]
print(f"clawcheck: {len(fs)} findings in {s['files_scanned']} files, {s['bytes_scanned']/1e6:.0f} MB, {float(sys.argv[4]) - float(sys.argv[3]):.1f} s")
by = collections.defaultdict(list)
for f in fs:
    by[(f["rule"], f["name"])].append(f)
for (rule, name), items in sorted(by.items()):
    print(f"  {rule} {name:<28} {len(items)}")
for (rule, name), items in sorted(by.items()):
    print(f"-- {rule} {name}")
    for f in sorted(items, key=lambda f: (f["path"], f["line"]))[:sample]:
        print(f"   {f['path']}:{f['line']}  {f.get('evidence', '')}")
PY
GL=${GITLEAKS:-$(command -v gitleaks || true)}
if [ -n "$GL" ]; then
  n=0
  G0=$(date +%s.%N)
  for d in "${DIRS[@]}"; do
    "$GL" dir "$d" --no-banner --redact --exit-code 0 --report-format json --report-path "$OUT/gl.json" >/dev/null 2>&1 \
      || "$GL" detect --no-git --source "$d" --no-banner --redact --exit-code 0 --report-format json --report-path "$OUT/gl.json" >/dev/null 2>&1 || true
    k=$(python3 -c 'import json,sys;print(len(json.load(open(sys.argv[1])) or []))' "$OUT/gl.json" 2>/dev/null || echo 0)
    python3 - "$OUT/gl.json" <<'PY' >> "$OUT/gl.txt" 2>/dev/null || true
import json, sys
for f in json.load(open(sys.argv[1])) or []:
    print(f"   {f['File']}:{f['StartLine']}  {f['RuleID']}")
PY
    n=$((n + k))
  done
  G1=$(date +%s.%N)
  echo "gitleaks ($("$GL" version 2>/dev/null)): $n findings, $(python3 -c "print(f'{$G1 - $G0:.1f}')") s"
  awk '{print $2}' "$OUT/gl.txt" 2>/dev/null | sort | uniq -c | sort -rn | awk '{printf "  %-28s %s\n", $2, $1}'
  head -n "$SAMPLE" "$OUT/gl.txt" 2>/dev/null || true
else
  echo "gitleaks: unavailable (not on PATH and GITLEAKS not set)"
fi
