"""Reading an input file under the same limits as every other input (size, encoding), with its digest."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import Problem, RegatlasError
from ..yamlio import MAX_FILE_BYTES


def read_text(path: Path) -> tuple[str, str]:
    """(text, sha256 of the bytes) of a UTF-8 file no larger than the input limit; a located error otherwise."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            message = f"file is {size:,} bytes; the limit for an imported file is {MAX_FILE_BYTES:,}"
            raise RegatlasError(Problem(message, file=str(path)))
        data = path.read_bytes()
        return data.decode("utf-8"), hashlib.sha256(data).hexdigest()
    except FileNotFoundError:
        raise RegatlasError(Problem("file not found", file=str(path))) from None
    except IsADirectoryError:
        raise RegatlasError(Problem("is a folder, not a file", file=str(path))) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RegatlasError(Problem(f"cannot read file: {exc}", file=str(path))) from None
