"""Writing output files safely: all of a command's outputs or none, never through a planted link.

Each file is written to a fresh temporary file created exclusively (O_EXCL, never following a link) in the
target's own folder, flushed to disk, then renamed over the target. A target that exists and is not a regular
file (a device, a folder, a link) is refused. Folders are checked before any work starts, so a typo in a path
costs nothing.

Two exit codes (docs/commands.md, "Limits and exit codes"): a path the command cannot use, found before any
work (a missing or read-only folder, a folder or device where a file should go), is a mistake in the command:
exit 2. The operating system failing the write itself (disk full, a file-size limit, an I/O error, the folder
changed under us) is exit 4; the temporary files are removed and no target is touched.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import Problem, RegatlasError

EXIT_WRITE_FAILED = 4


class OutputError(RegatlasError):
    """The operating system refused to write an output (disk full, I/O error): exit 4, nothing written."""

    exit_code = EXIT_WRITE_FAILED


def _write_failed(target: Path, option: str, exc: OSError) -> OutputError:
    name = errno.errorcode.get(exc.errno or 0)
    reason = (exc.strerror or str(exc)) + (f" ({name})" if name else "")
    return OutputError(Problem(f"could not write {target}: {reason}; no output was written", path=option))


def _not_writable(folder: Path, option: str) -> RegatlasError:
    try:
        read_only = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        read_only = False
    reason = "read-only file system" if read_only else "permission denied"
    return RegatlasError(Problem(f"cannot write in folder {folder}: {reason}", path=option))


def check_target(path: Path, option: str) -> None:
    """Fail early, before any work, when a file cannot be written at this path."""
    try:
        mode: int | None = os.lstat(path).st_mode
    except OSError:  # missing (the usual case), or its folder cannot be searched: the folder checks say which
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        raise RegatlasError(Problem(f"{path} exists and is not a regular file; refusing to replace it", path=option))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise RegatlasError(Problem(f"folder does not exist: {folder}", path=option))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _not_writable(folder, option)


def check_folder(folder: Path, option: str, create: bool = True) -> None:
    """An output folder: created when missing (its parent must exist), refused when it is not a folder."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise RegatlasError(Problem(f"{folder} exists and is not a folder", path=option))
    if not folder.exists():
        if not create or not folder.parent.is_dir():
            raise RegatlasError(Problem(f"folder does not exist: {folder.parent}", path=option))
        if not os.access(folder.parent, os.W_OK | os.X_OK):
            raise _not_writable(folder.parent, option)
        try:
            folder.mkdir()
        except FileExistsError:  # made by a parallel run meanwhile: checked below like any folder
            pass
        except OSError as exc:
            raise RegatlasError(Problem(f"cannot create folder {folder}: {exc.strerror}", path=option)) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _not_writable(folder, option)


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
    try:
        descriptor, temporary = _temporary(path)
    except OSError as exc:
        raise _write_failed(path, option, exc) from None
    try:
        os.fchmod(descriptor, 0o666 & ~_umask())  # mkstemp makes 0600; an output gets the user's usual mode
        os.close(descriptor)
        writer(temporary)
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):  # ENOSPC, EFBIG, EIO...: the system's failure, not the user's
            raise _write_failed(path, option, exc) from None
        raise
    return temporary


def commit(pending: list[tuple[Path, Path, str]]) -> None:
    """Rename every prepared file over its target (after checking each target again), or remove them all."""
    try:
        for _, target, option in pending:
            check_target(target, option)
        for temporary, target, option in pending:
            try:
                os.replace(temporary, target)
            except OSError as exc:
                raise _write_failed(target, option, exc) from None
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


def bytes_writer(data: bytes) -> Callable[[Path], None]:
    return lambda temporary: temporary.write_bytes(data)
