#!/usr/bin/env bash
# Bounded time and memory on huge inputs (numbers are reported, never
# asserted). Inputs are generated here, never committed:
#   1. a policy profile with 100,000 agents (~8.7 MB)      goal < 2 s, < 200 MB peak RSS
#   2. a real OpenClaw config with 100,000 agents entries  goal < 2 s, < 200 MB peak RSS
#   3. a 500 MB openclaw.json (over limits.max_config_bytes) goal: anonymous memory < 256 MB
#   4. a 500 MB data.json whose text names "openclaw"       goal: anonymous memory < 256 MB
# Usage: bench/scale.sh   (BIN=path to skip the build; AGENTS=100000; BIG_MB=500)
set -euo pipefail
cd "$(dirname "$0")/.."
AGENTS=${AGENTS:-100000}
BIG_MB=${BIG_MB:-500}
if [ -z "${BIN:-}" ]; then
  cargo build --release --locked --quiet
  BIN=target/release/clawcheck
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 - "$WORK" "$AGENTS" "$BIG_MB" <<'PY'
import json, os, sys
work, n, big_mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
kinds = ["critical", "routine", "prod", "batch", "research", "payments"]
runtimes = ["thread-bound", "session", "shared"]
agents = {f"{kinds[i % 6]}-{i}": {"runtime": runtimes[i % 3], "auto-destroy": i % 5 != 0,
                                  "timeout": [60, 120, 300, 900, 0][i % 5]} for i in range(n)}
with open(f"{work}/profile.openclaw.json", "w") as f:
    json.dump({"openclaw": {"agents": agents,
                            "monitoring": {"agents": {"metrics": ["execution-time", "error-rate"]}}}}, f, indent=1)
text = open("tests/fixtures/openclaw/hardened.json5").read()
entries = "".join(f'      agent{i}: {{ name: "Agent {i}", runtime: {{ type: "embedded" }} }},\n' for i in range(n))
text = text.replace('      main: { name: "Main", runtime: { type: "embedded" } },\n', entries, 1)
assert f"agent{n-1}" in text
with open(f"{work}/openclaw.json5", "w") as f:
    f.write(text)
# 500 MB: one array of short objects, written in chunks.
chunk = ('{"name": "agent", "runtime": "session", "timeout": 60},' * 1000).encode()
for name, head in (("openclaw.json", b'{"openclaw": {"agents": {"x": {}}, "data": ['),
                   ("data.json", b'{"note": "openclaw", "data": [')):
    with open(f"{work}/{name}", "wb") as f:
        f.write(head)
        written = len(head)
        while written < big_mb << 20:
            f.write(chunk)
            written += len(chunk)
        f.write(b'{}]}' + (b'}' if name == "openclaw.json" else b''))
PY
# Peak RSS is getrusage's ru_maxrss (what `/usr/bin/time -v` reports as
# "Maximum resident set size"); it counts the pages of a memory-mapped file
# too, so the peak of anonymous memory (RssAnon, sampled every 2 ms from
# /proc/PID/status) is shown beside it. CPU is user + system time: on a
# busy machine wall-clock time is mostly waiting for a core.
python3 - "$BIN" "$WORK" <<'PY'
import json, os, subprocess, sys, time
bin, work = sys.argv[1], sys.argv[2]
for name in ("profile.openclaw.json", "openclaw.json5", "openclaw.json", "data.json"):
    path = f"{work}/{name}"
    start = time.monotonic()
    with open(f"{work}/out.json", "wb") as out:
        p = subprocess.Popen([bin, "check", "--format", "json", path], stdout=out, stderr=subprocess.DEVNULL)
        # Peak RSS from the child's own VmHWM: ru_maxrss of a forked child
        # starts from this Python process's size (which grows by the last
        # report it read), so it over-reports every case after the first.
        anon = hwm = 0
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            try:
                with open(f"/proc/{p.pid}/status") as st:
                    for line in st:
                        if line.startswith("RssAnon:"):
                            anon = max(anon, int(line.split()[1]))
                        elif line.startswith("VmHWM:"):
                            hwm = max(hwm, int(line.split()[1]))
            except OSError:
                pass
            time.sleep(0.002)
    wall = time.monotonic() - start
    cpu = ru.ru_utime + ru.ru_stime
    code = os.waitstatus_to_exitcode(status)
    try:
        findings = len(json.load(open(f"{work}/out.json"))["findings"])
    except Exception:
        findings = "?"
    print(f"{name:24} {os.path.getsize(path):>11} bytes  wall {wall:6.2f} s  cpu {cpu:6.2f} s  "
          f"peak RSS {hwm // 1024:>5} MB  peak anon {anon // 1024:>5} MB  "
          f"exit {code}  findings {findings}")
PY
