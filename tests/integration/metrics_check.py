#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""metrics_check.py - compare kvnetd's /metrics with `kvnet --json stats show`, for tests.

usage: metrics_check.py METRICS BEFORE.json AFTER.json

METRICS is a scrape's text; BEFORE and AFTER are stats.show's answers taken just before and
just after it. The text must be well-formed exposition format (each family's # HELP and
# TYPE once, before its samples; counters named *_total; label values escaped), and for every
bridge and port of the answers each counter must be there with a value between BEFORE's and
AFTER's (traffic may go on meanwhile). Prints what is wrong, one line each; exit 1 if
anything is.
"""
import json
import re
import sys

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9.e+]+|NaN|[+-]Inf)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)')
PORT = {"rx_frames": "kvnet_port_rx_frames_total", "rx_bytes": "kvnet_port_rx_bytes_total",
        "tx_frames": "kvnet_port_tx_frames_total", "tx_bytes": "kvnet_port_tx_bytes_total",
        "rx_control": "kvnet_port_rx_control_total",
        "learn_refused": "kvnet_port_learn_refused_total",
        "rx_errors": "kvnet_port_rx_errors_total", "tx_errors": "kvnet_port_tx_errors_total"}
FDB = {"size": "kvnet_fdb_entries", "static": "kvnet_fdb_static_entries",
       "learned_now": "kvnet_fdb_learned_entries", "learned": "kvnet_fdb_learned_total",
       "moved": "kvnet_fdb_moved_total", "aged": "kvnet_fdb_aged_total",
       "refused_bridge_limit": "kvnet_fdb_refused_bridge_limit_total",
       "refused_port_limit": "kvnet_fdb_refused_port_limit_total"}


def unescape(v):
    return re.sub(r'\\(.)', lambda m: "\n" if m.group(1) == "n" else m.group(1), v)


def parse(text, errors):
    """{(name, ((label, value), ...)): value}, checking the format as it goes"""
    samples, help_seen, type_seen, done = {}, set(), {}, set()
    current = None
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            kind, name = line.split(" ")[1:3]
            seen = help_seen if kind == "HELP" else type_seen
            if name in seen or name in done:
                errors.append(f"line {n}: a second # {kind} for {name}")
            if kind == "TYPE":
                t = line.split(" ")[3]
                type_seen[name] = t
                if (t == "counter") != name.endswith("_total"):
                    errors.append(f"line {n}: {name} is a {t}: counters, and only they, "
                                  "end in _total")
            else:
                help_seen.add(name)
            if current and current != name:
                done.add(current)
            current = name
            continue
        m = SAMPLE.match(line)
        if not m:
            errors.append(f"line {n}: not a sample: {line!r}")
            continue
        name, labels = m.group(1), ()
        if name != current or name not in type_seen or name not in help_seen:
            errors.append(f"line {n}: {name} outside its family (no # HELP/# TYPE before it)")
        if m.group(3):
            found = LABEL.findall(m.group(3))
            if "".join(f'{k}="{v}"{c}' for k, v, c in found) != m.group(3):
                errors.append(f"line {n}: labels not well-formed: {m.group(3)!r}")
            labels = tuple((k, unescape(v)) for k, v, _ in found)
        samples[(name, labels)] = float(m.group(4))
    return samples


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    errors = []
    with open(sys.argv[1]) as f:
        samples = parse(f.read(), errors)
    with open(sys.argv[2]) as f:
        before = json.load(f)
    with open(sys.argv[3]) as f:
        after = json.load(f)

    def check(name, labels, lo, hi):
        v = samples.get((name, labels))
        if v is None:
            errors.append(f"missing: {name}{{{labels}}} (kvnet stats show has {lo})")
        elif not lo <= v <= hi:
            errors.append(f"{name}{{{labels}}} = {v:g}: kvnet stats show has {lo}..{hi}")

    ports_after = {(p["bridge"], p["name"]): p for p in after["ports"]}
    for p in before["ports"]:
        a = ports_after.get((p["bridge"], p["name"]))
        if not a:
            continue
        lab = (("bridge", p["bridge"]), ("port", p["name"]))
        for key, name in PORT.items():
            check(name, lab, p[key], a[key])
        for cause, v in p["drops"].items():
            check("kvnet_port_drops_total", lab + (("cause", cause),), v, a["drops"][cause])
    br_after = {b["name"]: b for b in after["bridges"]}
    for b in before["bridges"]:
        if b["name"] not in br_after:
            continue
        for key, name in FDB.items():
            lo, hi = sorted((b["fdb"][key], br_after[b["name"]]["fdb"][key]))
            check(name, (("bridge", b["name"]),), lo, hi)
    for e in errors:
        print(e)
    print(f"{len(samples)} samples, {len(before['ports'])} ports, {len(errors)} problems")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
