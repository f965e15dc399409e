"""Load a rule pack: from the cache when its files and the code are unchanged, else built from its files.

Building (rules/build.py, with pydantic validation) is imported only on a cache miss, so a command on an
unchanged pack pays for neither.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import PackError, Problem
from . import cache as pack_cache
from .pack import Pack


def default_pack_root() -> Path:
    """The bundled pack: $REGATLAS_PACKS, the source checkout's packs/, or the installed copy."""
    if env := os.environ.get("REGATLAS_PACKS"):
        return Path(env)
    source_tree = Path(__file__).resolve().parents[3] / "packs"
    if source_tree.is_dir():
        return source_tree
    return Path(__file__).resolve().parents[1] / "_packs"


def load_pack(root: Path | None = None, cache: bool = False) -> Pack:
    """Load and validate the whole pack; raise PackError listing every problem.

    With cache=True a validated pack is kept in ~/.cache/regatlas (rules/cache.py), keyed by the pack revision
    (a hash of every file) and the code, so an unchanged pack is not parsed and checked again. The CLI uses it.
    """
    root = (root or default_pack_root()).resolve()
    if not root.is_dir():
        raise PackError(Problem("rule pack folder not found", file=str(root)))
    revision = pack_cache.revision(pack_cache.pack_files(root), root)
    cache_file = pack_cache.cache_path(revision) if cache else None
    cached = pack_cache.read(cache_file)
    if cached is not None:
        cached.root = root
        return cached
    from .build import build_pack  # validation and compilation: only when the cache cannot answer

    pack = build_pack(root, revision)
    pack_cache.write(cache_file, pack)
    return pack
