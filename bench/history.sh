#!/usr/bin/env bash
# History-scan benchmark (reported, not asserted), in one run on one repository:
#   a generated repository of COMMITS commits (default 10,000) over 200 files with 50 planted
#   GitHub tokens, 20 of them deleted again in a later commit; then
#   - `clawcheck history --format json`: recall of the planted tokens (by secret hash), whether
#     each is reported at the commit that planted it and with the right "present at HEAD", wall time;
#   - the text baseline `git log -p --all | rg` (recall and wall time);
#   - `gitleaks git` on the same repository when a gitleaks binary is on PATH or named by
#     GITLEAKS=PATH (run without network where `unshare -n` works), else a note that it was not.
# Usage: [CLAWCHECK_BIN=PATH] [GITLEAKS=PATH] [RUNS=5] bench/history.sh [COMMITS]   (medians of RUNS after a warm-up)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
COMMITS=${1:-10000}
REPO=$ROOT/target/bench/history-$COMMITS
# CLAWCHECK_BIN: a clawcheck binary already built (else a release build of this tree).
if [ -z "${CLAWCHECK_BIN:-}" ]; then
  cargo build --release --locked --quiet
fi
BIN=${CLAWCHECK_BIN:-$ROOT/target/release/clawcheck}
if [ ! -d "$REPO/.git" ]; then
  rm -rf "$REPO"
  mkdir -p "$REPO"
  git -C "$REPO" init -q -b main
  python3 - "$COMMITS" "$REPO.planted.json" <<'PY' | git -C "$REPO" fast-import --quiet
import json, random, sys
commits, planted_path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(1)
alpha = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
files = {f"src/mod{i:03}/notes.txt": [f"file {i}"] for i in range(200)}
plant_at = sorted(rng.sample(range(2, commits - 10), 50))
delete = set(rng.sample(plant_at, 20))
planted, pending = [], []
out = sys.stdout.buffer
def data(b):
    out.write(b"data %d\n" % len(b) + b + b"\n")
for c in range(1, commits + 1):
    path = rng.choice(sorted(files))
    msg = f"commit {c}".encode()
    changes = []
    if c in plant_at:
        token = "ghp_" + "".join(rng.choice(alpha) for _ in range(36))
        path = rng.choice(sorted(files))
        files[path].append(f"token_{c} = {token}")
        planted.append({"token": token, "commit": c, "path": path, "deleted": c in delete})
        if c in delete:
            pending.append((c + rng.randint(1, min(500, commits - c)), path, f"token_{c} = {token}"))
    else:
        files[path].append(f"line {c}: {rng.random():.6f}")
    changes.append(path)
    for at, p, line in [x for x in pending if x[0] == c]:
        pending.remove((at, p, line))
        files[p].remove(line)
        changes.append(p)
    out.write(b"commit refs/heads/main\nmark :%d\n" % c)
    t = 1_700_000_000 + c * 60
    out.write(b"author Bench <bench@example.com> %d +0000\n" % t)
    out.write(b"committer Bench <bench@example.com> %d +0000\n" % t)
    data(msg)
    if c > 1:
        out.write(b"from :%d\n" % (c - 1))
    for p in sorted(set(changes)):
        out.write(b"M 100644 inline " + p.encode() + b"\n")
        data(("\n".join(files[p]) + "\n").encode())
json.dump({"planted": planted, "pending": len(pending)}, open(planted_path, "w"))
PY
  git -C "$REPO" reset -q --hard main
  git -C "$REPO" gc -q --aggressive 2>/dev/null || git -C "$REPO" gc -q
fi
git -C "$REPO" rev-list --reverse main > "$REPO.commits"
echo "repository: $REPO ($(wc -l < "$REPO.commits") commits, $(du -sh "$REPO/.git" | cut -f1) .git)"
python3 - "$BIN" "$REPO" <<'PY'
import hashlib, json, os, shutil, subprocess, sys, tempfile, time
bin, repo = sys.argv[1:3]
meta = json.load(open(repo + ".planted.json"))
planted = meta["planted"]
ids = open(repo + ".commits").read().split()
def h(v):
    return "sha256:" + hashlib.sha256(v.encode()).hexdigest()[:32]
