"""The pack cache: a validated pack kept as a pickle, so an unchanged pack is not read and checked again.

The key covers everything the built pack depends on: every pack file (the revision), the engine's own source,
the Python version and the version of the ISO 3166 data (pycountry) the place registry is built from. Only
the most recently used files are kept (MAX_FILES), so the folder does not fill up as packs and code change.
The cache lives in $XDG_CACHE_HOME/regatlas (default ~/.cache/regatlas); REGATLAS_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import pickle
import sys
import tempfile
from pathlib import Path

from .. import ENGINE_VERSION
from .pack import Pack

MAX_FILES = 8  # the packs of a checkout, its tests and a few branches; each file is about 1.5 MB


def pack_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.yaml"))


def revision(files: list[Path], root: Path) -> str:
    """A hash of every pack file's name and content: the pack's revision, shown in every assessment."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _data_versions() -> str:
    """The version of pycountry, read from its installed metadata's folder name (importing it costs ~50 ms)."""
    spec = importlib.util.find_spec("pycountry")
    if spec is None or spec.origin is None:
        return "pycountry-none"
    site = Path(spec.origin).parent.parent
    return ",".join(sorted(p.name for p in site.glob("pycountry-*.dist-info"))) or "pycountry-unknown"


def _code_fingerprint() -> str:
    """Changes whenever the engine's own source or its data dependencies change: a cache never outlives them."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(f"{ENGINE_VERSION}{sys.version_info[:2]}{_data_versions()}".encode())
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(package)}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    return digest.hexdigest()[:12]


def _folder() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "regatlas"


def cache_path(pack_revision: str) -> Path | None:
    if os.environ.get("REGATLAS_NO_CACHE"):
        return None
    return _folder() / f"pack-{pack_revision}-{_code_fingerprint()}.pickle"


def read(path: Path | None) -> Pack | None:
    """The cached pack, or None when there is none or it cannot be read (it is then simply rebuilt)."""
    if path is None or not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            pack = pickle.load(handle)
        os.utime(path)  # most recently used: pruning keeps it
    except Exception:  # a stale, truncated or foreign file is rebuilt, never trusted
        return None
    return pack if isinstance(pack, Pack) else None


def write(path: Path | None, pack: Pack) -> None:
    """Store the pack (a unique temporary file renamed into place: readers never see half a file)."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                pickle.dump(pack, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        prune(path.parent)
    except OSError:
        pass  # a read-only or full cache folder only costs speed


def prune(folder: Path, keep: int = MAX_FILES) -> None:
    """Remove all but the `keep` most recently used pack files (and temporary files of crashed writers)."""
    entries = []
    for path in folder.glob("pack-*.pickle"):
        with contextlib.suppress(FileNotFoundError):
            entries.append((path.stat().st_mtime, path))
    entries.sort(reverse=True)
    for _, path in entries[keep:]:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
