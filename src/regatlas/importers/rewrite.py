"""Writing a merged profile back as the person wrote it: the imported facts edited into the text, comments kept.

A fact already in the file with a one-line value (`open_source_licence: false  # why`, `unknown`, an empty
value, a one-line `[a, b]`) gets the new value on that line; a fact not in the file is added at the end under a
comment naming the import, spelled in full (`model.open_source_licence: true`, which the profile loader reads
like the nested form). The edited text is read back and must give exactly the merged facts; when it does not,
or the file is JSON or flow-style, the caller rewrites the whole profile instead (and says that comments go).
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..facts.profile import profile_from_data
from ..facts.vocabulary import Vocabulary
from ..yamlio import LineMap, PathKey, parse_text

# key, the separator, the value and an optional trailing comment on one line of block-style YAML
_LINE = re.compile(r"^(?P<lead>\s*)(?P<key>[^\s#:][^:#]*?)(?P<sep>\s*:\s*)(?P<value>[^#]*?)(?P<comment>\s+#.*)?$")


def _flow(value: Any) -> str:
    """A value in YAML flow style on one line (JSON is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _path_in_file(data: dict[str, Any], fact: str) -> PathKey | None:
    group, name = fact.split(".", 1)
    if fact in data:
        return (fact,)
    if isinstance(data.get(group), dict) and name in data[group]:
        return (group, name)
    return None


def _one_line(raw: Any, path: PathKey, lines: LineMap) -> bool:
    """Whether the value as written sits on its key's line (a scalar or a flow list on one line)."""
    if isinstance(raw, dict):
        return False
    if isinstance(raw, list):
        return all(lines.get((*path, i)) == lines.get(path) for i in range(len(raw)))
    return True


def _replace(text_lines: list[str], line: int, key: str, value: Any) -> bool:
    match = _LINE.match(text_lines[line - 1])
    if match is None or match.group("key").strip("'\"") != key:
        return False
    new = f"{match.group('lead')}{match.group('key')}{match.group('sep').rstrip()} {_flow(value)}"
    text_lines[line - 1] = new + (match.group("comment") or "")
    return True


def edited_text(
    text: str, source: str, written: dict[str, Any], merged: dict[str, Any], vocabulary: Vocabulary, note: str
) -> str | None:
    """The profile text with `written` facts edited in, or None when that cannot be done faithfully."""
    if text.lstrip().startswith(("{", "[")):
        return None
    data, lines = parse_text(text, source)
    text_lines = text.splitlines()
    added: list[str] = []
    for fact, value in written.items():
        path = _path_in_file(data, fact)
        if path is None:
            added.append(f"{fact}: {_flow(value)}")
            continue
        holder = data[path[0]] if len(path) == 2 else data
        line = lines.get(path)
        if (
            line is None
            or not _one_line(holder[path[-1]], path, lines)
            or not _replace(text_lines, line, path[-1], value)
        ):
            return None
    if added:
        text_lines += ["", f"# {note}", *added]
    result = "\n".join(text_lines) + "\n"
    reread, _ = parse_text(result, source)
    expected = profile_from_data(merged, vocabulary, source).to_json()
    return result if profile_from_data(reread, vocabulary, source).to_json() == expected else None
