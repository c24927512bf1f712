#!/usr/bin/env python3
"""Differential harness: clawcheck vs the real OpenClaw on a mutation corpus.

bench/openclaw-diff.sh is the entry point; see its header. This script
generates the corpus (corpus/<version>/<name>.json, one mutation of a base
config each), runs the peer for configs whose cached output is missing or
stale (only with --peer), runs clawcheck, maps checkIds <-> rules with
checkids.tsv and prints agreement per checkId and every divergence.
"""
import copy, fnmatch, hashlib, json, os, re, shutil, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def load_table():
    rows = []
    for line in open(os.path.join(HERE, "checkids.tsv")):
        if line.startswith("#") or not line.strip():
            continue
        cid, rules, *note = line.rstrip("\n").split("\t")
        pat = "^" + re.escape(cid).replace(re.escape("<p>"), "[^.]+") + "$"
        matchers = []
        for r in rules.split():
            r, _, only = r.partition("@")  # RULE@2026.2: mapped for that version only
            rule, *subs = r.split("~")
            matchers.append((rule, [s.replace("_", " ") for s in subs], only))
        rows.append({"checkId": cid, "re": re.compile(pat), "rules": matchers, "note": note[0] if note else ""})
    return rows


def load_explained():
    """explained.tsv: divergences docs/openclaw.md explains (version, mutation
    glob, checkId, kind: ours / peer / sev, short reason)."""
    rows = []
    path = os.path.join(HERE, "explained.tsv")
    for line in open(path):
        if line.startswith("#") or not line.strip():
            continue
        version, mutation, cid, kind, why = line.rstrip("\n").split("\t")
        rows.append({"version": version, "mutation": mutation, "checkId": cid, "kind": kind, "why": why, "used": 0})
    return rows


def explain(rows, version, name, cid, kind):
    for r in rows:
        if (r["version"] in ("*", version) and fnmatch.fnmatchcase(name, r["mutation"])
                and r["checkId"] == cid and r["kind"] == kind):
            r["used"] += 1
            return r["why"]
    return None


def set_path(doc, path, value):
    keys = path.split(".")
    cur = doc
    for k in keys[:-1]:
        cur = cur.setdefault(k, {})
    cur[keys[-1]] = value


def unset_path(doc, path):
    keys = path.split(".")
    cur = doc
    for k in keys[:-1]:
        cur = cur.get(k, {})
    cur.pop(keys[-1], None)


def expand(v):
    if isinstance(v, str) and v.startswith("@LARGE"):
        return [str(100000000 + i) for i in range(int(v[6:]))]
    if isinstance(v, dict):
        return {k: expand(x) for k, x in v.items()}
    return v


def generate(spec, version):
    base = json.load(open(os.path.join(HERE, f"base-{version}.json")))
    out = os.path.join(HERE, "corpus", version)
    os.makedirs(out, exist_ok=True)
    names = []
    for m in spec["mutations"]:
        if version not in m.get("versions", ["2026.9"]):
            continue
        edit = m.get(version, m)  # a per-version {set, unset} replaces the default one
        doc = copy.deepcopy(base)
        if m.get("hooks"):
            doc["hooks"] = copy.deepcopy(spec["hooks_ok"]["hooks"])
        for p, v in edit.get("set", {}).items():
            set_path(doc, p, expand(v))
        for p in edit.get("unset", []):
            unset_path(doc, p)
        text = json.dumps(doc, indent=2) + "\n"
        path = os.path.join(out, m["name"] + ".json")
        if not os.path.exists(path) or open(path).read() != text:
            open(path, "w").write(text)
        names.append(m["name"])
    return names


def sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()[:16]


