#!/usr/bin/env bash
# Benchmarks of the check pipeline (not a test: numbers are reported, not asserted).
#   1. one small config, whole process, median wall time of 50 runs (goal < 20 ms)
#   2. 1,000 generated policy-profile configs in one run, median of 5 (goal < 1 s on 2 cores)
# Usage: bench/pipeline.sh [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-50}
cargo build --release --locked --quiet
BIN=target/release/clawcheck
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 - "$WORK" <<'PY'
import json, os, random, sys
root = sys.argv[1]
random.seed(1)
os.makedirs(f"{root}/many")
for i in range(1000):
    agents = {}
    for j in range(random.randint(1, 6)):
        name = random.choice(["critical", "routine", "prod", "batch", "research", "payments"]) + f"-{j}"
        agents[name] = {"runtime": random.choice(["thread-bound", "session", "shared"]),
                        "auto-destroy": random.random() < 0.8,
                        "timeout": random.choice([60, 120, 300, 900, 0])}
    secrets = {f"s{j}": {"provider": random.choice(["external", "inline"]), "source": random.choice(["vault", "aws-kms", "notes"]),
                         "rotation": random.choice(["daily", "weekly", "monthly", "7d", "never"])} for j in range(random.randint(0, 4))}
    doc = {"openclaw": {"agents": agents, "secrets": secrets,
           "monitoring": {"agents": {"metrics": ["execution-time", "error-rate"]}}}}
    sub = f"{root}/many/team{i % 37}"
    os.makedirs(sub, exist_ok=True)
    with open(f"{sub}/svc{i}.openclaw.json", "w") as f:
        json.dump(doc, f, indent=2)
PY
cp examples/secure.openclaw.json "$WORK/small.openclaw.json"
python3 - "$BIN" "$WORK" "$RUNS" <<'PY'
import statistics, subprocess, sys, time
bin, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
def median_ms(args, n):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run([bin, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), min(times)
m, lo = median_ms(["check", f"{work}/small.openclaw.json"], runs)
print(f"small config, whole process:   median {m:7.1f} ms  (min {lo:.1f} ms, {runs} runs; goal < 20 ms)")
for threads in ["1", "2"]:
    m, lo = median_ms(["check", f"{work}/many", "--threads", threads, "--format", "json"], 5)
    print(f"1,000 configs, --threads {threads}:   median {m:7.1f} ms  (min {lo:.1f} ms, 5 runs; goal < 1000 ms on 2 cores)")
PY
