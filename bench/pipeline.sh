#!/usr/bin/env bash
# Benchmarks of the check pipeline (numbers are reported, never asserted), all
# measured in one run on the same machine:
#   1. one real 2026.9 config (tests/fixtures/openclaw/hardened.json5) and one
#      policy profile (examples/secure.openclaw.json): whole process, median
#      of 15 (goal < 20 ms each, and at most 6x ripgrep's start-up on the
#      same file), with CPU time (user + system, what the run costs on a
#      loaded machine) and peak RSS (goal < 20 MB for the real config);
#   2. 1,000 real configs (mixed 2026.9 / 2026.2, from the repository's real
#      fixtures with varied agents) in one run, median of 5 (goal < 200 ms);
#   3. 1,000 generated policy-profile configs in one run, median of 5.
# Usage: bench/pipeline.sh   (RUNS=15 by default; BIN=path to skip the build)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-15}
if [ -z "${BIN:-}" ]; then
  cargo build --release --locked --quiet
  BIN=target/release/clawcheck
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 - "$WORK" <<'PY'
import json, os, random, re, sys
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
# 1,000 real configs: the real fixtures (2026.9 and 2026.2), each copy with
# its own agent ids and timeout so that no two files are the same.
reals = [f for f in sorted(os.listdir("tests/fixtures/openclaw")) if f.endswith(".json5") and "blog" not in f]
os.makedirs(f"{root}/real")
for i in range(1000):
    src = reals[i % len(reals)]
    text = open(f"tests/fixtures/openclaw/{src}").read()
    text = re.sub(r"timeoutSeconds: \d+", f"timeoutSeconds: {60 + i % 90}", text)
    sub = f"{root}/real/repo{i % 41}"
    os.makedirs(sub, exist_ok=True)
    with open(f"{sub}/openclaw{i}.json5" if i % 2 else f"{sub}/team{i}.openclaw.json", "w") as f:
        f.write(text)
PY
cp tests/fixtures/openclaw/hardened.json5 "$WORK/openclaw.json5"
cp examples/secure.openclaw.json "$WORK/small.openclaw.json"
python3 - "$BIN" "$WORK" "$RUNS" <<'PY'
import os, shutil, statistics, sys, time
bin, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
def run(cmd):
    """Wall ms, CPU ms (user + system) and peak RSS (MB) of one process."""
    t = time.perf_counter()
    devnull = os.open(os.devnull, os.O_WRONLY)
    pid = os.fork()
    if pid == 0:
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        try:
            os.execv(cmd[0], cmd)
        finally:
            os._exit(127)
    _, _, ru = os.wait4(pid, 0)
    wall = (time.perf_counter() - t) * 1000
    os.close(devnull)
    return wall, (ru.ru_utime + ru.ru_stime) * 1000, ru.ru_maxrss / 1024
def measure(cmd, n):
    rs = [run(cmd) for _ in range(n)]
    return (statistics.median(r[0] for r in rs), min(r[0] for r in rs),
            statistics.median(r[1] for r in rs), max(r[2] for r in rs))
rg = shutil.which("rg")
for label, f in [("real 2026.9 config", f"{work}/openclaw.json5"), ("policy profile", f"{work}/small.openclaw.json")]:
    m, lo, cpu, rss = measure([bin, "check", f, "--quiet"], runs)
    print(f"{label:22s} whole process: median {m:6.1f} ms (min {lo:.1f}, {runs} runs; goal < 20 ms), "
          f"CPU {cpu:.1f} ms, peak RSS {rss:.1f} MB (goal < 20 MB)")
    if rg:
        r, rlo, rcpu, rrss = measure([rg, "-q", "gateway", f], runs)
        print(f"{'':22s} ripgrep start-up on the same file: median {r:.1f} ms (min {rlo:.1f}), CPU {rcpu:.1f} ms, "
              f"RSS {rrss:.1f} MB; ratio {m / r:.1f}x (goal <= 6x)")
m, lo, cpu, rss = measure([bin, "check", f"{work}/real", "--format", "json"], 5)
print(f"1,000 real configs     one run: median {m:6.1f} ms (min {lo:.1f}, 5 runs; goal < 200 ms), CPU {cpu:.1f} ms, peak RSS {rss:.1f} MB")
if rg:
    r, _, _, _ = measure([rg, "-q", "zzzz-no-match", f"{work}/real"], 5)
    print(f"                       ripgrep searching them: {r:.1f} ms")
for threads in ["1", "2"]:
    m, lo, cpu, rss = measure([bin, "check", f"{work}/many", "--threads", threads, "--format", "json"], 5)
    print(f"1,000 profiles -j {threads}    one run: median {m:6.1f} ms (min {lo:.1f}, 5 runs), CPU {cpu:.1f} ms")
PY
