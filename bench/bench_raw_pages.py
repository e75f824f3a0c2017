"""Bytes per version of the raw pages revtrack keeps beside fetched revisions.

Usage: python bench/bench_raw_pages.py [--corpus DIR] [--docs N] [--versions V]
                                       [--boilerplate KB]

Stories are served as HTML pages on 127.0.0.1 (a ThreadingHTTPServer in a thread) and
watched; each pass moves every story to its next version and runs `Watcher.run_pass`
(what `revtrack fetch` does), so every version is a revision with its page kept exactly as
in use. The article text of each version is either real (``--corpus``: the versions of the
first N documents of a shared corpus, e.g. ../shared/corpora/18f_blog, one paragraph per
blank-line block) or made up (a number changed and a paragraph added per version). Around it
each page has what outlets' pages carry and what changes on every fetch: ``--boilerplate``
KB of head, inline script and navigation (the same on every page of the site), a rotating
"most read" box, a nonce and a build timestamp.

Printed: served bytes per version, revtrack's stored bytes per version (keyframes and
deltas), and in the same run two peers over the same pages: each page packed alone with
zstd at revtrack's level (keyframes only), and gzip -6 per page (what a WARC file holds). The
text revtrack stores for the same revisions is printed for scale.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def boilerplate(kb: int) -> tuple[str, str]:
    """(head, navigation) shared by every page of the outlet: about ``kb`` KB together."""
    rng = random.Random(7)
    words = ["news", "world", "politics", "business", "sport", "culture", "science", "ferry"]
    links = "".join(
        f'<li><a href="/section/{rng.choice(words)}/{i}">{rng.choice(words).title()} {i}</a></li>'
        for i in range(120)
    )
    script_lines = []
    while sum(len(s) for s in script_lines) < kb * 1024 * 0.7:
        # minified code's names and constants vary: as hard to compress as real bundles
        token = f"{rng.getrandbits(48):012x}"
        script_lines.append(
            f"function _{token[:6]}(a,b){{var {token[6:]}=a*{rng.randint(1, 99999)}+b;"
            f"return window.dl&&dl.push({{e:'{rng.choice(words)}{token[:4]}',v:{token[6:]}}})}}"
        )
    head = (
        '<meta charset="utf-8"><meta name="viewport" content="width=device-width">'
        f"<style>{'.c{margin:0 auto;max-width:40em}' * 20}</style>"
        f"<script>{''.join(script_lines)}</script>"
    )
    return head, f"<nav><ul>{links}</ul></nav>"


def page(title: str, paragraphs: list[str], head: str, nav: str, rng: random.Random) -> bytes:
    """One fetch of a story: the shared parts, the story, and what changes every fetch."""
    most_read = "".join(
        f"<li><a href='/story/{rng.randint(1, 10**6)}'>Story {rng.randint(1, 999)}</a></li>"
        for _ in range(5)
    )
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    nonce = f"{rng.getrandbits(128):032x}"
    return (
        f"<!doctype html><html><head><title>{title} | The Gazette</title>{head}"
        f'<meta name="csrf" content="{nonce}"><meta name="build" content="{time.time_ns()}">'
        f"</head><body>{nav}<article><h1>{title}</h1>\n{body}\n</article>"
        f'<aside class="most-read"><ol>{most_read}</ol></aside>'
        "<footer>Copyright The Gazette. Subscribe now!</footer></body></html>"
    ).encode()


def corpus_versions(root: Path, docs: int, versions: int) -> list[tuple[str, list[list[str]]]]:
    stories = []
    for doc in sorted(p for p in root.iterdir() if p.is_dir()):
        files = sorted(doc.glob("v*.txt"))[:versions]
        if len(files) < 2:
            continue
        title = json.loads((doc / "meta.json").read_text()).get("title") or doc.name
        texts = [[b.strip() for b in f.read_text().split("\n\n") if b.strip()] for f in files]
        stories.append((str(title), texts))
        if len(stories) == docs:
            break
    return stories


def made_up_versions(docs: int, versions: int) -> list[tuple[str, list[list[str]]]]:
    base = [
        "PORT ALDER — The harbor council voted 5-2 on Tuesday to open a ferry route linking "
        "the town with the outer islands, ending a decade of debate.",
        "The new service will run three round trips a day from the old cannery pier, starting "
        "in May, and will cut the crossing from 90 minutes to about 40, council members said.",
        '"People on the islands have waited long enough," said council member Ruth Okafor.',
        "The council will meet again next month to choose an operator from three bids.",
    ]
    stories = []
    for d in range(docs):
        texts = []
        for v in range(versions):
            paras = [p.replace("90 minutes", f"{90 - v} minutes") + f" (Story {d}.)" for p in base]
            paras += [f"Update {i}: the council added detail number {i}." for i in range(v)]
            texts.append(paras)
        stories.append((f"Ferry story {d}", texts))
    return stories


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="a shared corpus folder (real edits)")
    parser.add_argument("--docs", type=int, default=20)
    parser.add_argument("--versions", type=int, default=8)
    parser.add_argument("--boilerplate", type=int, default=60, metavar="KB")
    args = parser.parse_args()

    from sqlalchemy import func, select

    from revtrack import Revtrack
    from revtrack.service.watch.service import Config
    from revtrack.store import codec
    from revtrack.store.models import RevisionText
    from revtrack.store.raw import RawMixin

    packing: list[float] = []  # time of each page kept (delta base rebuilt, packed, inserted)
    keep = RawMixin.add_raw

    def timed(self: RawMixin, *a: object, **kw: object) -> str:
        t = time.perf_counter()
        try:
            return keep(self, *a, **kw)  # type: ignore[arg-type]
        finally:
            packing.append(time.perf_counter() - t)

    RawMixin.add_raw = timed  # type: ignore[method-assign]

    stories = (
        corpus_versions(args.corpus, args.docs, args.versions)
        if args.corpus
        else made_up_versions(args.docs, args.versions)
    )
    head, nav = boilerplate(args.boilerplate)
    rng = random.Random(11)
    pages: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            body = pages.get(self.path)
            status = 200 if body is not None else 404
            body = body if body is not None else b"not found"
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    served: list[bytes] = []
    moment = [datetime(2024, 6, 4, 10, 0)]
    with tempfile.TemporaryDirectory() as tmp:
        rt = Revtrack(str(Path(tmp) / "raw.db"), create=True)
        watcher = rt.watcher(clock=lambda: moment[0], config=Config(host_delay_ms=0))
        for i in range(len(stories)):
            watcher.add(f"{base}/news/story-{i}")
        watcher.set_host("127.0.0.1", concurrency=8, robots=False)
        versions = max(len(t) for _, t in stories)
        t0 = time.perf_counter()
        for v in range(versions):
            for i, (title, texts) in enumerate(stories):
                if v < len(texts):
                    pages[f"/news/story-{i}"] = page(title, texts[v], head, nav, rng)
                    served.append(pages[f"/news/story-{i}"])
            watcher.run_pass(workers=8, due_only=False)
            moment[0] += timedelta(days=1)
        seconds = time.perf_counter() - t0
        with rt.store.read() as tx:
            infos = tx.raw_infos()
            text_bytes = int(
                tx.session.scalar(select(func.sum(func.length(RevisionText.data)))) or 0
            )
            revisions = int(tx.session.scalar(select(func.count(RevisionText.revision_id))) or 0)
        ok = rt.verify().ok
        rt.close()
    httpd.shutdown()

    n = len(infos)
    if n == 0:
        sys.exit("no revision kept a page")
    kept_served = sum(i.size for i in infos)
    stored = sum(i.stored for i in infos)
    keyframes = [i for i in infos if i.codec == "zstd"]
    deltas = [i for i in infos if i.codec != "zstd"]
    t1 = time.perf_counter()
    alone = sum(len(codec.encode_bytes(p)) for p in served)
    zstd_s = time.perf_counter() - t1
    gz = sum(len(gzip.compress(p, 6)) for p in served)
    print(
        f"source: {args.corpus or 'made-up edits'}; {len(stories)} stories, {len(served)} "
        f"versions served, {n} revisions with a kept page ({revisions} revisions in all); "
        f"boilerplate {args.boilerplate} KB; {seconds:.1f} s of passes; verify "
        f"{'OK' if ok else 'FAILED'}"
    )
    print(f"served                       {kept_served / n:>10,.0f} B/version")
    print(
        f"revtrack kept (all)          {stored / n:>10,.0f} B/version  "
        f"({kept_served / stored:.0f}x smaller than served)"
    )
    if keyframes:
        print(
            f"  keyframes ({len(keyframes):>3})            "
            f"{sum(i.stored for i in keyframes) / len(keyframes):>10,.0f} B each"
        )
    if deltas:
        print(
            f"  deltas    ({len(deltas):>3})            "
            f"{sum(i.stored for i in deltas) / len(deltas):>10,.0f} B each"
        )
    print(
        f"peer: zstd alone per page    {alone / len(served):>10,.0f} B/version  "
        f"(revtrack {alone / len(served) / (stored / n):.1f}x smaller; "
        f"{zstd_s / len(served) * 1000:.2f} ms a page)"
    )
    print(
        f"peer: gzip -6 per page       {gz / len(served):>10,.0f} B/version  "
        f"(revtrack {gz / len(served) / (stored / n):.1f}x smaller)"
    )
    print(f"text revtrack stores         {text_bytes / max(revisions, 1):>10,.0f} B/revision")
    packing.sort()
    print(
        f"keeping a page (in the write): p50 {packing[len(packing) // 2] * 1000:.2f} ms, "
        f"p90 {packing[int(len(packing) * 0.9)] * 1000:.2f} ms"
    )


if __name__ == "__main__":
    main()
