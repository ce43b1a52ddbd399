#!/usr/bin/env python3
"""Synthetic benchmark corpus for scripts/bench.sh: the same N pages as four sites.

    corpus.py N OUTDIR      # writes OUTDIR/ours, OUTDIR/hugo, OUTDIR/zola, OUTDIR/mdbook
    corpus.py N OUTDIR S    # the same with exactly S sections (scripts/bench.sh builds 1,000
                            # pages in one section to check page bytes do not grow with it)

Why a synthetic corpus: the real site has 75 pages, too few to see how a generator scales, so
the benchmark builds the same pages at 75, 1,000 and 10,000 pages. The pages are made to be an
honest workload rather than a flattering one:

  * The prose is real: sentences taken from the repo's content/**/*.md bodies (front matter,
    code fences, HTML/SVG, {{ ... }} shortcodes, headings, tables and links removed; only
    sentences that are mostly Chinese kept), recombined to about 1,500 Chinese characters per
    page under 3 or 4 `##` headings taken from the real pages.
  * The code is real and never repeats: two fenced rust blocks per page, each a 30-line window
    of snippets/src/*.rs (ANCHOR lines dropped) whose first line is a comment naming the page
    and block (`// 第 123 页 · 代码 1`), so no two blocks are equal and a generator that caches
    highlighted blocks by their text gains nothing a real site would not give it.
  * Per-page work does not depend on the site's size: a section holds at most 100 pages (75
    pages -> 8 sections like the real site; 1,000 -> 10; 10,000 -> 100), and the peers' layouts
    list in the sidebar every section but only the current section's pages. Ours uses the
    repo's templates/ and static/ verbatim (what the real site ships), whatever they list.
  * Deterministic: a fixed seed and sorted iteration; the same N gives the same bytes.

Sites written:
  ours/    site.toml, content/ (YAML front matter), templates/ and static/ copied from the repo
  hugo/    hugo.toml, the same content/ (plus section weights), layouts/ from scripts/bench/hugo
  zola/    config.toml (Zola 0.22+, Giallo highlighting) and config-0.21.toml (Zola <= 0.21,
           syntect), content/ with TOML front matter, templates/ from scripts/bench/zola
  mdbook/  book.toml, src/SUMMARY.md and the chapters (title as `# h1`, no front matter)
Only the Python standard library is used.
"""

import json
import math
import random
import re
import shutil
import sys
from pathlib import Path

SEED = 20240611
PAGES_PER_SECTION = 100
MIN_SECTIONS = 8  # the real site has 8
PROSE_CHARS = 1500  # Chinese characters of prose per page
CODE_LINES = 30  # lines per code block, the marker comment included
TAGS = ["async", "coroutine", "dns", "http", "io", "ip", "lock", "network", "os", "process",
        "proxy", "python", "rust", "socket", "tcp", "thread"]
SITE = {
    "title": "网络与并发面试笔记（基准测试语料）",
    "description": "由真实页面的句子与代码重新组合而成的基准测试语料，用来比较静态网站生成器的构建速度。",
    "base_url": "https://bench.example.org",
    "language": "zh-CN",
    "author": "基准测试",
    "edit_url": "https://git.example.org/bench/edit/main/",
}


def is_cjk(c):
    o = ord(c)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF


def cjk_count(s):
    return sum(1 for c in s if is_cjk(c))


def split_front_matter(text):
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return text[4:end], text[end + 5:]
    return "", text


LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
LIST_MARK = re.compile(r"^(?:[-*+]|\d+\.)\s+(?:\[[ xX]\]\s+)?")
SENTENCE_END = re.compile(r"(?<=[。！？])")
# Characters that would make a recombined sentence mean something else to one of the four
# generators (HTML, shortcodes, tables, emphasis, link syntax, Hugo/Zola template syntax).
UNSAFE = re.compile(r"[<>{}|\[\]*\\$#@~^]")


