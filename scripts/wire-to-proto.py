#!/usr/bin/env python3
"""Regenerates proto/*.proto from the shared wire reference (the fact sheet of the original protocol).

Usage: scripts/wire-to-proto.py ../shared/protocol/wire-reference.md proto/
The generated files are committed; run this only when the wire reference changes.
"""
import re
import sys
from pathlib import Path

src, out = Path(sys.argv[1]), Path(sys.argv[2])
files = {}          # proto file -> (package, [blocks])
current = None
kind = name = None
rows = []


def flush():
    global kind, name, rows
    if current is None or kind is None:
        kind = name = None
        rows = []
        return
    pkg, blocks, deps = files[current]
    if kind == "enum":
        body = "\n".join(f"  {n} = {v};" for n, v in rows)
        blocks.append(f"enum {name} {{\n{body}\n}}")
    else:
        lines = []
        for num, label, typ, fname, opt in rows:
            if typ.startswith("IM."):
                dep_pkg = typ.rsplit(".", 1)[0]
                if dep_pkg != pkg:
                    deps.add(dep_pkg)
            extra = ""
            if opt.startswith("default"):
                extra = " [" + opt.replace(" ", "") .replace("=", " = ") + "]"
            lines.append(f"  {label} {typ} {fname} = {num}{extra};")
        body = "\n".join(lines)
        blocks.append(f"message {name} {{\n{body}\n}}" if lines else f"message {name} {{\n}}")
    kind = name = None
    rows = []


for line in src.read_text(encoding="utf-8").splitlines():
    m = re.match(r"^## package `([^`]+)` \(file ([^)]+)\)", line)
    if m:
        flush()
        current = m.group(2).strip()
        files[current] = (m.group(1), [], set())
        continue
    m = re.match(r"^### (enum|message) (\w+)", line)
    if m:
        flush()
        kind, name = m.group(1), m.group(2)
        continue
    if kind and line.startswith("|") and not line.startswith("|---") and not line.startswith("| name") and not line.startswith("| #"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if kind == "enum":
            rows.append((cells[0], cells[1].split()[0]))
        else:
            rows.append((cells[0], cells[1], cells[2], cells[3], cells[4] if len(cells) > 4 else ""))
flush()

pkg_to_file = {pkg: f for f, (pkg, _, _) in files.items()}
out.mkdir(parents=True, exist_ok=True)
for fname, (pkg, blocks, deps) in files.items():
    short = pkg.split(".", 1)[1]
    header = [
        "// TeamTalk wire protocol, package " + pkg + ".",
        "// Generated from the wire reference by scripts/wire-to-proto.py; numbers, types and labels are the wire contract.",
        'syntax = "proto2";',
        "",
        f"package {pkg};",
        "",
    ]
    header += [f'import "{pkg_to_file[d]}";' for d in sorted(deps)]
    if deps:
        header.append("")
    header += [
        f'option csharp_namespace = "TeamTalk.Orleans.Protocol.Messages.{short}";',
        "option optimize_for = LITE_RUNTIME;",
        "",
    ]
    (out / fname).write_text("\n".join(header) + "\n" + "\n\n".join(blocks) + "\n", encoding="utf-8")
    print(fname, len(blocks))
