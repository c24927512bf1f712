#!/usr/bin/env bash
# Action step 1: which clawcheck to install, and where (outputs: version, install-root).
set -euo pipefail
: "${GITHUB_ACTION_PATH:?}" "${GITHUB_OUTPUT:?}"
version=${INPUT_VERSION:-}
if [ -z "$version" ]; then
  version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$GITHUB_ACTION_PATH/Cargo.toml" | head -n1)
fi
root="${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-/tmp}}/clawcheck/$version"
{
  echo "version=$version"
  echo "install-root=$root"
} >> "$GITHUB_OUTPUT"
