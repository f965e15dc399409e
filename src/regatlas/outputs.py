"""Writing output files safely: all of a command's outputs or none, never through a planted link.

Each file is written to a fresh temporary file created exclusively (O_EXCL, never following a link) in the
target's own folder, flushed to disk, then renamed over the target. A target that exists and is not a regular
file (a device, a folder, a link) is refused. Folders are checked before any work starts, so a typo in a path
costs nothing.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import Problem, RegatlasError


def check_target(path: Path, option: str) -> None:
    """Fail early, before any work, when a file cannot be written at this path."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise RegatlasError(Problem(f"folder does not exist: {folder}", path=option))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise RegatlasError(Problem(f"folder is not writable: {folder}", path=option))
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        raise RegatlasError(Problem(f"{path} exists and is not a regular file; refusing to replace it", path=option))


def check_folder(folder: Path, option: str, create: bool = True) -> None:
    """An output folder: created when missing (its parent must exist), refused when it is not a folder."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise RegatlasError(Problem(f"{folder} exists and is not a folder", path=option))
    if not folder.exists():
        if not create or not folder.parent.is_dir():
            raise RegatlasError(Problem(f"folder does not exist: {folder.parent}", path=option))
        folder.mkdir()
    if not os.access(folder, os.W_OK | os.X_OK):
        raise RegatlasError(Problem(f"folder is not writable: {folder}", path=option))


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _temporary(path: Path) -> tuple[int, Path]:
    descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    return descriptor, Path(name)


def prepare(path: Path, writer: Callable[[Path], None], option: str) -> Path:
    """Write a complete temporary file beside the target with `writer(temporary_path)`; return its path."""
    check_target(path, option)
    descriptor, temporary = _temporary(path)
    os.fchmod(descriptor, 0o666 & ~_umask())  # mkstemp makes 0600; an output gets the user's usual mode
    os.close(descriptor)
    try:
        writer(temporary)
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def commit(pending: list[tuple[Path, Path, str]]) -> None:
    """Rename every prepared file over its target (after checking each target again), or remove them all."""
    try:
        for _, target, option in pending:
            check_target(target, option)
        for temporary, target, _ in pending:
            os.replace(temporary, target)
    finally:
        for temporary, _, _ in pending:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()


def write_files(outputs: list[tuple[Path, Callable[[Path], None], str]]) -> None:
    """Write several files as one: every writer runs first; only if all succeed are the files put in place."""
    pending: list[tuple[Path, Path, str]] = []
    try:
        for target, writer, option in outputs:
            pending.append((prepare(target, writer, option), target, option))
    except BaseException:
        for temporary, _, _ in pending:
            temporary.unlink(missing_ok=True)
        raise
    commit(pending)


def text_writer(text: str) -> Callable[[Path], None]:
    return lambda temporary: temporary.write_text(text, encoding="utf-8")
