#!/usr/bin/env bash
# Action step 2: build clawcheck from the action's own source unless the cache
# restored it, and put it on PATH for the next steps.
set -euo pipefail
: "${GITHUB_ACTION_PATH:?}" "${GITHUB_PATH:?}" "${INSTALL_ROOT:?}"
if [ "${CACHE_HIT:-}" != "true" ] || [ ! -x "$INSTALL_ROOT/bin/clawcheck" ]; then
  command -v cargo >/dev/null || { echo "::error::cargo is not installed on this runner (use dtolnay/rust-toolchain first)"; exit 2; }
  cargo install --locked --path "$GITHUB_ACTION_PATH" --root "$INSTALL_ROOT"
fi
echo "$INSTALL_ROOT/bin" >> "$GITHUB_PATH"
"$INSTALL_ROOT/bin/clawcheck" --version
