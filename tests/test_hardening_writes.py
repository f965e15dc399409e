"""Outputs that cannot be written: a read-only or forbidden folder, a folder where a file should go, a full disk.

Each gives a message naming the file and the reason, a documented exit code (2: the command names a place
that cannot take the output, found before any work; 4: the system failed the write itself) and no file at
all: neither the outputs nor their temporary files. Nothing is mocked: the tests run the CLI in a child
process that really cannot write (it drops root's privileges, or runs under a file-size limit, which the
kernel enforces like a full disk).
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROFILE = str(ROOT / "examples" / "cv-screening.yaml")
AS_OF = ("--as-of", "2026-12-01")
NOBODY = 65534

# Runs the CLI as an unprivileged user. Root ignores file permissions, so a root child drops to `nobody`; the
# interpreter lives under /root, which nobody cannot read, so everything the failing path needs is imported
# (by a first, harmless run) before the privileges go.
AS_NOBODY = f"""
import os, sys
from regatlas.cli import main
import regatlas.outputs, regatlas.report.html

ARGS = sys.argv[1:]

def run(argv):
    sys.argv = ["regatlas", *argv]
    try:
        main()
    except SystemExit as exc:
        return exc.code
    return 0

run(["report", {PROFILE!r}, "--html", "/nonexistent/r.html", "--pictures", "/nonexistent/p"])
sys.stderr.write("--- run ---\\n")
if os.geteuid() == 0:
    os.setgroups([])
    os.setgid({NOBODY})
    os.setuid({NOBODY})
sys.exit(run(ARGS))
"""


def as_nobody(*args: str) -> tuple[int, str]:
    result = subprocess.run(
        [sys.executable, "-c", AS_NOBODY, *args], capture_output=True, text=True, timeout=300, cwd="/"
    )
    stderr = result.stderr.split("--- run ---\n", 1)[-1]
    return result.returncode, " ".join(stderr.split())  # rich wraps long lines


def with_file_limit(limit: int, *args: str) -> tuple[int, str]:
    """The CLI with files capped at `limit` bytes: a write past it fails with EFBIG, as on a full disk."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = subprocess.run(
        [sys.executable, "-m", "regatlas", *args], capture_output=True, text=True, timeout=300, preexec_fn=cap
    )
    return result.returncode, " ".join(result.stderr.split())


@pytest.fixture
def place() -> Iterator[Path]:
    """A folder `nobody` can reach (pytest's own tmp folder is private to root), with a read-only `ro`
    and a writable `out` inside."""
    base = Path(tempfile.mkdtemp(prefix="regatlas-writes-"))
    base.chmod(0o755)
    (base / "ro").mkdir(mode=0o555)
    (base / "ro").chmod(0o555)
    (base / "out").mkdir()
    (base / "out").chmod(0o777)
    yield base
    shutil.rmtree(base)


def everything_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--html", "{ro}/r.html"], "--html: cannot write in folder {ro}: permission denied"),
        (["--html", "{out}/r.html", "--pictures", "{ro}"], "--pictures: cannot write in folder {ro}: permission"),
        (["--html", "{out}/r.html", "--pictures", "{ro}/new"], "--pictures: cannot write in folder {ro}: permission"),
        (["--html", "{out}/r.html", "--pdf", "{ro}/r.pdf"], "--pdf: cannot write in folder {ro}: permission denied"),
    ],
    ids=["html", "pictures", "new pictures folder", "pdf"],
)
def test_a_folder_without_write_permission_is_exit_2_before_any_work(place, options, message):
    folders = {"ro": place / "ro", "out": place / "out"}
    code, stderr = as_nobody("report", PROFILE, *[o.format(**folders) for o in options], *AS_OF)
    assert code == 2, stderr  # --pictures {ro}/new was a PermissionError traceback (exit 1)
    assert message.format(**folders) in stderr and "Traceback" not in stderr
    assert everything_in(place) == ["out", "ro"]


def test_html_pointing_to_a_folder_is_exit_2(place):
    code, stderr = as_nobody("report", PROFILE, "--html", str(place / "out"), *AS_OF)
    assert code == 2 and f"{place / 'out'} exists and is not a regular file" in stderr


def test_a_full_disk_is_exit_4_naming_the_file_and_leaves_no_temporary_file(place):
    target = place / "out" / "r.html"
    code, stderr = with_file_limit(64_000, "report", PROFILE, "--html", str(target), *AS_OF)
    assert code == 4, stderr  # was an OSError traceback, exit 1
    assert f"--html: could not write {target}: File too large (EFBIG); no output was written" in stderr
    assert "Traceback" not in stderr and everything_in(place / "out") == []


def test_pictures_are_written_with_the_report_or_not_at_all(place):
    """The largest picture (~370 kB) fits under the limit, the report (~470 kB) does not: no picture is kept."""
    out, pictures = place / "out", place / "out" / "pictures"
    code, stderr = with_file_limit(
        420_000, "report", PROFILE, "--html", str(out / "r.html"), "--pictures", str(pictures), *AS_OF
    )
    assert code == 4, stderr
    assert everything_in(out) == ["pictures"]  # the folder is made before the work; it stays empty
    code, stderr = with_file_limit(
        2_000_000, "report", PROFILE, "--html", str(out / "r.html"), "--pictures", str(pictures), *AS_OF
    )
    assert code == 0, stderr
    assert {p.suffix for p in pictures.iterdir()} == {".png", ".svg"} and (out / "r.html").exists()
