"""The wheel works with no checkout, and the installed console script runs for real."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "ferry"


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REVTRACK_")}
    env.pop("PYTHONPATH", None)
    env.update(extra)
    return env


@pytest.mark.slow
def test_wheel_installs_and_runs_outside_the_checkout(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(ROOT),
        ],
        check=True,
        cwd=tmp_path,
    )
    [wheel] = dist.glob("revtrack-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in (
        "revtrack/migrations/versions/0001_initial_schema.py",
        "revtrack/web/templates/base.html",
        "revtrack/web/static/style.css",
        "revtrack/service/watch/service.py",
    ):
        assert shipped in names, f"{shipped} is missing from the wheel"
    target = tmp_path / "venv"
    venv.create(target, with_pip=False)
    site = next(target.glob("lib/python*/site-packages"))
    # The wheel goes into the new environment; its dependencies come from this one's
    # site-packages (added as a plain path, so this environment's editable install of
    # revtrack is not seen there).
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "-q",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
    )
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    python = target / "bin" / "python"
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = _clean_env()
    where = subprocess.run(
        [str(python), "-c", "import revtrack, revtrack.migrations as m; print(m.__file__)"],
        check=True,
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    ).stdout
    assert str(site) in where
    cli = [str(python), "-m", "revtrack", "--db", str(work / "news.db")]
    subprocess.run([*cli, "init"], check=True, cwd=work, env=env, capture_output=True)
    subprocess.run(
        [*cli, "ingest", str(EXAMPLE / "v1.txt"), "-a", "ferry"],
        check=True,
        cwd=work,
        env=env,
        capture_output=True,
    )
    shown = subprocess.run(
        [*cli, "show", "ferry@v1"], check=True, cwd=work, env=env, capture_output=True
    )
    assert shown.stdout == (EXAMPLE / "v1.txt").read_bytes()


def test_installed_console_script_in_a_real_subprocess(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "revtrack"
    assert script.exists(), "the revtrack console script is not installed beside python"
    env = _clean_env(REVTRACK_DATABASE_URL=str(tmp_path / "sub.db"))
    ok = subprocess.run(
        [str(script), "ingest", str(EXAMPLE / "v1.txt"), str(EXAMPLE / "v2.txt")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines()[1].startswith("ferry  v2  +")
    bad = subprocess.run(
        [str(script), "show", "ferry@v9"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert bad.returncode == 1
    assert bad.stdout == ""
    assert bad.stderr == (
        "Error: No revision 'v9': ferry has 2 revisions, v1–v2. Run `revtrack log ferry` to "
        "see them.\n"
    )
