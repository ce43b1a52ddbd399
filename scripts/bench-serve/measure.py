#!/usr/bin/env python3
"""Live-preview latency of `mianjing serve`: file write -> `reload` event, for scripts/bench-serve.sh.

    measure.py --bin BIN --root SITE --label TEXT [--goal MS] [--edits N] [--page content/x/y.md]
               [--pace MS]

Starts `BIN --root SITE serve --port 0`, connects to its event stream (/__livereload) like an
open browser page does, then edits one page N times (plus one warm-up edit that is not counted):
each edit appends a new line to the page's Markdown body (an in-place write, as most editors
save). The latency of an edit is measured in this process with one monotonic clock
(time.perf_counter), from just before the file is opened for writing to the moment the
`reload` event announcing the rebuild has been read from the stream. Between edits it waits
until the server is idle, so edits never overlap. After each edit it checks that the event lists
the page's HTML and that the server now serves the new line (not timed).

With --pace MS it edits the way an editor saving as one types does: the next edit comes MS after
the last reload event, without waiting for the server to go idle, so on a large site it lands
while the server still rebuilds the search index after the last one (which must give way to it).

SITE is edited in place: pass a copy, never the repository's own content/. Only the Python
standard library is used. Exits non-zero only on real errors (server failed, build error,
timeout), never on a missed goal.
"""

import argparse
import http.client
import json
import queue
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

TIMEOUT = 120.0  # seconds for any single wait (a 1,000-page full rebuild on a loaded machine)


def fail(message):
    print(f"bench-serve: error: {message}", file=sys.stderr)
    sys.exit(1)


