"""The HTML diff page in a real browser: headless Chromium must render it to a screenshot.

Skips (with the reason) only when Chromium is not installed and this is not CI; it needs no
network, since the page has no external assets.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from revtrack.diff import diff_texts
from revtrack.render import DiffHeader, RevisionInfo, render_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "ferry"

A = "Council votes on ferry.\n\nThe route serves two islands. It costs $4.2 million.\n"
B = (
    "Council votes on ferry.\n\nThe route serves three islands. It costs $4.2 million.\n\n"
    "Correction: An earlier version of this story misstated the number of islands.\n"
)

pytestmark = [
    pytest.mark.browser,
    # Outside CI a missing browser skips with the reason; in CI (CI=true) the test must run.
    pytest.mark.skipif(
        CHROMIUM is None and os.environ.get("CI") != "true",
        reason="chromium is not installed (apt-get install chromium)",
    ),
]


def _texts() -> tuple[str, str]:
    if (EXAMPLES / "v3.txt").exists():
        return (
            (EXAMPLES / "v2.txt").read_text(encoding="utf-8"),
            (EXAMPLES / "v3.txt").read_text(encoding="utf-8"),
        )
    return A, B


def test_html_page_renders_in_headless_chromium(tmp_path: Path) -> None:
    assert CHROMIUM is not None
    a, b = _texts()
    header = DiffHeader(
        "ferry",
        RevisionInfo("v2", 2, "2026-03-01T12:00:00Z", "Harbor Council Approves New Ferry Route"),
        RevisionInfo("v3", 3, "2026-03-02T09:30:00Z", "Harbor Council Approves New Ferry Route"),
    )
    page = tmp_path / "diff.html"
    page.write_text(render_html(diff_texts(a, b), header), encoding="utf-8")
    shot = tmp_path / "diff.png"
    profile = tmp_path / "profile"
    profile.mkdir()
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            f"--screenshot={shot}",
            "--window-size=1200,1600",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 10_000  # a blank page compresses to a few hundred bytes
