#!/usr/bin/env python3
"""Score the secret scanner on another scanner's published test vectors.

Two sources, each a checkout or a bare mirror (`fetch` of the repository):
- TruffleHog (--trufflehog): the `*_test.go` pattern tables of the detectors
  that correspond to clawcheck's credential families. Each table case is an
  `input` text and the secrets the detector `want`s from it: a case that wants
  at least one secret is a positive, a case that wants none is a decoy.
- Gitleaks (--gitleaks): the `tps` (positives) and `fps` (decoys) of the rule
  generators in cmd/generate/config/rules/ for the same families. Generated
  values (`secrets.NewSecret(regex)`, `utils.AlphaNumeric("20")`, …) are drawn
  from their regexes with a fixed seed, and `utils.GenerateSampleSecrets` puts
  each secret in gitleaks' own file templates (INI, JSON, XML, YAML, C#, Go,
  Java, PHP, Python, Makefile, logstash, …). Every case is written to its own file, the tree is scanned with
`clawcheck check --only secrets --format json`, and a case counts as found when
clawcheck reports any finding in its file.

The vectors are read at benchmark time and never committed: they are upstream's
labels, not ours, so a disagreement is something to read (printed per case with
the redacted evidence), not a number to tune away. The extractor understands
what these tables use: string and raw-string literals, `+` concatenation,
package-level constants, `fmt.Sprintf` with %s/%v/%q/%d and `strings.Repeat`;
a case it cannot evaluate is counted as skipped, never guessed.

Usage: bench/upstream_vectors.py [--trufflehog DIR] [--gitleaks DIR] [--bin CLAWCHECK] [--show N]
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile

# TruffleHog detector directory -> the clawcheck family it corresponds to
# (the name is only for grouping the scores).
DETECTORS = {
    "openai": "openai", "openaiadmin": "openai", "anthropic": "anthropic",
    "aws": "aws", "github": "github", "githubapp": "github", "github_oauth2": "github",
    "gcp": "gcp-service-account", "googlegemini": "google", "gemini": "google",
    "slack": "slack", "slackwebhook": "slack", "stripe": "stripe",
    "hashicorpvault": "vault", "privatekey": "private-key",
    "uri": "url-credential", "jdbc": "url-credential", "postgres": "url-credential",
    "mongodb": "url-credential", "redis": "url-credential", "ftp": "url-credential",
    "ldap": "url-credential", "groq": "groq", "xai": "xai", "openrouter": "openrouter",
    "huggingface": "huggingface", "replicate": "replicate", "deepseek": "deepseek",
    "azure_openai": "azure-openai", "telegrambottoken": "telegram",
    "discordbottoken": "discord", "discordwebhook": "discord", "linemessaging": "line",
    "npmtoken": "npm", "npmtokenv2": "npm", "pypi": "pypi", "sendgrid": "sendgrid",
    "twilio": "twilio", "twilioapikey": "twilio", "jwt": "jwt",
}
# Detectors whose decoys are other detectors' secrets (OpenAI project keys are
# decoys for the admin-key detector): only their positives are used.
POSITIVES_ONLY = {"openaiadmin"}

TOKEN = re.compile(
    r'(?P<raw>`[^`]*`)|(?P<str>"(?:\\.|[^"\\\n])*")|(?P<chr>\'(?:\\.|[^\'\\\n])+\')'
    r'|(?P<comment>//[^\n]*|/\*.*?\*/)|(?P<num>\d+)|(?P<id>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)'
    r'|(?P<ws>\s+)|(?P<op>:=|[^\sA-Za-z0-9_])',
    re.S,
)


def tokens(src):
    out = []
    for m in TOKEN.finditer(src):
        kind = m.lastgroup
        if kind in ("ws", "comment"):
            continue
        out.append((kind, m.group()))
    return out


def go_string(tok):
    kind, text = tok
    if kind == "raw":
        return text[1:-1].replace("\r", "")
    # Go interpreted strings use the same escapes as JSON for what these files contain.
    body = text[1:-1]
    try:
        return json.loads('"' + body.replace("\\'", "'").replace("\\x", "\\u00") + '"')
    except json.JSONDecodeError:
        return None


class Unresolved(Exception):
    pass


def sprintf(fmt, args):
    out, i, k = [], 0, 0
    while i < len(fmt):
        c = fmt[i]
        if c == "%" and i + 1 < len(fmt):
            verb = fmt[i + 1]
            if verb == "%":
                out.append("%")
            elif verb in "svdq":
                if k >= len(args):
                    raise Unresolved("Sprintf: missing argument")
                a = args[k]
                k += 1
                out.append(f'"{a}"' if verb == "q" else str(a))
            else:
                raise Unresolved(f"Sprintf verb %{verb}")
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


class Evaluator:
    def __init__(self, toks):
        self.t = toks
        self.env = {}

    def expr(self, i, end_ops=(",", "}", ")", ";")):
        """Evaluates a string expression from token i; returns (value, next index)."""
        val, i = self.term(i)
        while i < len(self.t) and self.t[i] == ("op", "+"):
            rhs, i = self.term(i + 1)
            if isinstance(val, str) and isinstance(rhs, str):
                val = val + rhs
            else:
                raise Unresolved("+ on non-strings")
        return val, i

    def args(self, i):
        if self.t[i] != ("op", "("):
            raise Unresolved("call without (")
        i += 1
        out = []
        while self.t[i] != ("op", ")"):
            v, i = self.expr(i)
            out.append(v)
            if self.t[i] == ("op", ","):
                i += 1
        return out, i + 1

    def term(self, i):
        kind, text = self.t[i]
        if kind in ("raw", "str"):
            s = go_string(self.t[i])
            if s is None:
                raise Unresolved("string escape")
            return s, i + 1
        if kind == "num":
            return int(text), i + 1
        if kind == "id":
            if text == "fmt.Sprintf":
                a, i = self.args(i + 1)
                if not a or not isinstance(a[0], str):
                    raise Unresolved("Sprintf format")
                return sprintf(a[0], a[1:]), i
            if text == "strings.Repeat":
                a, i = self.args(i + 1)
                return a[0] * a[1], i
            if text in self.env:
                return self.env[text], i + 1
            raise Unresolved(f"identifier {text}")
        raise Unresolved(f"token {text!r}")

    def bind_constants(self):
        """Package-level and function-local `NAME = expr` / `NAME := expr` string bindings."""
        for _ in range(2):  # constants may refer to later ones
            for i in range(len(self.t) - 2):
                if self.t[i][0] == "id" and self.t[i + 1] in (("op", "="), ("op", ":=")):
                    name = self.t[i][1]
                    if name in self.env:
                        continue
                    try:
                        v, _ = self.expr(i + 2)
                    except (Unresolved, IndexError, TypeError):
                        continue
                    if isinstance(v, (str, int)):
                        self.env[name] = v

    def cases(self):
        """(input, wants or None) for every `input:` key in a test table."""
        out = []
        for i in range(len(self.t) - 1):
            if self.t[i] != ("id", "input") or self.t[i + 1] != ("op", ":"):
                continue
            try:
                inp, j = self.expr(i + 2)
            except (Unresolved, IndexError, TypeError) as e:
                out.append((None, None, str(e)))
                continue
            # the `want` of the same case follows within the case's braces
            wants, depth, k = None, 0, j
            while k < len(self.t) - 1:
                tok = self.t[k]
                if tok == ("op", "{"):
                    depth += 1
                elif tok == ("op", "}"):
                    if depth == 0:
                        break
                    depth -= 1
                elif depth == 0 and tok == ("id", "want") and self.t[k + 1] == ("op", ":"):
                    wants = self.want_list(k + 2)
                    break
                k += 1
            out.append((inp, wants, None))
        return out

    def want_list(self, i):
        if self.t[i] == ("id", "nil"):
            return []
        # []string{...}
        while i < len(self.t) and self.t[i] != ("op", "{"):
            i += 1
        i += 1
        vals = []
        while i < len(self.t) and self.t[i] != ("op", "}"):
            try:
                v, i = self.expr(i)
                vals.append(v)
            except (Unresolved, IndexError, TypeError):
                vals.append("<unresolved>")
                while self.t[i] not in (("op", ","), ("op", "}")):
                    i += 1
            if self.t[i] == ("op", ","):
                i += 1
        return vals


def read_tests(repo):
    """{detector: [(path, source)]} from a work tree or a bare mirror."""
    out = collections.defaultdict(list)
    if os.path.isdir(os.path.join(repo, "pkg", "detectors")):
        for det in DETECTORS:
            d = os.path.join(repo, "pkg", "detectors", det)
            for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
                if f.endswith("_test.go") and "integration" not in f:
                    out[det].append((f"{det}/{f}", open(os.path.join(d, f), encoding="utf-8").read()))
        return out
    names = subprocess.run(["git", "-C", repo, "ls-tree", "-r", "--name-only", "HEAD", "pkg/detectors"],
                           check=True, capture_output=True, text=True).stdout.split()
    for n in names:
        parts = n.split("/")
        if len(parts) == 4 and parts[2] in DETECTORS and n.endswith("_test.go") and "integration" not in n:
            src = subprocess.run(["git", "-C", repo, "show", f"HEAD:{n}"], check=True,
                                 capture_output=True, text=True).stdout
            out[parts[2]].append((f"{parts[2]}/{parts[3]}", src))
    return out

# Gitleaks rule file -> family (only the families clawcheck has).
GITLEAKS = {
    "openai": "openai", "anthropic": "anthropic", "aws": "aws", "github": "github",
    "gcp": "google", "slack": "slack", "stripe": "stripe", "hashicorp_vault": "vault",
    "privatekey": "private-key", "generic": "generic", "huggingface": "huggingface",
    "perplexity": "perplexity", "cohere": "cohere", "jwt": "jwt", "npm": "npm", "pypi": "pypi",
    "sendgrid": "sendgrid", "twilio": "twilio", "telegram": "telegram", "discord": "discord",
}

# utils.GenerateSampleSecrets' templates ({i} identifier, {I} upper-case, {s} secret).
SAMPLE_TEMPLATES = [
    '{i}Token="{s}"', '{i}Token = "{s}"', '{i}Token={s}', '{i}Token = {s}',
    '{\n    "{i}_token": "{s}"\n}', '{"config.ini": "{I}_TOKEN={s}\\nBACKUP_ENABLED=true"}',
    '<{i}Token>\n    {s}\n</{i}Token>', '{i}_token: {s}', "{i}_token: '{s}'", '{i}_token: "{s}"',
    'string {i}Token = "{s}";', 'var {i}Token string = "{s}"', '{i}Token := "{s}"',
    '{i}Token := `{s}`', 'String {i}Token = "{s}";', 'var {i}Token = "{s}"', '${i}Token .= "{s}"',
    "{i}Token = '{s}'", '{i}Token = "{s}"', 'System.setProperty("{I}_TOKEN", "{s}")',
    '  "{i}Token" => "{s}"', '{i}_TOKEN = "{s}"', '{i}_TOKEN := "{s}"', '{i}_TOKEN ::= "{s}"',
    '{i}_TOKEN :::= "{s}"', '{i}_TOKEN ?= "{s}"',
]


def regex_sample(pattern, rng):
    """A random string matching `pattern` (the subset of RE2 the rule files use)."""
    import re._parser as sp
    import re._constants as sc

    def gen(items):
        out = []
        for op, av in items:
            if op is sc.LITERAL:
                out.append(chr(av))
            elif op is sc.NOT_LITERAL:
                out.append("x" if chr(av) != "x" else "y")
            elif op is sc.ANY:
                out.append(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789"))
            elif op is sc.IN:
                out.append(pick(av))
            elif op in (sc.MAX_REPEAT, sc.MIN_REPEAT, getattr(sc, "POSSESSIVE_REPEAT", None)):
                lo, hi, sub = av
                hi = lo + 8 if hi is sc.MAXREPEAT else hi
                out.append("".join(gen(sub) for _ in range(rng.randint(lo, max(lo, min(hi, lo + 8))))))
            elif op is sc.SUBPATTERN:
                out.append(gen(av[-1]))
            elif op is sc.BRANCH:
                out.append(gen(rng.choice(av[1])))
            elif op in (sc.AT, sc.ASSERT, sc.ASSERT_NOT):
                pass
            elif op is sc.CATEGORY:
                out.append(cat(av))
            else:
                raise Unresolved(f"regex op {op}")
        return "".join(out)

    def members(c):
        if c is sc.CATEGORY_DIGIT:
            return "0123456789"
        if c is sc.CATEGORY_SPACE:
            return " "
        return "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"

    def cat(c):
        return rng.choice(members(c))

    def pick(av):
        chars = []
        negate = False
        for op, a in av:
            if op is sc.NEGATE:
                negate = True
            elif op is sc.LITERAL:
                chars.append(chr(a))
            elif op is sc.RANGE:
                chars.extend(chr(c) for c in range(a[0], a[1] + 1))
            elif op is sc.CATEGORY:
                # every member, so that `[\w-]` draws `-` as one character
                # of 64 (as regen does), not as one alternative of two
                chars.extend(members(a))
        if negate:
            pool = [c for c in "abcdefghijklmnopqrstuvwxyz0123456789" if c not in chars]
            return rng.choice(pool or ["x"])
        return rng.choice(chars)

    try:
        parsed = sp.parse(pattern.replace("(?i)", ""))
    except Exception as e:  # noqa: BLE001 - any parse failure means "not evaluable"
        raise Unresolved(f"regex {e}")
    return gen(parsed)


class GoRuleEvaluator(Evaluator):
    """Evaluates the list expressions of gitleaks' rule generators."""

    def __init__(self, toks, rng):
        super().__init__(toks)
        self.rng = rng

    def expr(self, i, end_ops=(",", "}", ")", ";")):
        val, i = self.term(i)
        while i < len(self.t) and self.t[i] == ("op", "+"):
            rhs, i = self.term(i + 1)
            if not (isinstance(val, str) and isinstance(rhs, str)):
                raise Unresolved("+ on non-strings")
            val = val + rhs
        # a spread `x...`
        while i + 2 < len(self.t) and self.t[i:i + 3] == [("op", "."), ("op", "."), ("op", ".")]:
            i += 3
        return val, i

    def term(self, i):
        kind, text = self.t[i]
        sizes = {"utils.Numeric": "[0-9]{%s}", "utils.Hex": "[a-f0-9]{%s}", "utils.AlphaNumeric": "[a-z0-9]{%s}",
                 "utils.AlphaNumericExtendedShort": "[a-z0-9_-]{%s}", "utils.AlphaNumericExtended": "[a-z0-9=_\\-]{%s}",
                 "utils.AlphaNumericExtendedLong": "[a-z0-9\\/=_\\+\\-]{%s}"}
        if kind == "id":
            if text in sizes:
                a, j = self.args(i + 1)
                return sizes[text] % a[0], j
            if text == "utils.Hex8_4_4_4_12":
                _, j = self.args(i + 1)
                return "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", j
            if text in ("secrets.NewSecret", "newPlausibleSecret"):
                a, j = self.args(i + 1)
                return regex_sample(a[0], self.rng), j
            if text in ("utils.GenerateSampleSecrets", "utils.GenerateSampleSecret"):
                a, j = self.args(i + 1)
                ident, secret = a[0], a[1]
                fill = [t.replace("{i}", ident).replace("{I}", ident.upper()).replace("{s}", secret)
                        for t in SAMPLE_TEMPLATES]
                return (fill if text.endswith("Secrets") else [f'{ident}_api_token = "{secret}"']), j
            if text == "append":
                a, j = self.args(i + 1)
                out = []
                for x in a:
                    out.extend(x if isinstance(x, list) else [x])
                return out, j
            if text in ("strings.ToUpper", "strings.ToLower"):
                a, j = self.args(i + 1)
                return (a[0].upper() if text.endswith("Upper") else a[0].lower()), j
        if (kind, text) == ("op", "[") and self.t[i + 1] == ("op", "]") and self.t[i + 2] == ("id", "string"):
            j = i + 3
            if self.t[j] != ("op", "{"):
                raise Unresolved("[]string without {")
            j += 1
            vals = []
            while self.t[j] != ("op", "}"):
                try:
                    v, j = self.expr(j)
                    vals.extend(v if isinstance(v, list) else [v])
                except (Unresolved, IndexError, TypeError):
                    depth = 0  # skip the element
                    while not (depth == 0 and self.t[j] in (("op", ","), ("op", "}"))):
                        depth += {("op", "("): 1, ("op", ")"): -1, ("op", "{"): 1}.get(self.t[j], 0)
                        if self.t[j] == ("op", "}") and depth > 0:
                            depth -= 1
                        j += 1
                if self.t[j] == ("op", ","):
                    j += 1
            return vals, j + 1
        return super().term(i)

    def lists(self):
        """Every string assigned or appended to `tps` and `fps`."""
        got = {"tps": [], "fps": []}
        for i in range(len(self.t) - 2):
            kind, name = self.t[i]
            if kind == "id" and name in got and self.t[i + 1] in (("op", ":="), ("op", "=")):
                try:
                    v, _ = self.expr(i + 2)
                except (Unresolved, IndexError, TypeError, ValueError):
                    continue
                got[name].extend(x for x in (v if isinstance(v, list) else [v]) if isinstance(x, str))
        return got


