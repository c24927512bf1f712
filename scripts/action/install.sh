#!/usr/bin/env bash
# Action step 2: put clawcheck on PATH for the next steps.
#  1. the cached install, when the cache restored it;
#  2. else the release binary of this version for this runner
#     (.github/workflows/release.yml), verified against the release's
#     SHA256SUMS: a checksum that does not match stops the job;
#  3. else (no release asset for this version or platform, no network)
#     `cargo install` from the action's own source.
# CLAWCHECK_RELEASE_BASE overrides where releases are downloaded from (tests
# serve a fake release on 127.0.0.1); CLAWCHECK_INSTALL_FROM_SOURCE=1 skips
# the download.
set -euo pipefail
: "${GITHUB_ACTION_PATH:?}" "${GITHUB_PATH:?}" "${INSTALL_ROOT:?}"
bin="$INSTALL_ROOT/bin"
exe=clawcheck
[ "${RUNNER_OS:-}" = "Windows" ] && exe=clawcheck.exe

version=${CLAWCHECK_VERSION:-$(sed -n 's/^version = "\(.*\)"/\1/p' "$GITHUB_ACTION_PATH/Cargo.toml" | head -n1)}
base=${CLAWCHECK_RELEASE_BASE:-https://github.com/clawcheck/clawcheck/releases/download}

# The release target for this runner, or nothing when there is none.
target() {
  local os=${RUNNER_OS:-$(uname -s)} arch=${RUNNER_ARCH:-$(uname -m)}
  case "$os/$arch" in
    Linux/X64 | Linux/x86_64) echo x86_64-unknown-linux-musl ;;
    Linux/ARM64 | Linux/aarch64) echo aarch64-unknown-linux-musl ;;
    macOS/ARM64 | Darwin/arm64) echo aarch64-apple-darwin ;;
    macOS/X64 | Darwin/x86_64) echo x86_64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
    *) return 0 ;;
  esac
}

sha256() {
  if command -v sha256sum >/dev/null; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

# Downloads and verifies the release binary into $bin. Returns 1 when there is
# nothing to download (the caller builds from source); exits 2 when the
# download does not match its published checksum.
download() {
  local t asset tmp want got
  t=$(target)
  [ -n "$t" ] || { echo "no release binary for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}"; return 1; }
  command -v curl >/dev/null || { echo "curl not found"; return 1; }
  asset="clawcheck-v$version-$t.tar.gz"
  [[ "$t" == *windows* ]] && asset="clawcheck-v$version-$t.zip"
  tmp=$(mktemp -d)
  if ! curl -fsSL --retry 2 --max-time 120 -o "$tmp/SHA256SUMS" "$base/v$version/SHA256SUMS" \
    || ! curl -fsSL --retry 2 --max-time 300 -o "$tmp/$asset" "$base/v$version/$asset"; then
    echo "no release asset $asset for v$version at $base"
    rm -rf "$tmp"
    return 1
  fi
  want=$(awk -v a="$asset" '$2 == a || $2 == "*" a { print $1 }' "$tmp/SHA256SUMS")
  got=$(sha256 "$tmp/$asset")
  if [ -z "$want" ] || [ "$want" != "$got" ]; then
    echo "::error::$asset does not match the release's SHA256SUMS (expected ${want:-no entry}, got $got): not installing it"
    rm -rf "$tmp"
    exit 2
  fi
  mkdir -p "$tmp/x" "$bin"
  if [[ "$asset" == *.zip ]]; then
    unzip -q "$tmp/$asset" -d "$tmp/x"
  else
    tar -xzf "$tmp/$asset" -C "$tmp/x"
  fi
  local found
  found=$(find "$tmp/x" -type f -name "$exe" | head -n1)
  [ -n "$found" ] || { echo "::error::$asset holds no $exe"; rm -rf "$tmp"; exit 2; }
  install -m 0755 "$found" "$bin/$exe"
  rm -rf "$tmp"
  echo "installed the release binary $asset (sha256 $got)"
}

if [ "${CACHE_HIT:-}" != "true" ] || [ ! -x "$bin/$exe" ]; then
  if [ "${CLAWCHECK_INSTALL_FROM_SOURCE:-}" = "1" ] || ! download; then
    command -v cargo >/dev/null || { echo "::error::no release binary could be installed and cargo is not on this runner (use dtolnay/rust-toolchain first)"; exit 2; }
    echo "building clawcheck $version from the action's source"
    cargo install --locked --path "$GITHUB_ACTION_PATH" --root "$INSTALL_ROOT"
  fi
fi
echo "$bin" >> "$GITHUB_PATH"
"$bin/$exe" --version
