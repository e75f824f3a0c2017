"""`import --from warc`: captured HTML pages as revisions at their WARC-Date, read as ingest URL."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from revtrack import Revtrack
from revtrack.cli import cli
from revtrack.errors import SourceError

STORY = "https://news.example/2024/05/ferry-service"
BODY = [
    "The council said on Tuesday that ferry service to the two islands would resume in May.",
    "Repairs cost $4.2 million, officials said.",
    "The ferry, which carries about 300 passengers a day, was taken out of service in January "
    "after an inspection found corrosion in its hull.",
]


def page(paragraphs: list[str], title: str = "Ferry service to resume") -> bytes:
    nav = "".join(f'<li><a href="/section/{n}">Section {n}</a></li>' for n in range(12))
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>'
        f'<link rel="canonical" href="{STORY}"><meta name="author" content="Ana Reporter">'
        f"</head><body><nav><ul>{nav}</ul></nav><article><h1>{title}</h1>{body}</article>"
        "<footer><p>Copyright News Example. All rights reserved.</p></footer></body></html>"
    ).encode()


V1 = page(BODY)
V2 = page([BODY[0], BODY[1].replace("4.2", "4.8"), BODY[2]])
V3 = page(
    [
        BODY[0].replace("two islands", "three islands"),
        BODY[1].replace("4.2", "4.8"),
        BODY[2],
        "Correction: An earlier version of this story misstated the number of islands.",
    ]
)
OTHER = page(
    ["The library will open on Sundays from June, the council said.", "It costs $20,000."],
    title="Library opens on Sundays",
).replace(STORY.encode(), b"https://news.example/2024/05/library-sundays")


class Warc:
    """A WARC file written record by record, remembering where each one starts."""

    def __init__(self, path: Path, gzip: bool = True) -> None:
        self.path = path
        self.handle = path.open("wb")
        self.writer = WARCWriter(self.handle, gzip=gzip)
        self.offsets: list[int] = []
        self.ids: list[str] = []

    def response(
        self, uri: str, when: str, body: bytes, status: str = "200 OK", ctype: str = "text/html"
    ) -> None:
        headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        self._write(
            self.writer.create_warc_record(
                uri,
                "response",
                payload=io.BytesIO(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": when},
            )
        )

    def revisit(self, uri: str, when: str, of: bytes, of_date: str) -> None:
        import base64
        import hashlib

        digest = "sha1:" + base64.b32encode(hashlib.sha1(of).digest()).decode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        self._write(
            self.writer.create_revisit_record(
                uri,
                digest,
                uri,
                of_date,
                http_headers=headers,
                warc_headers_dict={"WARC-Date": when},
            )
        )

    def request(self, uri: str, when: str) -> None:
        headers = StatusAndHeaders(
            "GET / HTTP/1.1", [("Host", "news.example")], is_http_request=True
        )
        self._write(
            self.writer.create_warc_record(
                uri,
                "request",
                payload=io.BytesIO(b""),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": when},
            )
        )

    def _write(self, record: object) -> None:
        self.offsets.append(self.handle.tell())
        self.ids.append(record.rec_headers.get_header("WARC-Record-ID"))  # type: ignore[attr-defined]
        self.writer.write_record(record)
        record.raw_stream.close()  # type: ignore[attr-defined]  # warcio spools the payload

    def close(self) -> Path:
        self.handle.close()
        return self.path


def crawl(path: Path, gzip: bool = True) -> Warc:
    warc = Warc(path, gzip)
    warc.request(STORY, "2024-05-01T09:00:00Z")
    warc.response(STORY + "?utm_source=feed", "2024-05-01T09:00:01Z", V1)
    warc.response(
        "https://news.example/logo.png", "2024-05-01T09:00:02Z", b"\x89PNG..", ctype="image/png"
    )
    warc.response(
        "https://news.example/gone",
        "2024-05-01T09:00:03Z",
        b"<html>Not found</html>",
        "404 Not Found",
    )
    warc.response("https://news.example/old", "2024-05-01T09:00:04Z", b"", "301 Moved Permanently")
    warc.response(STORY, "2024-05-02T08:15:00Z", V2)
    warc.revisit(STORY, "2024-05-02T12:00:00Z", of=V2, of_date="2024-05-02T08:15:00Z")
    warc.response(STORY, "2024-05-03T07:00:00Z", V2)  # the same payload again
    warc.response(STORY, "2024-05-03T16:45:00Z", V3)
    warc.response("https://news.example/2024/05/library-sundays", "2024-05-03T17:00:00Z", OTHER)
    warc.close()
    return warc


EXPECTED_COUNTS = {
    "duplicate payloads": 1,
    "error responses": 1,
    "non-HTML responses": 1,
    "redirects": 1,
    "request records": 1,
    "revisits": 1,
    "unchanged versions": 2,
}


def test_every_html_response_is_a_revision_of_its_canonical_url(
    rt: Revtrack, tmp_path: Path
) -> None:
    warc = crawl(tmp_path / "crawl.warc.gz")
    summary = rt.import_archive("warc", [str(warc.path)])
    assert (summary["documents"], summary["revisions"], summary["corrections"]) == (2, 4, 1)
    assert summary["counts"] == EXPECTED_COUNTS
    assert summary["problems"] == []
    log = rt.log("ferry-service")
    assert log.article.url == STORY
    assert [r.captured_at for r in log.revisions] == [
        datetime(2024, 5, 1, 9, 0, 1),
        datetime(2024, 5, 2, 8, 15),
        datetime(2024, 5, 3, 16, 45),
    ]
    first = log.revisions[0]
    assert first.source == f"warc:crawl.warc.gz:{warc.offsets[1]}"
    assert first.source_kind == "warc"
    assert first.meta["source_id"] == warc.ids[1]
    assert first.meta["target_uri"] == STORY + "?utm_source=feed"
    assert first.title == "Ferry service to resume"
    assert first.byline == "Ana Reporter"
    text = rt.show("ferry-service@v1")[1]
    assert "Section 3" not in text and "$4.2 million" in text  # the extractor's text
    [note] = rt.corrections("ferry-service")
    assert note.record.disclosed_revision == 3
    [audit] = list(rt.audit("ferry-service"))
    assert [f.revision for f in audit.findings] == [2]
    assert rt.verify().ok


def test_a_rerun_or_a_second_file_imports_nothing_twice(rt: Revtrack, tmp_path: Path) -> None:
    warc = crawl(tmp_path / "crawl.warc.gz")
    rt.import_archive("warc", [str(warc.path)])
    again = rt.import_archive("warc", [str(warc.path)])
    assert (again["documents"], again["revisions"], again["skipped"]) == (0, 0, 2)
    later = Warc(tmp_path / "later.warc")  # uncompressed, a later crawl
    later.response(STORY, "2024-05-05T10:00:00Z", V3.replace(b"300 passengers", b"350 passengers"))
    later.close()
    both = rt.import_archive("warc", [str(warc.path), str(later.path)])
    assert both["revisions"] == 1
    assert both["counts"]["already imported"] == 6
    assert len(rt.log("ferry-service").revisions) == 4


def test_an_older_capture_than_the_history_is_named_not_imported(
    rt: Revtrack, tmp_path: Path
) -> None:
    warc = crawl(tmp_path / "crawl.warc.gz")
    rt.import_archive("warc", [str(warc.path)])
    early = Warc(tmp_path / "early.warc.gz")
    early.response(STORY, "2024-04-30T10:00:00Z", V1.replace(b"May", b"June"))
    early.close()
    summary = rt.import_archive("warc", [str(early.path)])
    assert summary["revisions"] == 0
    assert summary["problems"] == [
        f"warc:early.warc.gz:{early.offsets[0]}: captured 2024-04-30T10:00:00, before "
        "ferry-service's latest revision (2024-05-03T16:45:00); history is kept in capture "
        "order, so it was not imported."
    ]


@pytest.mark.parametrize("gzip", [True, False], ids=["gzip", "plain"])
def test_a_damaged_record_is_named_and_the_rest_imported(
    runner: CliRunner, rt: Revtrack, tmp_path: Path, gzip: bool
) -> None:
    name = "crawl.warc.gz" if gzip else "crawl.warc"
    warc = crawl(tmp_path / name, gzip=gzip)
    data = bytearray(warc.path.read_bytes())
    damaged = warc.offsets[5]  # the response with V2
    if gzip:  # inside the compressed member
        data[damaged + 40 : damaged + 80] = b"\x00garbage!" * 4 + b"\x00\x00\x00\x00"
    else:  # its version line
        data[damaged : damaged + 8] = b"XARC/9.9"
    warc.path.write_bytes(bytes(data))
    result = runner.invoke(cli, ["import", "--from", "warc", str(warc.path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "Imported 2 article(s), 4 revision(s), 1 note(s) found; 0 already imported."
    [failed] = [line for line in lines if line.startswith("failed: ")]
    assert failed.startswith(f"failed: {name}: the record at offset {damaged} is damaged (")
    assert failed.endswith("); reading went on at the next intact record.")
    assert (
        lines[-1] == "Error: 1 record(s) could not be imported; the rest was. Each is named above."
    )
    # V2's own record is gone; the revisit finds its payload in the later duplicate.
    assert [r.captured_at for r in rt.log("ferry-service").revisions] == [
        datetime(2024, 5, 1, 9, 0, 1),
        datetime(2024, 5, 2, 12, 0),
        datetime(2024, 5, 3, 16, 45),
    ]


def test_import_from_warc_on_the_command_line(
    runner: CliRunner, tmp_path: Path, db_url: str
) -> None:
    warc = crawl(tmp_path / "crawl.warc.gz")
    result = runner.invoke(cli, ["import", "--from", "warc", str(warc.path)])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Imported 2 article(s), 4 revision(s), 1 note(s) found; 0 already imported.\n"
        "Left out: 1 duplicate payloads, 1 error responses, 1 non-HTML responses, 1 redirects, "
        "1 request records, 1 revisits, 2 unchanged versions.\n"
    )


def test_a_missing_warc_file(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["import", "--from", "warc", str(tmp_path / "nope.warc.gz")])
    assert result.exit_code == 1
    assert (
        result.output == f"Error: No such WARC file: {tmp_path / 'nope.warc.gz'}. Check the path.\n"
    )


def test_a_folder_of_warc_files(rt: Revtrack, tmp_path: Path) -> None:
    folder = tmp_path / "crawl"
    folder.mkdir()
    crawl(folder / "part-1.warc.gz")
    (folder / "notes.txt").write_text("not a WARC\n")
    summary = rt.import_archive("warc", [str(folder)])
    assert summary["revisions"] == 4
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(SourceError, match="No WARC files in"):
        rt.import_archive("warc", [str(empty)])


def test_keys_stay_put_when_a_later_import_brings_a_page_of_the_same_name(
    rt: Revtrack, tmp_path: Path
) -> None:
    rt.import_archive("warc", [str(crawl(tmp_path / "crawl.warc.gz").path)])
    later = Warc(tmp_path / "later.warc.gz")
    later.response(STORY, "2024-05-05T10:00:00Z", V3.replace(b"300 passengers", b"350 passengers"))
    elsewhere = "https://other.example/ferry-service"
    later.response(
        elsewhere,
        "2024-05-05T11:00:00Z",
        OTHER.replace(b"news.example/2024/05/library-sundays", elsewhere.encode()[8:]),
    )
    later.close()
    rt.import_archive("warc", [str(later.path)])
    assert len(rt.log("ferry-service").revisions) == 4  # the same page, the same article
    assert rt.log("other-example-ferry-service").article.url == elsewhere


def _scanned(files: list[str], fast: bool) -> tuple[object, ...]:
    from revtrack.service.importers.base import ScanReport
    from revtrack.service.importers.warc import WarcArchive

    report = ScanReport()
    units = WarcArchive(tuple(files), fast=fast).scan(report)
    return units, dict(report.counts), report.problems


@pytest.mark.parametrize(
    "damage", ["none", "inside", "garbage between", "truncated", "plain", "plain version"]
)
def test_the_fast_scan_finds_what_the_warcio_scan_finds(tmp_path: Path, damage: str) -> None:
    pytest.importorskip("fastwarc")
    warc = crawl(tmp_path / "crawl.warc.gz", gzip=not damage.startswith("plain"))
    # A revisit without HTTP headers (as crawlers deduplicating images write) and a record
    # whose URI a crawler wrote in angle brackets.
    with warc.path.open("ab") as handle:
        writer = WARCWriter(handle, gzip=not damage.startswith("plain"))
        writer.write_record(
            writer.create_revisit_record(
                STORY,
                "sha1:AAAA",
                STORY,
                "2024-05-01T09:00:01Z",
                warc_headers_dict={"WARC-Date": "2024-05-04T00:00:00Z"},
            )
        )
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            "https://news.example/2024/05/library-sundays",
            "response",
            payload=io.BytesIO(OTHER.replace(b"Sundays from June", b"Sundays from July")),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": "2024-05-04T01:00:00Z"},
        )
        record.rec_headers.replace_header(
            "WARC-Target-URI", "<https://news.example/2024/05/library-sundays>"
        )
        writer.write_record(record)
        record.raw_stream.close()  # type: ignore[attr-defined]  # warcio spools the payload
        # A page sent gzip-encoded, without a payload digest: warcio decodes it to read it.
        import gzip as gz

        encoded = StatusAndHeaders(
            "200 OK",
            [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
            protocol="HTTP/1.1",
        )
        record = writer.create_warc_record(
            "https://news.example/2024/05/library-sundays?x=1",
            "response",
            payload=io.BytesIO(gz.compress(OTHER.replace(b"$20,000", b"$25,000"))),
            http_headers=encoded,
            warc_headers_dict={"WARC-Date": "2024-05-04T02:00:00Z"},
        )
        record.rec_headers.remove_header("WARC-Payload-Digest")
        writer.write_record(record)
        record.raw_stream.close()  # type: ignore[attr-defined]
        # Then a last record (which the fast scan leaves to warcio) of no interest.
        note = writer.create_warc_record(
            STORY,
            "metadata",
            payload=io.BytesIO(b"crawl notes"),
            warc_content_type="text/plain",
            warc_headers_dict={"WARC-Date": "2024-05-05T00:00:00Z"},
        )
        writer.write_record(note)
        note.raw_stream.close()  # type: ignore[attr-defined]
    data = bytearray(warc.path.read_bytes())
    at = warc.offsets[5]
    if damage == "inside":
        data[at + 40 : at + 80] = b"\x00garbage!" * 4 + b"\x00\x00\x00\x00"
    elif damage == "garbage between":
        data[at:at] = b"junk\r\n"
    elif damage == "truncated":
        data = data[: len(data) - 30]
    elif damage == "plain version":
        data[at : at + 8] = b"XARC/9.9"
    warc.path.write_bytes(bytes(data))
    fast = _scanned([str(warc.path)], fast=True)
    assert fast == _scanned([str(warc.path)], fast=False)
    units = fast[0]
    assert isinstance(units, dict) and units  # pages were found
    # The gzip-encoded page was decoded, so its canonical link was found.
    assert "https://news.example/2024/05/library-sundays?x=1" in {
        r.uri for unit in units.values() for r in unit.records
    }


def test_revisits_kept_on_disk_come_back_as_they_were_in_order() -> None:
    """The scan's revisits live in a temporary SQLite file: each comes back field for field,
    in the order added, and a file read again from its start takes back what it added."""
    from revtrack.service.importers.warc import Record, Revisits

    def record(n: int) -> Record:
        return Record(
            "/crawl/a.warc.gz",
            n * 1000,
            datetime(2024, 3, 1, 12, 0, n % 60, n * 7),
            f"<urn:uuid:{n}>",
            f"https://example.org/{n}.png",
            f"sha1:{n:032d}" if n % 3 else None,
            "image/png",
        )

    spill = Revisits()
    try:
        for n in range(1500):  # past one batch
            spill.append(record(n))
        mark = spill.mark()
        for n in range(1500, 1700):
            spill.append(record(n))
        spill.drop_from(mark)
        spill.append(record(9999))
        assert list(spill) == [record(n) for n in range(1500)] + [record(9999)]
    finally:
        spill.close()