def prose_blocks(body):
    """The paragraph and list-item texts of a Markdown body: no fences, HTML blocks, headings,
    tables, shortcodes; links replaced by their text."""
    blocks, cur, fence, html = [], [], None, False

    def flush():
        if cur:
            blocks.append("".join(cur))
            cur.clear()

    for raw in body.split("\n"):
        line = raw.strip()
        if fence:
            if line.startswith(fence):
                fence = None
            continue
        if line.startswith("```") or line.startswith("~~~"):
            flush()
            fence = line[:3]
            continue
        if html:  # an HTML block runs to the next blank line
            html = bool(line)
            continue
        if not line:
            flush()
            continue
        if line.startswith("<"):
            flush()
            html = True
            continue
        if line.startswith(("#", "|", "{{", "{%", "---")):
            flush()
            continue
        if line.startswith(">"):
            line = line.lstrip("> ").strip()
        if LIST_MARK.match(line):
            flush()
            line = LIST_MARK.sub("", line)
        line = LINK.sub(r"\1", line).replace("**", "").replace("__", "")
        cur.append(line)
    flush()
    return blocks


def usable(sentence):
    s = sentence.strip()
    if not (12 <= len(s) <= 160) or s[-1] not in "。！？" or s.count("`") % 2:
        return False
    outside_code = re.sub(r"`[^`]*`", "", s)
    if UNSAFE.search(outside_code) or "`" in outside_code:
        return False
    visible = [c for c in s if not c.isspace()]
    return cjk_count(s) >= 8 and cjk_count(s) / len(visible) >= 0.6


def harvest(root):
    """(sentences, headings) from the repo's content/: unique, sorted, usable."""
    sentences, headings = set(), set()
    for path in sorted((root / "content").rglob("*.md")):
        _, body = split_front_matter(path.read_text(encoding="utf-8"))
        for block in prose_blocks(body):
            for s in SENTENCE_END.split(block):
                if usable(s):
                    sentences.add(s.strip())
        for line in body.split("\n"):
            m = re.match(r"^##\s+(.+?)\s*$", line)
            if m and not UNSAFE.search(m.group(1)) and "`" not in m.group(1) \
                    and cjk_count(m.group(1)) >= 3 and len(m.group(1)) <= 30:
                headings.add(m.group(1))
    if len(sentences) < 50 or len(headings) < 8:
        raise SystemExit(f"corpus: too little usable text under {root / 'content'} "
                         f"({len(sentences)} sentences, {len(headings)} headings)")
    return sorted(sentences), sorted(headings)


MARKER = re.compile(r"^\s*//\s*ANCHOR(?:_END)?:")


def code_sources(root):
    """Lines of each snippets/src/*.rs, ANCHOR lines dropped, long enough for a window."""
    files = []
    for path in sorted((root / "snippets" / "src").glob("*.rs")):
        lines = [l.rstrip() for l in path.read_text(encoding="utf-8").split("\n")
                 if not MARKER.match(l)]
        if len(lines) >= CODE_LINES:
            files.append(lines)
    if not files:
        raise SystemExit(f"corpus: no snippets/src/*.rs of {CODE_LINES}+ lines under {root}")
    return files


def code_window(rng, files):
    """CODE_LINES - 1 consecutive lines of one file, with no fence or template syntax inside."""
    for _ in range(1000):
        lines = rng.choice(files)
        start = rng.randrange(len(lines) - (CODE_LINES - 1) + 1)
        window = lines[start:start + CODE_LINES - 1]
        text = "\n".join(window)
        if "```" not in text and "{{" not in text and "{%" not in text and "}}" not in text:
            return window
    raise SystemExit("corpus: no usable code window found")


def q(s):
    """A double-quoted string valid in YAML and TOML alike (JSON's escapes are a subset)."""
    return json.dumps(s, ensure_ascii=False)


