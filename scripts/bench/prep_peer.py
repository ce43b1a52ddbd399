#!/usr/bin/env python3
"""Lay out a peer generator's site over the same content/ as ours, for scripts/bench.sh.

    prep_peer.py hugo   ROOT DEST   # DEST/content, DEST/static, DEST/layouts, DEST/hugo.toml
    prep_peer.py mdbook ROOT DEST   # DEST/book.toml, DEST/src/SUMMARY.md and the chapters

ROOT is our site root (site.toml, content/, static/, snippets/). Every
`{{ include(path="…", anchor="…") }}` line becomes a fenced ```rust block holding the same
lines our include shortcode shows (between `ANCHOR: name` and `ANCHOR_END: name`, every marker
line dropped, outer blank lines trimmed, common indentation stripped), so the peer highlights
the same code. Prints one line: the number of pages and of includes replaced.
"""

import re
import shutil
import sys
import tomllib
from pathlib import Path

INCLUDE = re.compile(r'^(\s*)\{\{\s*include\((.*)\)\s*\}\}\s*$')
ARG = re.compile(r'(\w+)\s*=\s*"([^"]*)"')
MARKER = re.compile(r'^\s*(?://|#|<!--)?\s*(ANCHOR|ANCHOR_END):\s*(\S+)')


def extract(source, anchor):
    """Same rules as src/markdown/include.rs `extract`."""
    lines, inside, found = [], anchor is None, False
    for line in source.splitlines():
        m = MARKER.match(line)
        if m:
            name = m.group(2).removesuffix("-->")
            if name == anchor:
                inside = m.group(1) == "ANCHOR"
                found = found or inside
            continue
        if inside:
            lines.append(line)
    if anchor is not None and not found:
        raise SystemExit(f"prep_peer: anchor `{anchor}` not found")
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    indent = min((len(l) - len(l.lstrip()) for l in lines if l.strip()), default=0)
    return [l[indent:].rstrip() for l in lines]


def expand_includes(text, root, counter):
    out = []
    for line in text.split("\n"):
        m = INCLUDE.match(line)
        if not m:
            out.append(line)
            continue
        args = dict(ARG.findall(m.group(2)))
        path = root / args["path"]
        code = extract(path.read_text(encoding="utf-8"), args.get("anchor"))
        pad = m.group(1)
        out.append(pad + "```rust")
        out.extend(pad + l if l else "" for l in code)
        out.append(pad + "```")
        counter[0] += 1
    return "\n".join(out)


def q(s):
    """A TOML basic string."""
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


def split_front_matter(text):
    """(YAML front matter, body) of a page whose first line is `---`."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return text[4:end], text[end + 5:]
    return "", text


def front_matter_scalars(fm):
    """The top-level `key: value` and `key: |` block scalars of YAML front matter (enough for
    title, weight and answer; lists and the rest are skipped). No PyYAML needed."""
    meta, lines, i = {}, fm.split("\n"), 0
    while i < len(lines):
        m = re.match(r"^([A-Za-z_]\w*):\s*(.*)$", lines[i])
        i += 1
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if value in ("|", "|-", ">", ">-"):
            block = []
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith(" ")):
                block.append(lines[i].strip())
                i += 1
            meta[key] = "\n".join(block).strip()
        elif value and value[0] in "'\"" and value[-1] == value[0]:
            meta[key] = value[1:-1]
        else:
            meta[key] = value
    return meta


def md_files(content):
    return sorted(p for p in content.rglob("*.md"))


def prep_hugo(root, dest, here):
    site = tomllib.loads((root / "site.toml").read_text(encoding="utf-8"))
    counter, pages = [0], 0
    for src in md_files(root / "content"):
        rel = src.relative_to(root / "content")
        target = dest / "content" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(expand_includes(src.read_text(encoding="utf-8"), root, counter),
                          encoding="utf-8")
        pages += 1
    if (root / "static").is_dir():
        shutil.copytree(root / "static", dest / "static", dirs_exist_ok=True)
    shutil.copytree(here / "hugo" / "layouts", dest / "layouts", dirs_exist_ok=True)
    config = (here / "hugo" / "hugo.toml").read_text(encoding="utf-8")
    # Top-level keys must come before the first [table] header: prepend them.
    head = (f"baseURL = {q(site.get('base_url', 'https://example.org').rstrip('/') + '/')}\n"
            f"title = {q(site.get('title', ''))}\n")
    params = "\n[params]\n" + "".join(
        f"  {k} = {q(site[k])}\n" for k in ("description", "author", "edit_url") if k in site)
    (dest / "hugo.toml").write_text(head + config + params, encoding="utf-8")
    print(f"{pages} markdown files, {counter[0]} includes expanded")


def prep_mdbook(root, dest):
    """mdBook has no front matter: each chapter gets `# title` plus its body; sections are
    parts with their _index.md as the part's first chapter, in site.toml's order."""
    site = tomllib.loads((root / "site.toml").read_text(encoding="utf-8"))
    content, src = root / "content", dest / "src"
    src.mkdir(parents=True, exist_ok=True)
    counter, summary, pages = [0], ["# Summary", ""], 0

    def chapter(path, out_rel):
        nonlocal pages
        fm, body = split_front_matter(path.read_text(encoding="utf-8"))
        meta = front_matter_scalars(fm)
        title = meta.get("title", path.stem)
        answer = meta.get("answer")
        text = f"# {title}\n\n"
        if answer:  # shown first, like ours: a block quote
            text += "".join(f"> {l}".rstrip() + "\n" for l in answer.strip().split("\n")) + "\n"
        text += expand_includes(body, root, counter)
        out = src / out_rel
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        pages += 1
        return title, meta

    title, _ = chapter(content / "_index.md", "README.md")
    summary += [f"[{title}](README.md)", ""]
    for name in site.get("sections", sorted(p.name for p in content.iterdir() if p.is_dir())):
        sec = content / name
        title, _ = chapter(sec / "_index.md", f"{name}/README.md")
        summary.append(f"- [{title}]({name}/README.md)")
        entries = []
        for p in sorted(sec.glob("*.md")):
            if p.name == "_index.md":
                continue
            t, meta = chapter(p, f"{name}/{p.name}")
            entries.append((int(meta.get("weight", 0) or 0), p.name, t))
        for _, fname, t in sorted(entries):
            summary.append(f"  - [{t}]({name}/{fname})")
    (src / "SUMMARY.md").write_text("\n".join(summary) + "\n", encoding="utf-8")
    (dest / "book.toml").write_text(
        f'[book]\ntitle = {q(site.get("title", ""))}\nlanguage = "zh"\nsrc = "src"\n'
        '[output.html]\n[output.html.search]\nenable = true\n', encoding="utf-8")
    print(f"{pages} markdown files, {counter[0]} includes expanded")


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("hugo", "mdbook"):
        raise SystemExit(__doc__)
    kind, root, dest = sys.argv[1], Path(sys.argv[2]).resolve(), Path(sys.argv[3])
    here = Path(__file__).resolve().parent
    dest.mkdir(parents=True, exist_ok=True)
    if kind == "hugo":
        prep_hugo(root, dest, here)
    else:
        prep_mdbook(root, dest)


if __name__ == "__main__":
    main()
