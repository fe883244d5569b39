#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""man-gen.py - fill a man page's scdoc template from the program it documents, then run scdoc.

usage: man-gen.py SCDOC TEMPLATE OUTPUT [TAG=SOURCE]...

Each line of TEMPLATE that is exactly @TAG@ becomes a preformatted block of SOURCE's text:
  help:PROGRAM[|FROM[|TO]]  PROGRAM --help's output; with FROM, from the first line that
                            starts with FROM, up to (not including) the first after it that
                            contains TO
  header:FILE               the comment block that opens the script FILE (after #! and SPDX)
so the pages list what the programs themselves say and cannot drift from them. The filled
template goes through scdoc into OUTPUT.
"""
import subprocess
import sys


def help_text(spec):
    parts = spec.split("|")
    prog, start, stop = parts[0], parts[1] if len(parts) > 1 else None, \
        parts[2] if len(parts) > 2 else None
    out = subprocess.run([prog, "--help"], capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    if start is not None:
        begin = next((i for i, l in enumerate(lines) if l.startswith(start)), None)
        if begin is None:
            sys.exit(f"man-gen.py: no line of {prog} --help starts with {start!r}")
        lines = lines[begin:]
        if stop is not None:
            end = next((i for i, l in enumerate(lines) if i and stop in l), len(lines))
            lines = lines[:end]
    return lines


def header_text(path):
    lines = []
    with open(path) as f:
        for n, line in enumerate(f):
            if n == 0 and line.startswith("#!"):
                continue
            if not line.startswith("#"):
                break
            if "SPDX-License-Identifier" in line:
                continue
            lines.append(line[2:].rstrip("\n") if line.startswith("# ") else "")
    return lines


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    scdoc, template, output = sys.argv[1:4]
    blocks = {}
    for arg in sys.argv[4:]:
        tag, _, source = arg.partition("=")
        kind, _, spec = source.partition(":")
        lines = help_text(spec) if kind == "help" else header_text(spec)
        while lines and not lines[-1].strip():
            lines.pop()
        # scdoc reads a backslash as an escape even in a preformatted block
        blocks["@" + tag + "@"] = ["```"] + [l.replace("\\", "\\\\") for l in lines] + ["```"]
    text = []
    with open(template) as f:
        for line in f:
            line = line.rstrip("\n")
            text.extend(blocks.pop(line, [line]))
    if blocks:
        sys.exit(f"man-gen.py: {template} has no line {', '.join(blocks)}")
    with open(output, "w") as out:
        subprocess.run([scdoc], input="\n".join(text) + "\n", text=True, stdout=out, check=True)


if __name__ == "__main__":
    main()
