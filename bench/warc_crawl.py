"""A generated WARC with the mix of records a real crawl of a news site writes.

The proportions (see bench/results/archives.md for the table the benchmark prints):

* **Per page, the resources a browser-based crawler (Browsertrix, Webrecorder) captures with
  it**, sized after the HTTP Archive's Web Almanac 2024 *Page Weight* chapter (median desktop
  page, October 2024 crawl: 2,652 KB in 71 requests; images 1,054 KB in 18 requests,
  JavaScript 613 KB in 24, fonts 131 KB, CSS 78 KB, HTML 18 KB, all transfer sizes). Here:
  18 images (8 site-wide logos and icons, 10 of the article's own, together 1,050 KB), 24
  script files (600 KB as sent, compressed text), 6 style sheets (78 KB), 4 fonts (130 KB),
  and the page itself, about 95 KB of HTML as stored (the Almanac's 18 KB is the median
  *compressed* transfer of all home pages; a news article is longer: navigation, an article of
  8–20 paragraphs, related links, inline ad and analytics scripts, JSON-LD).
* **A crawl is repeated** (a site captured daily): each day captures that day's new articles
  and re-captures the articles of the days before (each article seen on 4 days). The site's
  shared resources (scripts, styles, fonts, logos) are the same URLs on every page, so a
  crawl fetches them once; on later days their unchanged payload is written as a
  ``revisit`` record (the deduplication Heritrix and Browsertrix do), except one script
  bundle that changes every day. An article's images are revisits on its later captures.
* **The page changes between captures** as real pages do: inline scripts with per-request
  ids, a "most read" list and a timestamp change at every capture (so the HTML payload
  differs and must be read: most captures are unchanged *versions* of the article text all
  the same); before 30% of re-captures the article itself is edited; 15% of re-captures are
  byte-identical and written as revisits.
* **Beside the pages:** two ad or tracker responses per capture (a 43-byte GIF and a JSON
  answer, new every time), a ``301`` redirect for one capture in three (the URL with a
  tracking parameter), and 2% of resource requests answered ``404`` with a small HTML error
  page: assumptions of this script, not measured figures (the Almanac reports page weight,
  not status codes).

Everything is drawn from a seeded generator, so a given size always gives the same file.
"""

from __future__ import annotations

import base64
import hashlib
import io
import random
import uuid
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

WORDS = (  # noqa: SIM905 (a sentence of words reads better than 57 quoted ones)
    "council ferry islands service repairs million officials said Tuesday residents harbour "
    "minister inspection hull winter businesses timetable meeting town hall passengers boat "
    "budget report vote members agency spokesman statement analysts expected growth quarter "
    "police court judge trial witness evidence hospital patients doctors schools teachers "
    "county plan housing road bridge water election mayor union workers strike pay contract"
).split()
SITE = "https://news.example"
CAPTURES_PER_ARTICLE = 4
ARTICLES_PER_DAY = 40


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 28))]
    words[rng.randrange(len(words))] = f"{rng.randint(2, 900)}"
    return " ".join(words).capitalize() + "."


def _text_asset(rng: random.Random, size: int, kind: str) -> bytes:
    """Script or style text of about ``size`` bytes that compresses about as real code does."""
    names = [f"{kind}{rng.randrange(10**6):x}" for _ in range(400)]
    parts: list[str] = []
    total = 0
    while total < size:
        name, call = rng.choice(names), rng.choice(names)
        piece = f"function {name}(a,b){{return a.{call}(b,{rng.randrange(999)})}}\n"
        parts.append(piece)
        total += len(piece)
    return "".join(parts).encode()[:size]


