#!/usr/bin/env bash
# Action step 3: one clawcheck run that writes the log report, the SARIF file,
# annotations and the step summary, sets the outputs, and exits per fail-on.
set -uo pipefail
: "${GITHUB_OUTPUT:?}"
CLAWCHECK=${CLAWCHECK:-clawcheck}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

read -r -a paths <<< "${INPUT_PATHS:-.}"
args=(check "${paths[@]}" --format "${INPUT_FORMAT:-human}" --fail-on "${INPUT_FAIL_ON:-warning}" --color always)
sarif=${INPUT_SARIF_FILE:-clawcheck.sarif}
args+=(--report "sarif=$sarif" --report "json=$tmp/report.json" --report "markdown=$tmp/summary.md")
if [ "${INPUT_ANNOTATIONS:-true}" = "true" ]; then
  args+=(--report "github=$tmp/annotations.txt")
fi
if [ -n "${INPUT_CONFIG:-}" ]; then
  args+=(--config "$INPUT_CONFIG")
fi
if [ -n "${INPUT_BASELINE:-}" ]; then
  args+=(--baseline "$INPUT_BASELINE")
fi
# changed-since: `auto` is the pull request's base commit on pull_request
# events (clawcheck compares with its merge base with HEAD), else nothing.
since=${INPUT_CHANGED_SINCE:-auto}
if [ "$since" = "auto" ]; then
  case "${GITHUB_EVENT_NAME:-}" in
    pull_request | pull_request_target) since=${PR_BASE_SHA:-} ;;
    *) since= ;;
  esac
fi
if [ -n "$since" ] && [ "$since" != "none" ]; then
  args+=(--changed-since "$since")
fi
read -r -a reports <<< "${INPUT_REPORTS:-}"
for r in "${reports[@]}"; do
  args+=(--report "$r")
done
if [ "${INPUT_LIVE:-false}" = "true" ]; then
  args+=(--live)
fi

# Findings GitHub shows no annotation for (10 of each kind per step) are
# listed in a table clawcheck writes to $GITHUB_STEP_SUMMARY: collected here
# and appended after the summary.
GITHUB_STEP_SUMMARY="${GITHUB_STEP_SUMMARY:+$tmp/rest.md}" "$CLAWCHECK" "${args[@]}"
status=$?

if [ "$status" -eq 2 ]; then
  echo "::error title=clawcheck::clawcheck could not run (exit 2): see the log above"
  echo "sarif-file=" >> "$GITHUB_OUTPUT"
  exit 2
fi
if [ -f "$tmp/annotations.txt" ]; then
  cat "$tmp/annotations.txt"
fi
findings=$(grep -m1 -oE '"findings": [0-9]+' "$tmp/report.json" | grep -oE '[0-9]+$' || echo 0)
{
  echo "findings=$findings"
  echo "sarif-file=$sarif"
} >> "$GITHUB_OUTPUT"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  cat "$tmp/summary.md" >> "$GITHUB_STEP_SUMMARY"
  if [ -f "$tmp/rest.md" ]; then
    { echo; cat "$tmp/rest.md"; } >> "$GITHUB_STEP_SUMMARY"
  fi
fi
exit "$status"
