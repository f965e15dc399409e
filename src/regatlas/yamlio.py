"""Read YAML or JSON while remembering the source line of every value.

Error messages must point at file:line, so the loader keeps a map from the path of each value
(a tuple of keys and list indexes) to its line number.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, RegatlasError

PathKey = tuple[str | int, ...]

# Limits on one YAML/JSON input (docs/commands.md, "Limits"). The largest file of the bundled pack is 79 kB with
# about 9,000 values once its anchors are expanded; these leave room for ten times that and stop an alias bomb
# (nine levels of nine aliases expand to 387 million values from 1 kB) or a huge list before it costs memory.
MAX_FILE_BYTES = 2_000_000
MAX_VALUES = 100_000
# Nesting: the bundled pack nests 7 levels deep at most. A deeper document (a thousand `[`, or a long chain of
# merge keys each merging the one before) would exhaust Python's recursion while it is read.
MAX_DEPTH = 64


class LineMap(dict[PathKey, int]):
    """Path of a value -> 1-based line number."""

    def line(self, path: PathKey) -> int | None:
        """The line of the path, or of its nearest ancestor that has one."""
        while True:
            if path in self:
                return self[path]
            if not path:
                return None
            path = path[:-1]


_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: several times faster


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """SafeLoader that keeps dates as ISO strings, so every layer sees one date format."""


# YAML 1.1 would turn 2025-08-02 into a date and "no" into False; we want predictable scalars.
# YAML 1.1 would also read yes/no/on/off as booleans, so Norway's code NO would become false: only
# true/false are booleans here (as in YAML 1.2).
# YAML 1.1's `=` (!!value) and `!`/`&`/`*` (!!yaml) resolutions are outside the core schema: plain text here.
_BOOL_TAG = "tag:yaml.org,2002:bool"
_NOT_IMPLICIT = tuple(f"tag:yaml.org,2002:{t}" for t in ("timestamp", "bool", "value", "yaml"))
_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag not in _NOT_IMPLICIT]
    for key, resolvers in _Base.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
# YAML 1.1 wants a dot in a float's mantissa, so `1e5` (a number in JSON and in YAML 1.2) would be read as text;
# the YAML 1.2 core schema's exponent form is a float here too. (The 1.1 forms stay resolved as before.)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][-+]?[0-9]+$"),
    list("-+0123456789."),
)


class _Budget:
    """Counts the values a document expands to (an alias counts again each time it is used)."""

    def __init__(self, limit: int = MAX_VALUES):
        self.left = limit
        self.sizes: dict[int, int] = {}  # id(mapping node) -> pairs once its merge keys are flattened

    def spend(self, node: yaml.Node, count: int = 1) -> None:
        self.left -= count
        if self.left < 0:
            raise _located(
                f"the document expands to more than {MAX_VALUES:,} values (aliases counted each time they are "
                "used): refused, as an alias bomb or an oversized input would be",
                node,
            )

    def merged_pairs(self, node: yaml.MappingNode, depth: int = 0) -> int:
        """Pairs of a mapping after its merge keys (<<: *a) are flattened, computed without flattening."""
        if depth > MAX_DEPTH:
            raise _located(f"merge keys (<<) chained more than {MAX_DEPTH} deep", node)
        if id(node) not in self.sizes:
            self.sizes[id(node)] = 0  # a merge cycle counts nothing more
            total = 0
            for key_node, value_node in node.value:
                if key_node.tag != "tag:yaml.org,2002:merge":
                    total += 1
                    continue
                merged = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                total += sum(self.merged_pairs(m, depth + 1) for m in merged if isinstance(m, yaml.MappingNode))
                if total > self.left:
                    self.spend(node, total)
            self.sizes[id(node)] = total
        return self.sizes[id(node)]


_CORE = "tag:yaml.org,2002:"
_MERGE = _CORE + "merge"
# The YAML core schema: the only tags a document may carry, by kind of node. Anything else (!!python/object,
# !!binary, !!timestamp, !!set, a local !custom tag) is refused rather than dropped or built into a foreign type.
ALLOWED_TAGS: dict[type[yaml.Node], tuple[str, ...]] = {
    yaml.ScalarNode: ("str", "int", "float", "bool", "null"),
    yaml.SequenceNode: ("seq",),
    yaml.MappingNode: ("map",),
}


def _short(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


def _check_tags(root: yaml.Node) -> None:
    """Refuse tags outside the core schema and keys that are not scalars; each node is visited once."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, is_key = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if is_key and not isinstance(node, yaml.ScalarNode):
            raise _located("a key must be a plain value (text or a number), not a list or a mapping", node)
        if node.tag == _MERGE and not is_key:
            raise _located("'<<' merges mappings: it can only be a key", node)
        allowed = ALLOWED_TAGS[type(node)]
        if node.tag.removeprefix(_CORE) not in allowed and node.tag != _MERGE:
            kind = {yaml.ScalarNode: "value", yaml.SequenceNode: "list"}.get(type(node), "mapping")
            raise _located(
                f"tag '{_short(node.tag)}' is not allowed on a {kind}: only the YAML core schema's tags are read",
                node,
                [f"!!{t}" for t in allowed],
            )
        if isinstance(node, yaml.MappingNode):
            stack.extend(item for key, value in node.value for item in ((key, True), (value, False)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, False) for item in node.value)