class Article:
    def __init__(self, number: int, day: int, rng: random.Random) -> None:
        self.number = number
        self.url = f"{SITE}/{2024 + day // 365}/story-{number}"
        self.title = f"Story number {number} about the {rng.choice(WORDS)}"
        self.paragraphs = [sentence(rng) + " " + sentence(rng) for _ in range(rng.randint(8, 20))]
        self.images = [
            (f"{SITE}/img/{number}/{i}.jpg", rng.randint(40_000, 150_000)) for i in range(10)
        ]
        self.seen = 0
        self.image_dates: dict[str, tuple[str, str]] = {}  # uri -> payload digest, record date
        self.last: str | None = None  # the payload digest of the last page captured
        self.last_date: str | None = None

    def page(self, rng: random.Random, when: datetime) -> bytes:
        nav = "".join(
            f'<li class="menu-item"><a href="/section/{n}">Section {n}</a></li>' for n in range(150)
        )
        related = "".join(
            f'<li><a href="/2024/story-{rng.randrange(1, self.number + 50)}">'
            f"{sentence(rng)[:60]}</a></li>"
            for _ in range(12)
        )
        ads = "var ads=" + ",".join(str(rng.randrange(10**6)) for _ in range(3000)) + ";"
        tracking = "".join(f"window.t{i}='{rng.randrange(16**12):012x}';" for i in range(200))
        body = "".join(f"<p>{p}</p>\n" for p in self.paragraphs)
        # The page's state as script-rendered news sites embed it (teasers of other stories).
        state = (
            "window.__STATE__=["
            + ",".join(
                f'{{"id":{rng.randrange(10**6)},"teaser":"{sentence(rng)}"}}' for _ in range(250)
            )
            + "];"
        )
        images = "".join(
            f'<figure><img src="{src}" alt="Photo {i}"></figure>'
            for i, (src, _) in enumerate(self.images[:3])
        )
        ld = (
            '{"@context":"https://schema.org","@type":"NewsArticle","headline":"'
            f'{self.title}","author":{{"@type":"Person","name":"Staff Reporter"}}}}'
        )
        return (
            f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{self.title}'
            f'</title><link rel="canonical" href="{self.url}">'
            f'<meta property="og:title" content="{self.title}">'
            f'<script type="application/ld+json">{ld}</script>'
            f"<script>{ads}</script><script>{tracking}</script><script>{state}</script>"
            + "".join(f'<link rel="stylesheet" href="{SITE}/css/{i}.css">' for i in range(6))
            + "</head><body>"
            f"<header><nav><ul>{nav}</ul></nav></header><main><article><h1>{self.title}</h1>"
            f'<p class="byline">By Staff Reporter</p>'
            f'<p class="timestamp">Page generated {when.isoformat()}</p>{images}{body}'
            f"</article><aside><h2>Most read</h2><ul>{related}</ul></aside></main>"
            f"<footer>{'<p>Terms, privacy, contact, advertising.</p>' * 20}</footer>"
            + "".join(f'<script src="{SITE}/js/{i}.js"></script>' for i in range(24))
            + "</body></html>"
        ).encode()


