#!/usr/bin/env bash
# Runs every target to RUNS executions (default 1,000,000), one after
# another, from its seeds; prints libFuzzer's closing line per target.
# Build first: RUSTC_BOOTSTRAP=1 cargo fuzz build -s none --release
set -uo pipefail
cd "$(dirname "$0")"
RUNS=${RUNS:-1000000}
BIN=target/x86_64-unknown-linux-gnu/release
seeds() {
  case $1 in
    settings) echo seeds/toml ;;
    secrets) echo seeds/json seeds/text ;;
    *) echo seeds/json ;;
  esac
}
for t in ${TARGETS:-load position secrets redaction settings suppress}; do
  mkdir -p "corpus/$t" "artifacts/$t"
  # shellcheck disable=SC2046
  "$BIN/$t" "corpus/$t" $(seeds "$t") -max_len=4096 -runs="$RUNS" \
    -artifact_prefix="artifacts/$t/" -print_final_stats=1 >"artifacts/$t.log" 2>&1
  echo "$t: exit $? $(grep -E '^Done [0-9]+ runs' "artifacts/$t.log" || tail -n 3 "artifacts/$t.log")"
done