import resource
def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime
def timed(cmd, **kw):
    # wall time and CPU time (user + system of the child): on a shared, loaded
    # machine the CPU time is the steadier figure
    t, c = time.perf_counter(), cpu()
    p = subprocess.run(cmd, cwd=repo, capture_output=True, **kw)
    return p, (time.perf_counter() - t, cpu() - c)
RUNS = int(os.environ.get("RUNS", "5"))
def median_of(cmd, **kw):
    # one warm-up run, then the median wall and CPU of RUNS runs
    timed(cmd, **kw)
    runs = [timed(cmd, **kw) for _ in range(RUNS)]
    walls = sorted(r[1][0] for r in runs)
    cpus = sorted(r[1][1] for r in runs)
    return runs[-1][0], (walls[len(walls) // 2], cpus[len(cpus) // 2])
p, took = median_of([bin, "history", "--format", "json"])
assert p.returncode in (0, 1), p.stderr.decode()
report = json.loads(p.stdout)
by_hash = {f["secret_hash"]: f for f in report["findings"] if f.get("secret_hash")}
found = [x for x in planted if h(x["token"]) in by_hash]
right_commit = [x for x in found if by_hash[h(x["token"])]["introduced"]["commit"] == ids[x["commit"] - 1]]
right_head = [x for x in found if by_hash[h(x["token"])]["introduced"]["present_at_head"] == (not x["deleted"])]
print(f"clawcheck history: {len(found)}/{len(planted)} planted found "
      f"({len(right_commit)} at the planting commit, {len(right_head)} with the right present-at-HEAD), "
      f"{len(report['findings'])} findings, {report['git']['commits']} commits, "
      f"{report['git']['blobs']} unique blobs, {took[0]:.3f} s wall, {took[1]:.3f} s CPU (median of {RUNS} after a warm-up)")
rg = shutil.which("rg") or os.path.expanduser("~/.cargo/bin/rg")
t, c = time.perf_counter(), cpu()
log = subprocess.Popen(["git", "log", "-p", "--all"], cwd=repo, stdout=subprocess.PIPE)
out = subprocess.run([rg, "-o", "--no-line-number", r"ghp_[A-Za-z0-9]{36}"], stdin=log.stdout, capture_output=True)
log.wait()
base = (time.perf_counter() - t, cpu() - c)
seen = set(out.stdout.decode().split())
got = sum(1 for x in planted if x["token"] in seen)
print(f"git log -p --all | rg (one regex, no commit or HEAD attribution): {got}/{len(planted)} planted found, "
      f"{base[0]:.2f} s wall, {base[1]:.2f} s CPU; clawcheck is {base[0] / took[0]:.1f}x faster (wall), {base[1] / took[1]:.1f}x (CPU)")
gitleaks = os.environ.get("GITLEAKS") or shutil.which("gitleaks")
if gitleaks:
    # Without network where `unshare -n` works (gitleaks needs none).
    jail = ["unshare", "-n"] if subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0 else []
    version = subprocess.run(jail + [gitleaks, "version"], capture_output=True).stdout.decode().strip()
    with tempfile.NamedTemporaryFile(suffix=".json") as rep:
        p, gl = median_of(jail + [gitleaks, "git", "--no-banner", "--log-level", "error",
                              "--report-format", "json", "--report-path", rep.name, "."])
        leaks = json.load(open(rep.name)) if os.path.getsize(rep.name) else []
    secrets = {l.get("Secret") for l in leaks}
    got = sum(1 for x in planted if x["token"] in secrets)
    print(f"gitleaks {version} git: {got}/{len(planted)} planted found, {len(leaks)} leaks, {gl[0]:.2f} s wall, "
          f"{gl[1]:.2f} s CPU; clawcheck is {gl[0] / took[0]:.1f}x faster (wall), {gl[1] / took[1]:.1f}x (CPU)")
else:
    print("gitleaks: not available (no gitleaks on PATH and GITLEAKS unset)")
PY