def payload_digest(body: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode()


class Crawl:
    """Writes records, counting them by kind and their bytes (file and bodies)."""

    def __init__(self, handle: io.BufferedWriter, rng: random.Random) -> None:
        self.handle = handle
        self.writer = WARCWriter(handle, gzip=True)
        self.rng = rng
        self.when = datetime(2024, 1, 1, 6)
        self.records: Counter[str] = Counter()
        self.file_bytes: Counter[str] = Counter()
        self.body_bytes: Counter[str] = Counter()

    def _id(self) -> str:
        """A record id drawn from the seeded generator, so a given size is the same file."""
        return f"<urn:uuid:{uuid.UUID(int=self.rng.getrandbits(128), version=4)}>"

    def _tick(self) -> str:
        self.when += timedelta(seconds=self.rng.randint(1, 20))
        return self.when.isoformat() + "Z"

    def _count(self, kind: str, start: int, body: int) -> None:
        self.records[kind] += 1
        self.file_bytes[kind] += self.handle.tell() - start
        self.body_bytes[kind] += body

    def response(self, kind: str, uri: str, body: bytes, ctype: str, status: str = "200 OK") -> str:
        start = self.handle.tell()
        date = self._tick()
        extra = [("Location", uri.split("?")[0])] if status.startswith("301") else []
        headers = StatusAndHeaders(status, [("Content-Type", ctype), *extra], protocol="HTTP/1.1")
        record = self.writer.create_warc_record(
            uri,
            "response",
            payload=io.BytesIO(body),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": date, "WARC-Record-ID": self._id()},
        )
        self.writer.write_record(record)
        self._count(kind, start, len(body))
        return date

    def revisit(self, kind: str, uri: str, digest: str, original_date: str) -> None:
        start = self.handle.tell()
        record = self.writer.create_revisit_record(
            uri,
            digest=digest,
            refers_to_uri=uri,
            refers_to_date=original_date,
            warc_headers_dict={"WARC-Date": self._tick(), "WARC-Record-ID": self._id()},
        )
        self.writer.write_record(record)
        self._count(kind, start, 0)


def generate(path: Path, megabytes: float, seed: int = 7) -> dict[str, Counter[str]]:
    """A WARC of about ``megabytes`` MB (compressed); returns its records, file and body
    bytes by kind (``html``, ``html revisit``, ``image``, ``script``, ``style``, ``font``,
    ``resource revisit``, ``ad or tracker``, ``redirect``, ``error``)."""
    rng = random.Random(seed)
    site = Site(rng)
    articles: list[Article] = []
    number = day = 0
    with path.open("wb") as handle:
        crawl = Crawl(handle, rng)
        while handle.tell() < megabytes * 1e6:
            day += 1
            crawl.when = datetime(2024, 1, 1, 6) + timedelta(days=day)
            for _ in range(ARTICLES_PER_DAY // CAPTURES_PER_ARTICLE):
                number += 1
                articles.append(Article(number, day, rng))
            site.deploy(day)
            for article in [a for a in articles if a.seen < CAPTURES_PER_ARTICLE]:
                capture(crawl, article, site, day, rng)
                if handle.tell() >= megabytes * 1e6:
                    break
    return {"records": crawl.records, "file": crawl.file_bytes, "bodies": crawl.body_bytes}


class Site:
    """The resources every page of the site loads, and what the crawl already holds of them."""

    def __init__(self, rng: random.Random) -> None:
        self.bodies: dict[str, tuple[bytes, str, str]] = {}  # uri -> body, type, kind
        for i in range(24):
            body = _text_asset(rng, 75_000, "js")
            self.bodies[f"{SITE}/js/{i}.js"] = (body, "application/javascript", "script")
        for i in range(6):
            self.bodies[f"{SITE}/css/{i}.css"] = (
                _text_asset(rng, 40_000, "css"),
                "text/css",
                "style",
            )
        for i in range(4):
            self.bodies[f"{SITE}/fonts/{i}.woff2"] = (rng.randbytes(32_500), "font/woff2", "font")
        for i in range(8):
            self.bodies[f"{SITE}/img/site/{i}.png"] = (rng.randbytes(5_000), "image/png", "image")
        self.held: dict[str, tuple[str, str]] = {}  # uri -> payload digest, date of the record
        self.today: set[str] = set()  # captured in today's crawl

    def deploy(self, day: int) -> None:
        """A new day's crawl; one script bundle is deployed anew every day."""
        self.today.clear()
        body, ctype, kind = self.bodies[f"{SITE}/js/0.js"]
        self.bodies[f"{SITE}/js/0.js"] = (body[:-20] + f"/*{day:016d}*/".encode(), ctype, kind)


def capture(crawl: Crawl, article: Article, site: Site, day: int, rng: random.Random) -> None:
    """One capture of ``article``'s page with its resources, as a browser-based crawler writes."""
    if article.seen and rng.random() < 0.3:
        i = rng.randrange(len(article.paragraphs))
        article.paragraphs[i] = sentence(rng) + " " + sentence(rng)
    if rng.random() < 1 / 3:
        crawl.response("redirect", article.url + "?utm_source=feed", b"", "text/html", "301 Moved")
    if article.seen and article.last is not None and rng.random() < 0.15:
        assert article.last_date is not None
        crawl.revisit("html revisit", article.url, article.last, article.last_date)
    else:
        body = article.page(rng, crawl.when)
        article.last_date = crawl.response("html", article.url, body, "text/html; charset=utf-8")
        article.last = payload_digest(body)
    article.seen += 1
    for uri, (body, ctype, kind) in site.bodies.items():
        if uri in site.today:
            continue  # a crawl captures a URL once
        site.today.add(uri)
        if rng.random() < 0.02:
            error = b"<html><body><h1>Not found</h1></body></html>"
            crawl.response("error", uri, error, "text/html", "404 Not Found")
            continue
        digest = payload_digest(body)
        held = site.held.get(uri)
        if held is not None and held[0] == digest:
            crawl.revisit("resource revisit", uri, digest, held[1])
        else:
            site.held[uri] = (digest, crawl.response(kind, uri, body, ctype))
    for uri, size in article.images:
        if uri in article.image_dates:
            digest, date = article.image_dates[uri]
            crawl.revisit("resource revisit", uri, digest, date)
        else:
            body = rng.randbytes(size)
            date = crawl.response("image", uri, body, "image/jpeg")
            article.image_dates[uri] = (payload_digest(body), date)
    pixel = b"GIF89a" + rng.randbytes(37)
    crawl.response("ad or tracker", f"{SITE}/px?r={rng.randrange(10**9)}", pixel, "image/gif")
    bid = ('{"bid":[' + ",".join(str(rng.randrange(999)) for _ in range(400)) + "]}").encode()
    crawl.response(
        "ad or tracker",
        f"https://ads.example/bid?r={rng.randrange(10**9)}",
        bid,
        "application/json",
    )