def read_gitleaks(repo, rng):
    """[(family, source, text, positive)] from gitleaks' rule generators."""
    out = []
    for stem, fam in sorted(GITLEAKS.items()):
        rel = f"cmd/generate/config/rules/{stem}.go"
        path = os.path.join(repo, rel)
        if os.path.exists(path):
            src = open(path, encoding="utf-8").read()
        else:
            p = subprocess.run(["git", "-C", repo, "show", f"HEAD:{rel}"], capture_output=True, text=True)
            if p.returncode != 0:
                continue
            src = p.stdout
        ev = GoRuleEvaluator(tokens(src), rng)
        got = ev.lists()
        # the "// gitleaks:allow" markers are inside the Go source, not in the strings
        out += [(fam, f"gitleaks/{stem}.go", t, True) for t in got["tps"]]
        out += [(fam, f"gitleaks/{stem}.go", t, False) for t in got["fps"]]
    # One rule's decoy can be another rule's positive of the same family (the
    # admin key is a decoy of gitleaks' Anthropic API-key rule and the
    # positive of its admin-key rule): scored by family, it is a positive.
    positives = {(f, t) for f, _, t, pos in out if pos}
    return [c for c in out if c[3] or (c[0], c[2]) not in positives]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trufflehog", help="checkout or bare mirror of trufflehog")
    ap.add_argument("--gitleaks", help="checkout or bare mirror of gitleaks")
    ap.add_argument("--seed", type=int, default=1, help="seed of the generated gitleaks values")
    ap.add_argument("--bin", default="target/release/clawcheck")
    ap.add_argument("--show", type=int, default=200, help="disagreements printed")
    ap.add_argument("--keep", help="write the case files to this (new) directory, to read them")
    a = ap.parse_args()

    if not a.trufflehog and not a.gitleaks:
        ap.error("give --trufflehog and/or --gitleaks")
    cases, skipped = [], collections.Counter()
    if a.gitleaks:
        import random
        cases += [(f"gl:{fam}", name, t, pos) for fam, name, t, pos in read_gitleaks(a.gitleaks, random.Random(a.seed))]
    for det, files in sorted(read_tests(a.trufflehog).items() if a.trufflehog else []):
        for name, src in files:
            ev = Evaluator(tokens(src))
            ev.bind_constants()
            for inp, wants, err in ev.cases():
                if err or wants is None or inp is None or not isinstance(inp, str):
                    skipped[det] += 1
                    continue
                positive = any(w and w != "<unresolved>" for w in wants)
                if not positive and det in POSITIVES_ONLY:
                    continue
                cases.append((f"th:{DETECTORS[det]}", name, inp, positive))

    with tempfile.TemporaryDirectory() as tmp:
        if a.keep:
            os.makedirs(a.keep)
            tmp = a.keep
        for n, (_, _, inp, _) in enumerate(cases):
            with open(os.path.join(tmp, f"case{n:04}.txt"), "w", encoding="utf-8") as f:
                f.write(inp)
        p = subprocess.run([a.bin, "check", tmp, "--only", "secrets", "--format", "json",
                            "--fail-on", "never", "--threads", "2"], capture_output=True, text=True)
        if p.returncode not in (0, 1):
            sys.exit(f"clawcheck failed ({p.returncode}): {p.stderr}")
        report = json.loads(p.stdout)
    hits = collections.defaultdict(list)
    for f in report["findings"]:
        m = re.search(r"case(\d{4})\.txt$", f["path"])
        if m:
            hits[int(m.group(1))].append(f)

    score = collections.defaultdict(lambda: collections.Counter())
    wrong = []
    for n, (fam, name, inp, positive) in enumerate(cases):
        found = bool(hits.get(n))
        key = ("tp" if found else "fn") if positive else ("fp" if found else "tn")
        score[fam][key] += 1
        if key in ("fn", "fp"):
            wrong.append((key, fam, name, n, hits.get(n, [])))
    total = collections.Counter()
    print(f"{'family':<20} {'pos':>4} {'decoy':>5} {'P':>6} {'R':>6}")
    for fam in sorted(score):
        c = score[fam]
        total.update(c)
        pr = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else float("nan")
        rc = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else float("nan")
        print(f"{fam:<20} {c['tp'] + c['fn']:>4} {c['tn'] + c['fp']:>5} {pr:6.3f} {rc:6.3f}")
    c = total
    print(f"{'all':<20} {c['tp'] + c['fn']:>4} {c['tn'] + c['fp']:>5} "
          f"{c['tp'] / max(1, c['tp'] + c['fp']):6.3f} {c['tp'] / max(1, c['tp'] + c['fn']):6.3f}")
    print(f"skipped (not evaluable): {sum(skipped.values())} {dict(sorted(skipped.items()))}")
    for key, fam, name, n, fs in wrong[: a.show]:
        what = "; ".join(f"{f['rule']} {f.get('evidence', '')}" for f in fs) or "no finding"
        print(f"{key.upper()} {fam:<16} {name:<40} case{n:04}: {what}")


if __name__ == "__main__":
    main()
