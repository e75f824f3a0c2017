"""Serve a tiny local news outlet on 127.0.0.1, to watch with no internet.

It copies ``site/`` into a working folder (``./outlet-site`` by default, so the example in
the repository is never changed) and serves it with an ETag and a Last-Modified on every
page, answering conditional requests with 304 like a real outlet's server.

    python examples/outlet/serve.py            # http://127.0.0.1:8000/feed.xml
    python examples/outlet/serve.py --port 8001 --dir /tmp/outlet
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
from contextlib import suppress
from email.utils import formatdate
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SITE = Path(__file__).resolve().parent / "site"


class Handler(SimpleHTTPRequestHandler):
    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_file():
            tag = '"' + hashlib.sha256(path.read_bytes()).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == tag:
                self.send_response(304)
                self.send_header("ETag", tag)
                self.end_headers()
                return None
            self._etag = tag
        return super().send_head()

    def end_headers(self) -> None:
        tag = getattr(self, "_etag", None)
        if tag:
            self.send_header("ETag", tag)
            self._etag = None
        super().end_headers()

    def guess_type(self, path):  # type: ignore[no-untyped-def]
        if str(path).endswith(".xml"):
            return "application/rss+xml"
        return super().guess_type(path)

    def log_message(self, format: str, *args: object) -> None:
        print(f"{formatdate(usegmt=True)}  {format % args}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--dir", default="outlet-site", help="working copy of the site")
    args = parser.parse_args()
    root = Path(args.dir)
    if not root.exists():
        shutil.copytree(SITE, root)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), partial(Handler, directory=str(root)))
    print(f"Serving {root} at http://127.0.0.1:{args.port}/ (feed: /feed.xml)", flush=True)
    with suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
