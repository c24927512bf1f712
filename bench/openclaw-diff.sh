#!/usr/bin/env bash
# Differential harness: clawcheck vs the real `openclaw` (config validate,
# security audit) on the mutation corpus in bench/openclaw-diff/.
#
#   bench/openclaw-diff.sh [--peer] [--version=2026.9.6 ...] [--cost=N]
#
# --version may be given several times: 2026.9.6 (corpus/2026.9, from
# base-2026.9.json) and 2026.2.26 (corpus/2026.2, from base-2026.2.json; the
# peer runs that release's own validator through its helper script). A
# mutation's `versions` says which bases it applies to.
# --cost=N: also runs `openclaw security audit` (through the peer, uncached)
#   and clawcheck on N configs of the corpus one after the other and prints the
#   median wall time per config of each (needs the peer).
#
# - bench/openclaw-diff/mutations.json: one mutation per audited or validated
#   setting, applied to bench/openclaw-diff/base-<major.minor>.json; the
#   generated configs are bench/openclaw-diff/corpus/<major.minor>/*.json.
# - bench/openclaw-diff/checkids.tsv: checkId <-> rule table (docs/openclaw.md's
#   table is checked against it by tests/openclaw_diff.rs).
# - bench/openclaw-diff/explained.tsv: the divergences docs/openclaw.md
#   explains (version, mutation glob, checkId, kind, reason); every other
#   divergence is printed as UNEXPLAINED.
# - bench/openclaw-diff/peer/<version>/: the peer's cached JSON outputs and wall
#   times. Without --peer only the cache is used (CI never needs the peer);
#   with --peer, configs whose cache is missing or stale are run through
#   ../shared/tools/openclaw-peer (about 3.5 s per config and command).
#
# Prints agreement per checkId (both / neither / peer only / clawcheck only /
# severity mismatch), every divergence with its explanation (or UNEXPLAINED),
# the checkIds the peer reported that the table does not map, and the cost per
# config of both tools.
# CLAWCHECK=path overrides the binary (default: a release build).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
if [ -z "${CLAWCHECK:-}" ]; then
  (cd "$root" && cargo build --release --locked --quiet)
  export CLAWCHECK="$root/target/release/clawcheck"
fi
exec python3 "$here/openclaw-diff/diff.py" "$@"