def run_peer(version, names, cmds):
    corpus = os.path.join(HERE, "corpus", ".".join(version.split(".")[:2]))
    cache = os.path.join(HERE, "peer", version)
    os.makedirs(cache, exist_ok=True)
    stamps_path = os.path.join(cache, "inputs.sha256")
    stamps = {}
    if os.path.exists(stamps_path):
        for line in open(stamps_path):
            n, h = line.split()
            stamps[n] = h
    stale = [n for n in names if stamps.get(n) != sha(os.path.join(corpus, n + ".json"))
             or not all(os.path.exists(os.path.join(cache, f"{n}.{c}.json")) for c in cmds)]
    if not stale:
        return
    peer = os.environ.get("OPENCLAW_PEER", os.path.join(ROOT, "..", "shared", "tools", "openclaw-peer"))
    tmp = tempfile.mkdtemp()
    try:
        for n in stale:
            shutil.copy(os.path.join(corpus, n + ".json"), tmp)
        shutil.copy(os.path.join(HERE, "peer.env"), tmp)
        print(f"running the peer (openclaw {version}) on {len(stale)} configs ...", file=sys.stderr)
        subprocess.run([peer, "-v", version, "-c", " ".join(cmds), "-o", tmp + "/out", tmp], check=True)
        for f in os.listdir(tmp + "/out"):
            if f == "timings.tsv":
                old = os.path.join(cache, "timings.tsv")
                rows = {}
                if os.path.exists(old):
                    for line in open(old).read().splitlines()[1:]:
                        rows[tuple(line.split("\t")[:3])] = line
                for line in open(os.path.join(tmp, "out", f)).read().splitlines()[1:]:
                    rows[tuple(line.split("\t")[:3])] = line
                with open(old, "w") as w:
                    w.write("name\tversion\tcmd\trc\twall_ms\truns\n")
                    for k in sorted(rows):
                        w.write(rows[k] + "\n")
            elif os.path.isfile(os.path.join(tmp, "out", f)):
                shutil.copy(os.path.join(tmp, "out", f), cache)
        for n in stale:
            stamps[n] = sha(os.path.join(corpus, n + ".json"))
        with open(stamps_path, "w") as w:
            for n in sorted(stamps):
                w.write(f"{n} {stamps[n]}\n")
    finally:
        shutil.rmtree(tmp)


def peer_results(version, name):
    cache = os.path.join(HERE, "peer", version)
    res = {"validate": None, "audit": None}
    p = os.path.join(cache, f"{name}.config-validate.json")
    if os.path.exists(p) and os.path.getsize(p):
        res["validate"] = json.load(open(p))
    p = os.path.join(cache, f"{name}.security-audit.json")
    if os.path.exists(p) and os.path.getsize(p):
        try:
            res["audit"] = json.load(open(p))
        except json.JSONDecodeError:
            res["audit"] = None
    return res


def pointer_to_path(ptr):
    parts = [p.replace("~1", "/").replace("~0", "~") for p in ptr.split("/")[1:]]
    return ".".join(parts) if parts else "<root>"


def issue_path(issue):
    path = issue.get("path", "<root>")
    m = re.match(r'Unrecognized keys?: "([^"]+)"', issue.get("message", ""))
    if m:
        return (path + "." if path != "<root>" else "") + m.group(1)
    return path


SEV = {"critical": "error", "warn": "warning", "info": "note"}


