#!/usr/bin/env bash
# Benchmark of the deployment checks (numbers are reported, never asserted):
# a generated 1,000-file repository, checked in one run (median of RUNS):
#   150 services, each a directory with an openclaw.json, a docker-compose.yml
#   (the gateway mounting that config, a sandbox), a Kubernetes manifest of
#   three documents, a systemd unit and a tracked .env; one prometheus.yml
#   with a rule file at the top; the rest is plain source files.
# Also reports the same tree without its deployment files (the cost of the
# deployment checks is the difference) and the peak RSS of the full run.
# Usage: bench/deploy.sh   (RUNS=5 by default; BIN=path to skip the build)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
if [ -z "${BIN:-}" ]; then
  cargo build --release --locked --quiet
  BIN=target/release/clawcheck
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 - "$WORK" <<'PY'
import os, sys
root = sys.argv[1]
def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
files = 0
for i in range(150):
    d = f"{root}/full/svc{i:03d}"
    bind = "loopback" if i % 2 else "lan"
    write(f"{d}/openclaw/openclaw.json", '{\n  gateway: {\n    mode: "local",\n    bind: "%s",\n    port: 18789,\n    auth: { mode: "token", token: "${OPENCLAW_GATEWAY_TOKEN}" },\n  },\n}\n' % bind)
    write(f"{d}/docker-compose.yml", f"""services:
  openclaw-gateway:
    image: ghcr.io/openclaw/openclaw:2026.9.6
    env_file: .env
    environment:
      HOME: /home/node
      OPENCLAW_GATEWAY_PORT: "{18000 + i}"
    volumes:
      - ./openclaw:/home/node/.openclaw
    ports:
      - "{'127.0.0.1:' if i % 3 else ''}18789:18789"
    command: ["node", "dist/index.js", "gateway", "--bind", "lan"]
  openclaw-sandbox:
    image: ghcr.io/openclaw/openclaw-sandbox:bookworm
    mem_limit: 1g
""")
    write(f"{d}/k8s/gateway.yaml", f"""apiVersion: v1
kind: Service
metadata:
  name: gw{i}
spec:
  type: ClusterIP
  ports:
    - port: 18789
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: gw{i}
spec:
  template:
    spec:
      containers:
        - name: gateway
          image: ghcr.io/openclaw/openclaw:2026.9.6
          args: ["gateway", "--bind", "lan"]
          env:
            - name: OPENCLAW_GATEWAY_TOKEN
              valueFrom:
                secretKeyRef: {{name: gw{i}, key: token}}
          resources:
            limits: {{memory: 2Gi, cpu: "2"}}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: gw{i}
data:
  note: generated
""")
    write(f"{d}/openclaw-gateway.service", "[Service]\nUser=openclaw\nExecStart=/usr/bin/openclaw gateway --bind loopback\nMemoryMax=2G\n")
    write(f"{d}/.env", f"OPENCLAW_GATEWAY_TOKEN=bench-literal-{i:04d}-not-a-secret\n")
    files += 5
write(f"{root}/full/prometheus.yml", "scrape_configs:\n  - job_name: openclaw\n    static_configs:\n      - targets: [\"openclaw-gateway:18789\"]\nrule_files: [alerts.yml]\n")
write(f"{root}/full/alerts.yml", "groups:\n  - name: openclaw\n    rules:\n      - alert: Down\n        expr: up == 0\n")
files += 2
i = 0
while files < 1000:
    write(f"{root}/full/src/m{i // 50}/f{i}.py", "".join(f"def f{j}(x):\n    return x * {j}\n" for j in range(40)))
    files += 1
    i += 1
# The same tree without its deployment files.
import shutil
shutil.copytree(f"{root}/full", f"{root}/plain")
for dp, dn, fn in os.walk(f"{root}/plain"):
    for n in fn:
        if not n.endswith(".py") and n != "openclaw.json":
            os.remove(os.path.join(dp, n))
print(f"generated {files} files")
PY
python3 - "$BIN" "$WORK" "$RUNS" <<'PY'
import json, resource, statistics, subprocess, sys, time
bin, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
def median_ms(tree):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        out = subprocess.run([bin, "check", tree, "--format", "json", "--fail-on", "never"], capture_output=True)
        times.append((time.perf_counter() - t) * 1000)
        assert out.returncode == 0, out.stderr
    return statistics.median(times), json.loads(out.stdout)
full, report = median_ms(f"{work}/full")
plain, _ = median_ms(f"{work}/plain")
per_rule = {}
for f in report["findings"]:
    if f["rule"].startswith("OC5"):
        per_rule[f["rule"]] = per_rule.get(f["rule"], 0) + 1
print(f"1,000-file repository ({report['summary']['files_scanned']} files scanned, {report['summary']['configs']} configs): median {full:.0f} ms over {runs} runs")
print(f"same tree without its deployment files: median {plain:.0f} ms (deployment checks cost {full - plain:.0f} ms)")
print("deployment findings:", ", ".join(f"{k} {v}" for k, v in sorted(per_rule.items())))
subprocess.run([bin, "check", f"{work}/full", "--format", "json", "--fail-on", "never"], capture_output=True)
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"peak RSS of a run: {rss:.0f} MB")
PY