class Server:
    """`mianjing serve` on a free port; stderr lines are kept and queued."""

    def __init__(self, binary, root):
        self.lines = []
        self.without_index = 0  # `rebuilt` lines without a search index: it gave way or was fresh
        self.queue = queue.Queue()
        self.first_build = ""
        self.process = subprocess.Popen(
            [binary, "--root", str(root), "serve", "--port", "0"],
            cwd=root.parent, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace")
        threading.Thread(target=self._read, daemon=True).start()
        started = time.monotonic()
        while True:
            line = self.next_line(started + 600)  # the first build of a big site is slow
            match = re.match(r"serving http://([^/]+)/", line)
            if match:
                self.host, port = match.group(1).rsplit(":", 1)
                self.port = int(port)
                return
            if line.startswith("built ") or line.startswith("rebuilt "):
                self.first_build = line

    def _read(self):
        for line in self.process.stderr:
            line = line.rstrip("\n")
            self.lines.append(line)
            self.queue.put(line)
        self.queue.put(None)

    def next_line(self, deadline):
        try:
            line = self.queue.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            fail("timed out waiting for serve\n" + "\n".join(self.lines[-20:]))
        if line is None:
            fail(f"serve exited ({self.process.wait()})\n" + "\n".join(self.lines[-40:]))
        return line

    def rebuilt_lines(self):
        """Drains the queued stderr lines; returns the `rebuilt in X ms` figures among them."""
        figures = []
        while True:
            try:
                line = self.queue.get_nowait()
            except queue.Empty:
                return figures
            if line is None:
                fail("serve exited\n" + "\n".join(self.lines[-40:]))
            match = re.match(r"rebuilt in ([0-9.]+) ms", line)
            if match:
                figures.append(float(match.group(1)))
                self.without_index += "search index" not in line

    def get(self, path):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        connection.request("GET", urllib.parse.quote(path))
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        connection.close()
        return response.status, body

    def stop(self):
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            fail("serve did not stop on SIGINT within 20 s")


class Events:
    """The server-sent event stream, as an open page sees it. A thread reads it and queues each
    event with the perf_counter time it was read at."""

    def __init__(self, server):
        self.connection = http.client.HTTPConnection(server.host, server.port, timeout=None)
        self.connection.request("GET", "/__livereload", headers={"Accept": "text/event-stream"})
        self.response = self.connection.getresponse()
        if self.response.status != 200:
            fail(f"/__livereload answered {self.response.status}")
        self.queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        _, kind, data = self.next()  # `: ready` (or `failed`): the subscription is live
        if kind == "failed":
            fail("the site does not build:\n" + data)

    def _read(self):
        kind, data = None, []
        while True:
            try:
                line = self.response.readline()
            except (OSError, http.client.HTTPException):
                line = b""
            if not line:
                self.queue.put(None)
                return
            line = line.decode("utf-8", "replace").rstrip("\r\n")
            if not line:
                if kind or data:
                    self.queue.put((time.perf_counter(), kind or "message", "\n".join(data)))
                kind, data = None, []
                continue
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "":
                kind = kind or "comment"
            elif field == "event":
                kind = value
            elif field == "data":
                data.append(value)

    def next(self, timeout=TIMEOUT):
        """The next event or comment: (time read, kind, data)."""
        try:
            item = self.queue.get(timeout=timeout)
        except queue.Empty:
            fail("timed out waiting for an event")
        if item is None:
            fail("the event stream ended")
        return item

    def next_event(self):
        while True:
            item = self.next()
            if item[1] != "comment":
                return item

    def drain(self):
        """Events already received (none expected between edits): how many."""
        count = 0
        while True:
            try:
                item = self.queue.get_nowait()
            except queue.Empty:
                return count
            if item is None:
                fail("the event stream ended")
            count += item[1] != "comment"


def pick_page(root):
    pages = sorted(p for p in (root / "content").glob("*/*.md") if p.name != "_index.md")
    if not pages:
        fail(f"no pages under {root / 'content'}")
    return pages[len(pages) // 2]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True)
    parser.add_argument("--root", required=True, type=Path)
    parser.add_argument("--label", required=True)
    parser.add_argument("--goal", type=float, help="goal for the median in ms (reported only)")
    parser.add_argument("--edits", type=int, default=15)
    parser.add_argument("--page", help="page to edit, relative to the root")
    parser.add_argument("--pace", type=float,
                        help="edit MS after each reload event instead of once the server is idle")
    args = parser.parse_args()
    root = args.root.resolve()
    page = root / args.page if args.page else pick_page(root)
    relative = page.relative_to(root).as_posix()
    section, slug = page.parent.name, page.stem
    html = f"{section}/{slug}/index.html"
    original = page.read_text(encoding="utf-8")

    server = Server(args.bin, root)
    try:
        events = Events(server)
        latencies, rebuilds, extra = [], [], 0
        for i in range(args.edits + 1):
            if args.pace:
                time.sleep(args.pace / 1000)
                rebuilds.extend(server.rebuilt_lines())
            else:
                # Idle before the edit: anything still arriving is an extra rebuild of the last.
                time.sleep(0.2)
                extra += max(events.drain(), len(server.rebuilt_lines()))
            marker = f"基准测试编辑第 {i} 次 bench-serve-{i}"
            text = original.rstrip("\n") + f"\n\n{marker}\n"
            started = time.perf_counter()
            with open(page, "w", encoding="utf-8") as f:
                f.write(text)
            received, kind, data = events.next_event()
            latency = (received - started) * 1000
            if kind == "failed":
                fail(f"the edit of {relative} failed to build:\n{data}")
            if kind != "reload":
                fail(f"unexpected event {kind}: {data}")
            changed = json.loads(data)
            if not changed.get("all") and html not in changed.get("changed", []):
                fail(f"the reload after editing {relative} does not list {html}: {data}")
            status, body = server.get("/" + html[: -len("index.html")])
            if status != 200 or marker not in body:
                fail(f"after the reload, /{html} (status {status}) does not show the edit")
            if i == 0:
                warmup = latency
            else:
                latencies.append(latency)
            if args.pace:
                continue
            # The server prints its `rebuilt` line just after the search index that follows the
            # event.
            deadline = time.monotonic() + TIMEOUT
            figures = []
            while not figures:
                if time.monotonic() > deadline:
                    fail("no `rebuilt` line after the reload")
                time.sleep(0.05)
                figures = server.rebuilt_lines()
            if i > 0:
                rebuilds.append(figures[-1])
        if args.pace:
            # One line an edit, the warm-up's first; the last comes once its index is built.
            deadline = time.monotonic() + TIMEOUT
            while len(rebuilds) < args.edits + 1:
                if time.monotonic() > deadline:
                    fail(f"{len(rebuilds)} `rebuilt` lines for {args.edits + 1} edits")
                time.sleep(0.05)
                rebuilds.extend(server.rebuilt_lines())
            rebuilds = rebuilds[1:]
    finally:
        page.write_text(original, encoding="utf-8")
        server.stop()

    median = statistics.median(latencies)
    pace = f", each {args.pace:g} ms after the last reload" if args.pace else ""
    print(f"{args.label}: edit {relative}, {args.edits} edits{pace} "
          f"(+1 warm-up: {warmup:.1f} ms)")
    print(f"  serve's first build: {server.first_build}")
    print(f"  write -> reload event: median {median:.1f} ms, min {min(latencies):.1f} ms, "
          f"max {max(latencies):.1f} ms")
    print(f"  of which the server's rebuild (Session::rebuild + publishing): median "
          f"{statistics.median(rebuilds):.1f} ms; the rest is the file watcher, the debounce "
          f"and delivery")
    print("  each: " + " ".join(f"{x:.0f}" for x in latencies) + " ms")
    if extra:
        print(f"  note: {extra} extra rebuild(s) beyond one per edit")
    if args.pace:
        print(f"  {server.without_index} of {args.edits + 1} rebuilds left the search index to "
              f"the next edit's")
    if args.goal:
        verdict = "met" if median < args.goal else "missed"
        print(f"  goal: median < {args.goal:g} ms -> {verdict}")


if __name__ == "__main__":
    main()