def plan(n, sentences, headings, code, n_sec=None):
    """The sections and pages, as plain data (`n_sec` sections, or as many as the defaults give)."""
    rng = random.Random(SEED)
    if n_sec is None:
        n_sec = max(1, min(n, max(MIN_SECTIONS, math.ceil(n / PAGES_PER_SECTION))))
    width = max(3, len(str(n_sec)))
    pwidth = max(5, len(str(n)))
    short = [s for s in sentences if len(s) <= 70]
    sections = []
    for k in range(n_sec):
        sections.append({
            "slug": f"s{k + 1:0{width}d}",
            "title": f"第 {k + 1} 章 · {rng.choice(headings)}",
            "description": rng.choice(short),
            "intro": " ".join(rng.sample(sentences, 3)),
            "pages": [],
        })
    for i in range(n):
        sec = sections[i * n_sec // n]
        number = i + 1
        heads = rng.sample(headings, rng.choice((3, 4)))
        blocks = [[f"// 第 {number} 页 · 代码 {b}"] + code_window(rng, code) for b in (1, 2)]
        parts, total = [], 0
        for h, head in enumerate(heads):
            share = PROSE_CHARS * (h + 1) // len(heads) - total
            paras, got = [], 0
            while got < share:
                para = []
                for _ in range(rng.randint(2, 4)):
                    s = rng.choice(sentences)
                    para.append(s)
                    got += cjk_count(s)
                paras.append("".join(para))
            total += got
            parts.append((head, paras))
        sec["pages"].append({
            "slug": f"q{number:0{pwidth}d}",
            "title": f"第 {number} 题：{rng.choice(headings)}",
            "description": rng.choice(short),
            "weight": len(sec["pages"]) + 1,
            "tags": sorted(rng.sample(TAGS, 2)),
            "parts": parts,
            "blocks": blocks,
        })
    return sections


def page_body(page):
    """Markdown body: headings, paragraphs, one code block in the first part and one in the
    last part."""
    out = []
    last = len(page["parts"]) - 1
    for h, (head, paras) in enumerate(page["parts"]):
        out.append(f"## {head}\n")
        for p, para in enumerate(paras):
            out.append(para + "\n")
            if p == 0 and h in (0, last):
                block = page["blocks"][0 if h == 0 else 1]
                out.append("```rust\n" + "\n".join(block) + "\n```\n")
    return "\n".join(out)


HOME_BODY = ("这是一份用来测量构建速度的语料：句子取自真实页面，重新组合；代码取自真实的 Rust 示例，"
             "每一段代码的第一行都不相同。\n")


def yaml_fm(fields):
    lines = ["---"]
    for k, v in fields:
        if isinstance(v, list):
            lines.append(f"{k}: [{', '.join(q(x) for x in v)}]")
        elif isinstance(v, int):
            lines.append(f"{k}: {v}")
        else:
            lines.append(f"{k}: {q(v)}")
    return "\n".join(lines + ["---", ""])


def toml_fm(fields, tags=None):
    lines = ["+++"]
    for k, v in fields:
        lines.append(f"{k} = {v}" if isinstance(v, int) else f"{k} = {q(v)}")
    if tags:
        lines += ["[taxonomies]", f"tags = [{', '.join(q(t) for t in tags)}]"]
    return "\n".join(lines + ["+++", ""])


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_ours(dest, root, sections):
    site = [f"{k} = {q(v)}" for k, v in SITE.items()]
    site.append("sections = [" + ", ".join(q(s["slug"]) for s in sections) + "]")
    write(dest / "site.toml", "\n".join(site) + "\n")
    write(dest / "content" / "_index.md",
          yaml_fm([("title", SITE["title"]), ("description", SITE["description"])]) + HOME_BODY)
    for s in sections:
        d = dest / "content" / s["slug"]
        write(d / "_index.md",
              yaml_fm([("title", s["title"]), ("description", s["description"])]) + s["intro"] + "\n")
        for p in s["pages"]:
            fm = yaml_fm([("title", p["title"]), ("description", p["description"]),
                          ("weight", p["weight"]), ("tags", p["tags"])])
            write(d / f"{p['slug']}.md", fm + page_body(p))
    for name in ("templates", "static"):
        shutil.copytree(root / name, dest / name)


def write_hugo(dest, here, sections):
    config = (here / "hugo" / "hugo.toml").read_text(encoding="utf-8")
    head = f"baseURL = {q(SITE['base_url'] + '/')}\ntitle = {q(SITE['title'])}\n"
    params = "\n[params]\n" + "".join(
        f"  {k} = {q(SITE[k])}\n" for k in ("description", "author", "edit_url"))
    write(dest / "hugo.toml", head + config + params)
    write(dest / "content" / "_index.md",
          yaml_fm([("title", SITE["title"]), ("description", SITE["description"])]) + HOME_BODY)
    for w, s in enumerate(sections, 1):
        d = dest / "content" / s["slug"]
        write(d / "_index.md", yaml_fm([("title", s["title"]), ("description", s["description"]),
                                        ("weight", w)]) + s["intro"] + "\n")
        for p in s["pages"]:
            fm = yaml_fm([("title", p["title"]), ("description", p["description"]),
                          ("weight", p["weight"]), ("tags", p["tags"])])
            write(d / f"{p['slug']}.md", fm + page_body(p))
    shutil.copytree(here / "hugo" / "layouts", dest / "layouts")
    shutil.copytree(here.parent.parent / "static", dest / "static")  # same files to copy as ours


def write_zola(dest, here, sections):
    common = (f"base_url = {q(SITE['base_url'])}\n"
              f"title = {q(SITE['title'])}\n"
              f"description = {q(SITE['description'])}\n"
              'default_language = "zh"\n'
              "compile_sass = false\n"
              "build_search_index = true\n"
              'taxonomies = [{ name = "tags" }]\n'
              "\n[search]\n"
              "# Zola's default (elasticlunr) index has no Chinese unless Zola was built with the\n"
              "# indexing-zh feature; the Fuse.js format is language-independent.\n"
              'index_format = "fuse_json"\n'
              "\n[extra]\n"
              f"author = {q(SITE['author'])}\n"
              f"edit_url = {q(SITE['edit_url'])}\n")
    # Zola 0.22 replaced syntect by Giallo and moved the keys to [markdown.highlighting].
    write(dest / "config.toml", common +
          '\n[markdown.highlighting]\nstyle = "class"\ntheme = "github-light"\n')
    write(dest / "config-0.21.toml", common +
          '\n[markdown]\nhighlight_code = true\nhighlight_theme = "css"\n')
    write(dest / "content" / "_index.md",
          toml_fm([("title", SITE["title"]), ("description", SITE["description"]),
                   ("sort_by", "weight")]) + HOME_BODY)
    for w, s in enumerate(sections, 1):
        d = dest / "content" / s["slug"]
        write(d / "_index.md", toml_fm([("title", s["title"]), ("description", s["description"]),
                                        ("sort_by", "weight"), ("weight", w)]) + s["intro"] + "\n")
        for p in s["pages"]:
            fm = toml_fm([("title", p["title"]), ("description", p["description"]),
                          ("weight", p["weight"])], tags=p["tags"])
            write(d / f"{p['slug']}.md", fm + page_body(p))
    shutil.copytree(here / "zola" / "templates", dest / "templates")
    shutil.copytree(here.parent.parent / "static", dest / "static")  # same files to copy as ours


def write_mdbook(dest, sections):
    src = dest / "src"
    summary = ["# Summary", "", "[简介](README.md)", ""]
    write(src / "README.md", f"# {SITE['title']}\n\n{HOME_BODY}")
    for s in sections:
        write(src / s["slug"] / "README.md", f"# {s['title']}\n\n{s['intro']}\n")
        summary.append(f"- [{s['title']}]({s['slug']}/README.md)")
        for p in s["pages"]:
            write(src / s["slug"] / f"{p['slug']}.md", f"# {p['title']}\n\n{page_body(p)}")
            summary.append(f"  - [{p['title']}]({s['slug']}/{p['slug']}.md)")
    write(src / "SUMMARY.md", "\n".join(summary) + "\n")
    write(dest / "book.toml",
          f"[book]\ntitle = {q(SITE['title'])}\nauthors = [{q(SITE['author'])}]\n"
          'language = "zh"\nsrc = "src"\n\n'
          "[output.html]\n\n[output.html.search]\nenable = true\n")


def main():
    args = sys.argv[1:]
    if len(args) not in (2, 3) or not all(a.isdigit() and int(a) > 0 for a in args[:1] + args[2:]):
        raise SystemExit(__doc__)
    n, out = int(args[0]), Path(args[1])
    n_sec = min(n, int(args[2])) if len(args) == 3 else None
    here = Path(__file__).resolve().parent
    root = here.parent.parent
    sentences, headings = harvest(root)
    sections = plan(n, sentences, headings, code_sources(root), n_sec)
    for name in ("ours", "hugo", "zola", "mdbook"):
        if (out / name).exists():
            raise SystemExit(f"corpus: {out / name} already exists")
    write_ours(out / "ours", root, sections)
    write_hugo(out / "hugo", here, sections)
    write_zola(out / "zola", here, sections)
    write_mdbook(out / "mdbook", sections)
    print(f"{n} pages in {len(sections)} sections; {len(sentences)} source sentences, "
          f"{len(headings)} headings")


if __name__ == "__main__":
    main()