def _scalar(node: yaml.ScalarNode, loader: _Loader) -> Any:
    try:
        return loader.construct_object(node)
    except ValueError as exc:
        if "digits" in str(exc):  # an integer of thousands of digits: Python refuses to convert it
            raise _located(f"value out of range: {str(exc).split(';')[0]}", node) from None
        raise _located(f"{node.value[:40]!r} is not a valid {_short(node.tag)}", node) from None
    except (KeyError, IndexError):  # what PyYAML raises for `!!bool maybe` or an empty `!!int`
        raise _located(f"{node.value[:40]!r} is not a valid {_short(node.tag)}", node) from None


def _to_python(node: yaml.Node, path: PathKey, lines: LineMap, loader: _Loader, budget: _Budget) -> Any:
    budget.spend(node)
    if len(path) > MAX_DEPTH:
        raise _located(f"values nested more than {MAX_DEPTH} deep", node)
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        _reject_duplicate_keys(node)
        budget.spend(node, budget.merged_pairs(node))  # before flattening: a merge bomb never expands
        loader.flatten_mapping(node)  # resolve merge keys (<<: *anchor); explicit keys come last and win
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, loader)  # a scalar: _check_tags refused other keys
            if not isinstance(key, str):
                key = str(key)
            result[key] = _to_python(value_node, (*path, key), lines, loader, budget)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, (*path, i), lines, loader, budget) for i, item in enumerate(node.value)]
    return _scalar(node, loader)


def _reject_duplicate_keys(node: yaml.MappingNode) -> None:
    seen: set[str] = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        if key_node.value in seen:
            raise _located(f"duplicate key '{key_node.value}'", key_node)
        seen.add(key_node.value)


class _LocatedYAMLError(Exception):
    def __init__(self, message: str, line: int, allowed: list[str] | None = None):
        super().__init__(message)
        self.line = line
        self.allowed = allowed or []


def _located(message: str, node: yaml.Node, allowed: list[str] | None = None) -> _LocatedYAMLError:
    return _LocatedYAMLError(message, node.start_mark.line + 1, allowed)


def parse_text(text: str, source: str) -> tuple[Any, LineMap]:
    """Parse YAML (JSON is a subset) text into plain Python data plus its line map."""
    lines = LineMap()
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, lines
        _check_tags(node)
        return _to_python(node, (), lines, loader, _Budget()), lines
    except _LocatedYAMLError as exc:
        raise RegatlasError(Problem(str(exc), file=source, line=exc.line, allowed=exc.allowed)) from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        message = f"malformed YAML/JSON: {exc.problem or exc}"
        raise RegatlasError(Problem(message, file=source, line=line)) from None
    except yaml.YAMLError as exc:
        raise RegatlasError(Problem(f"malformed YAML/JSON: {exc}", file=source)) from None
    finally:
        loader.dispose()


def load_file(path: Path) -> tuple[Any, LineMap]:
    """Read and parse one YAML or JSON file, with clear errors for unreadable files."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            message = f"file is {size:,} bytes; the limit for a profile, pack or scenario file is {MAX_FILE_BYTES:,}"
            raise RegatlasError(Problem(message, file=str(path)))
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RegatlasError(Problem("file not found", file=str(path))) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RegatlasError(Problem(f"cannot read file: {exc}", file=str(path))) from None
    if path.suffix == ".json":
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            raise RegatlasError(Problem(f"malformed JSON: {exc.msg}", file=str(path), line=exc.lineno)) from None
        except RecursionError:  # Python's JSON decoder recurses once per level
            raise RegatlasError(Problem(f"values nested more than {MAX_DEPTH} deep", file=str(path))) from None
    return parse_text(text, str(path))


def dotted(path: PathKey) -> str:
    """Render a path like ('rules', 3, 'when') as rules[3].when."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