def cost(version, names, clawcheck, n):
    """`openclaw security audit` and clawcheck on the same n configs of the
    corpus, one after the other in this one run: median wall ms per config,
    one process per config for both (Node start-up and schema compile included)."""
    short = ".".join(version.split(".")[:2])
    corpus = os.path.join(HERE, "corpus", short)
    step = max(len(names) // n, 1)
    picked = names[::step][:n]
    peer = os.environ.get("OPENCLAW_PEER", os.path.join(ROOT, "..", "shared", "tools", "openclaw-peer"))
    tmp = tempfile.mkdtemp()
    try:
        for name in picked:
            shutil.copy(os.path.join(corpus, name + ".json"), tmp)
        shutil.copy(os.path.join(HERE, "peer.env"), tmp)
        load0 = os.getloadavg()[0]
        subprocess.run([peer, "-v", version, "-c", "security-audit", "-o", tmp + "/out", tmp], check=True,
                       stderr=subprocess.DEVNULL)
        theirs = sorted(int(line.split("\t")[4]) for line in open(tmp + "/out/timings.tsv").read().splitlines()[1:])
        ours = []
        for name in picked:
            t0 = time.monotonic()
            subprocess.run([clawcheck, "check", "--format", "json", "--fail-on", "never", "--only", "config",
                            os.path.join(corpus, name + ".json")], capture_output=True, check=True)
            ours.append((time.monotonic() - t0) * 1000)
        ours.sort()
        load1 = os.getloadavg()[0]
    finally:
        shutil.rmtree(tmp)
    med_t, med_o = theirs[len(theirs) // 2], ours[len(ours) // 2]
    print(f"cost, one run on {len(picked)} configs of corpus/{short} (load average {load0:.1f} -> {load1:.1f}): "
          f"openclaw {version} security audit median {med_t} ms per config, clawcheck check median {med_o:.0f} ms "
          f"per config ({med_t / med_o:.0f}x)")


def main():
    args = sys.argv[1:]
    use_peer = "--peer" in args
    versions = [a.split("=", 1)[1] for a in args if a.startswith("--version=")] or ["2026.9.6"]
    clawcheck = os.environ.get("CLAWCHECK", os.path.join(ROOT, "target", "release", "clawcheck"))
    spec = json.load(open(os.path.join(HERE, "mutations.json")))
    table = load_table()
    explained = load_explained()
    targets = {m["name"]: m.get("targets", []) for m in spec["mutations"]}
    total_div = 0
    for version in versions:
        short = ".".join(version.split(".")[:2])
        names = generate(spec, short)
        if use_peer:
            run_peer(version, names, ["config-validate", "security-audit"])
        corpus = os.path.join(HERE, "corpus", short)
        # clawcheck: one process per config (the cost a user pays), and one run over all.
        t0 = time.monotonic()
        ours = {}
        for n in names:
            out = subprocess.run([clawcheck, "check", "--format", "json", "--fail-on", "never",
                                  "--dialect", f"openclaw-{short}", "--only", "config",
                                  os.path.join(corpus, n + ".json")], capture_output=True, text=True, check=True)
            ours[n] = json.loads(out.stdout)["findings"]
        per_config_ms = (time.monotonic() - t0) * 1000 / max(len(names), 1)
        t0 = time.monotonic()
        batch = subprocess.run([clawcheck, "check", "--format", "json", "--fail-on", "never", "--only", "config",
                                "--dialect", f"openclaw-{short}"] + [os.path.join(corpus, n + ".json") for n in names],
                               capture_output=True, text=True, check=True)
        assert json.loads(batch.stdout)["summary"]["configs"] == len(names)
        batch_ms = (time.monotonic() - t0) * 1000
        stats = {}  # checkId -> [both, neither, peer_only, ours_only, severity_mismatch]
        divergences = []
        covered = set()
        missing_peer = []
        unmapped_ids = {}  # checkIds openclaw reported that no table row matches
        for n in names:
            peer = peer_results(version, n)
            if peer["validate"] is None:
                missing_peer.append(n)
                continue
            f_ours = ours[n]
            # validator: every issue must be an error finding of a validator rule at that path
            vrules = {r for r, _, _ in table[0]["rules"]}
            ours_paths = {pointer_to_path(f.get("pointer", "")): f for f in f_ours if f["rule"] in vrules}
            issues = peer["validate"].get("issues", []) if not peer["validate"].get("valid") else []
            st = stats.setdefault("validate", [0, 0, 0, 0, 0])
            if issues:
                covered.add("validate")
            matched = set()
            for i in issues:
                p = issue_path(i)
                f = ours_paths.get(p)
                if f:
                    st[0] += 1
                    matched.add(p)
                    if f["severity"] != "error":
                        st[4] += 1
                        divergences.append((n, "validate", "sev", f"severity: openclaw rejects `{p}`, clawcheck {f['rule']} is a {f['severity']}"))
                else:
                    st[2] += 1
                    divergences.append((n, "validate", "peer", f"openclaw rejects `{p}` ({i.get('message','')[:90]}), clawcheck has no finding there"))
            for p, f in ours_paths.items():
                if p not in matched and f["severity"] == "error":
                    st[3] += 1
                    divergences.append((n, "validate", "ours", f"clawcheck {f['rule']} error at `{p}`, openclaw config validate accepts it"))
            if not issues and not any(f["severity"] == "error" for f in ours_paths.values()):
                st[1] += 1
            # audit: per checkId presence (only when the config validated)
            audit = peer["audit"] or {}
            got = {}
            for f in audit.get("findings", []) or []:
                got.setdefault(f["checkId"], f)
                if not any(row["re"].match(f["checkId"]) for row in table[1:]):
                    unmapped_ids.setdefault((f["checkId"], f["severity"]), set()).add(n)
            for row in table[1:]:
                peer_hits = [c for c in got if row["re"].match(c)]
                ours_hits = [f for f in f_ours if any(f["rule"] == r and all(s in f["message"] for s in subs)
                                                     and only in ("", short) for r, subs, only in row["rules"])]
                st = stats.setdefault(row["checkId"], [0, 0, 0, 0, 0])
                if not peer["validate"].get("valid") or not audit:
                    continue  # the audit refuses an invalid config
                if peer_hits:
                    covered.add(row["checkId"])
                if peer_hits and ours_hits:
                    st[0] += 1
                    want = SEV.get(got[peer_hits[0]]["severity"])
                    if want and all(f["severity"] != want for f in ours_hits):
                        st[4] += 1
                        divergences.append((n, row["checkId"], "sev", f"severity: openclaw {got[peer_hits[0]]['severity']}, clawcheck {ours_hits[0]['rule']} {ours_hits[0]['severity']}"))
                elif peer_hits:
                    st[2] += 1
                    divergences.append((n, row["checkId"], "peer", f"openclaw reports {peer_hits[0]} ({got[peer_hits[0]]['severity']}), clawcheck does not"))
                elif ours_hits:
                    st[3] += 1
                    divergences.append((n, row["checkId"], "ours", f"clawcheck {ours_hits[0]['rule']} ({ours_hits[0]['severity']}: {ours_hits[0]['message'][:100]}), openclaw reports nothing"))
                elif row["checkId"] in targets.get(n, []):
                    st[1] += 1
        # peer cost
        timings = os.path.join(HERE, "peer", version, "timings.tsv")
        peer_cost = {}
        if os.path.exists(timings):
            for line in open(timings).read().splitlines()[1:]:
                name, _, cmd, _, ms, _ = line.split("\t")
                if name in names:
                    peer_cost.setdefault(cmd, []).append(int(ms))
        print(f"== openclaw {version}: {len(names)} mutations, {len(names) - len(missing_peer)} with peer outputs")
        if missing_peer:
            print(f"   no cached peer output (run with --peer): {', '.join(missing_peer)}")
        print(f"{'checkId':58} {'both':>4} {'none':>4} {'peer':>4} {'ours':>4} {'sev':>4}")
        agree_ids = 0
        for cid in ["validate"] + [r["checkId"] for r in table[1:]]:
            s = stats.get(cid, [0, 0, 0, 0, 0])
            if sum(s) == 0:
                continue
            ok = s[2] == 0 and s[3] == 0 and s[4] == 0
            agree_ids += ok
            unmapped = cid != "validate" and not next(r for r in table if r["checkId"] == cid)["rules"]
            status = "agree" if ok else "DIVERGE (no rule)" if unmapped else "DIVERGE"
            print(f"{cid:58} {s[0]:4} {s[1]:4} {s[2]:4} {s[3]:4} {s[4]:4}  {status}")
        print(f"checkIds covered (reported by openclaw at least once): {len(covered)}; checkIds judged: "
              f"{sum(1 for s in stats.values() if sum(s))}, agreeing: {agree_ids}; divergences: {len(divergences)}")
        unexplained = 0
        for n, cid, kind, why in divergences:
            reason = explain(explained, short, n, cid, kind)
            unexplained += reason is None
            print(f"  DIVERGENCE {n}: {cid}: {why}")
            print(f"      {'explained: ' + reason if reason else 'UNEXPLAINED (not in explained.tsv)'}")
        print(f"divergences explained in docs/openclaw.md (explained.tsv): {len(divergences) - unexplained}, "
              f"unexplained: {unexplained}")
        for (cid, sev), ns in sorted(unmapped_ids.items()):
            print(f"  not in checkids.tsv (environment or informational): {cid} ({sev}) on {len(ns)} configs")
        for cmd, ms in sorted(peer_cost.items()):
            ms.sort()
            print(f"openclaw {cmd}: median {ms[len(ms)//2]} ms per config ({len(ms)} configs)")
        print(f"clawcheck: {per_config_ms:.0f} ms per config (one process each), {batch_ms:.0f} ms for all {len(names)} in one run")
        total_div += len(divergences)
        for a in args:
            if a.startswith("--cost="):
                cost(version, names, clawcheck, int(a.split("=", 1)[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
