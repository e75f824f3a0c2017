"""Safe to expose: no 500 for anything a visitor can type, no versions, no local paths, no
accidental binding beyond loopback."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from click.testing import CliRunner
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE
from revtrack import Revtrack
from revtrack.cli import cli
from revtrack.errors import InvalidInput
from revtrack.web import create_app
from revtrack.web.server import check_host, serve


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    scratch = tmp_path_factory.mktemp("safety")
    rt = Revtrack(str(scratch / "s.db"), create=True)
    for n in (1, 2, 3):
        path = scratch / "home" / "editor" / "secret-folder" / f"ferry-v{n}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text((EXAMPLE / f"v{n}.txt").read_text(encoding="utf-8"), encoding="utf-8")
        list(rt.ingest([str(path)], article="ferry"))
    application = create_app(rt)
    application.config["TRUSTED_HOSTS"] = ["127.0.0.1", "localhost"]
    yield application
    rt.close()


def test_a_wrong_host_is_a_400(app: Flask) -> None:
    client = app.test_client()
    for url in ("/", "/a/ferry", "/api/articles", "/nope"):
        response = client.get(url, headers={"Host": "evil.example"})
        assert response.status_code == 400, url
        assert "127.0.0.1 and localhost only" in response.text
    assert client.get("/", headers={"Host": "localhost"}).status_code == 200


def test_the_revision_page_shows_a_file_name_only(app: Flask) -> None:
    page = app.test_client().get("/a/ferry/-/rev/v2", headers={"Host": "localhost"}).text
    assert "ferry-v2.txt" in page
    assert "secret-folder" not in page and "/home/" not in page


REFS = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"(v|latest~|first~|@)?[0-9]{1,40}", fullmatch=True),
    st.from_regex(r"@?[0-9]{1,6}-[0-9]{1,3}-[0-9]{1,3}(T[0-9]{1,3}:[0-9]{1,3})?", fullmatch=True),
    st.sampled_from(["v0", "-1", "latest~-1", "..", "v1..", "..v2", "v1..v2..v3", "%", "~"]),
)
PATTERNS = [
    "/a/ferry/-/rev/{}",
    "/a/ferry/-/diff/{}",
    "/a/ferry/-/diff/v1..{}",
    "/a/ferry/-/blame/{}",
    "/a/ferry/-/blame?rev={}",
    "/a/ferry/-/diff?a={}&b=v2",
    "/a/{}",
    "/a/{}/-/audit",
    "/a/ferry/-/{}",
    "/api/articles/ferry/-/revisions/{}",
    "/api/articles/ferry/-/diff?a={}",
    "/api/articles/ferry/-/diff?by={}",
    "/api/articles?offset={}",
    "/?page={}",
    "/?after={}",
    "/?before={}&q=fer",
    "/api/articles?after={}&q=a",
    "/api/articles?before={}&outlet=corpus",
    "/{}",
    "/?q={}",
    "/?outlet={}&q=a",
    "/api/articles?q={}&limit=3",
    "/api/articles?outlet={}",
    "/api/articles?limit={}",
    "/api/articles/{}",
    "/api/articles/{}/-/revisions",
    "/api/articles/ferry/-/revisions/{}",
    "/api/articles/ferry/-/blame?rev={}",
    "/api/articles/{}/-/corrections",
    "/api/articles/{}/-/audit",
    "/api/{}",
    "/a/ferry/-/feed/{}",
    "/a/{}/-/feed/revisions",
    "/a/{}/-/feed/undisclosed",
    "/o/{}/-/feed/revisions",
    "/o/{}/-/feed/corrections",
    "/o/{}/-/feed/undisclosed",
    "/o/ferry/-/feed/{}",
]


@settings(
    max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pattern=st.sampled_from(PATTERNS), value=REFS)
def test_no_url_a_visitor_can_type_is_a_500(app: Flask, pattern: str, value: str) -> None:
    url = pattern.format(quote(value, safe=""))
    response = app.test_client().get(url, headers={"Host": "localhost"})
    assert 200 <= response.status_code < 500 and response.status_code != 500, (url, response.text)


@pytest.mark.parametrize(
    "url", ["/a/ferry/-/rev/v99999999999999999999999", "/a/ferry/-/diff/first~99999999999999"]
)
def test_an_absurd_revision_number_is_a_400(app: Flask, url: str) -> None:
    response = app.test_client().get(url, headers={"Host": "localhost"})
    assert response.status_code == 400
    assert "is not a revision reference" in response.text


def test_the_server_header_names_no_versions(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    Revtrack(str(db), create=True).close()
    urls: list[str] = []
    ready = threading.Event()

    def told(message: str) -> None:
        urls.append(message.rsplit(" ", 1)[-1])
        ready.set()

    thread = threading.Thread(
        target=serve, args=(str(db), "127.0.0.1", 0), daemon=True, kwargs={"ready": told}
    )
    thread.start()
    assert ready.wait(20)
    response = httpx.get(urls[0], timeout=10)
    assert response.headers["Server"] == "revtrack"
    assert "Werkzeug" not in str(response.headers) and "Python" not in str(response.headers)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.5", "::", "example.org"])
def test_binding_beyond_loopback_needs_public(host: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_host(host)
    assert caught.value.message.startswith(f"Refusing to serve on {host}")
    assert "Pass --public" in caught.value.hint
    check_host(host, public=True)
    check_host("127.0.0.1")


def test_serve_refuses_0000_before_binding(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    Revtrack(str(db), create=True).close()
    result = runner.invoke(cli, ["--db", str(db), "serve", "--host", "0.0.0.0", "--port", "0"])
    assert result.exit_code != 0
    assert "Refusing to serve on 0.0.0.0" in result.output
    assert "--public" in result.output


def test_serve_beyond_loopback_needs_public() -> None:
    from click.testing import CliRunner

    from revtrack.cli import cli

    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--port", "0"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: Refusing to serve on 0.0.0.0")
    assert "Pass --public" in result.output


@pytest.mark.parametrize("server", ["werkzeug", "waitress"])
def test_serve_on_a_port_another_program_holds_says_so_in_one_line(
    runner: CliRunner, tmp_path: Path, server: str
) -> None:
    db = tmp_path / "p.db"
    Revtrack(str(db), create=True).close()
    with socket.create_server(("127.0.0.1", 0)) as held:
        port = held.getsockname()[1]
        args = ["--db", str(db), "serve", "--port", str(port), "--server", server]
        result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: Cannot listen on 127.0.0.1:{port}: Address already in use. Give another "
        "--port (0 picks a free one), or stop the program that holds it.\n"
    )


def test_serve_on_an_address_this_machine_lacks_names_the_host(
    runner: CliRunner, tmp_path: Path
) -> None:
    db = tmp_path / "p.db"
    Revtrack(str(db), create=True).close()
    args = ["--db", str(db), "serve", "--host", "192.0.2.7", "--public", "--token", "t"]
    result = runner.invoke(cli, args)  # 192.0.2.0/24 is TEST-NET-1: no machine has it
    assert result.exit_code == 1
    assert result.output.startswith("Error: Cannot listen on 192.0.2.7:8765: ")
    assert result.output.rstrip().endswith(
        "Give --host one of this machine's addresses (127.0.0.1 by default)."
    )
    assert result.output.count("\n") == 1


def test_serve_refuses_a_port_past_65535(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["serve", "--port", "99999"])
    assert result.exit_code == 2 and "99999 is not in the range 0<=x<=65535" in result.output
