"""Fuzzing the command line with hostile YAML and JSON: regatlas exits 0, 2 or 3 and never prints a traceback.

Hypothesis builds profiles, rule-pack files and scenario files from the bundled examples, then breaks them:
values of the wrong type, huge and odd numbers, odd unicode (lone surrogates, bidi overrides, NUL, BOM),
deep nesting, tags in and outside the YAML core schema, anchors and aliases, merge keys, and text spliced into
the serialised document. Each document goes through `validate`, `assess`, `compare` and `report` (profiles),
`validate` and `assess --pack` (packs) or `simulate --scenario` (scenarios), in process through the CLI's own
`main`, so an exception that escapes is a failure with its traceback.

CI runs a fixed, derandomised sample. To run it long, with fresh random examples each time:

    REGATLAS_FUZZ_EXAMPLES=20000 .venv/bin/pytest tests/test_fuzz_cli.py -q

(a failure prints the seed to rerun it with `--hypothesis-seed=N`).
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml
from conftest import EXAMPLES, GOOD_RULE, write_pack
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from regatlas.cli import main
from regatlas.rules.loader import load_pack
from regatlas.yamlio import load_file, parse_text

LONG = "REGATLAS_FUZZ_EXAMPLES" in os.environ
EXAMPLES_PER_TEST = int(os.environ.get("REGATLAS_FUZZ_EXAMPLES", "20"))
ALLOWED_EXIT_CODES = {0, 2, 3}
REPORTS_IN_CI = 2  # a report that renders costs ~4 s: a few in CI, one valid profile in ten in a long run

FUZZ = settings(
    max_examples=EXAMPLES_PER_TEST,
    derandomize=not LONG,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    # In CI a failure shows the example as found (shrinking it through the CLI can take minutes); a long run shrinks.
    phases=list(Phase) if LONG else [Phase.explicit, Phase.reuse, Phase.generate],
)

VOCABULARY = load_pack().vocabulary

# Characters that have broken parsers and terminals: lone surrogates, bidi overrides, NUL, BOM, line separators.
ODD_CHARACTERS = ["\ud800", "\udfff", "\u202e", "\u200f", "\x00", "\ufeff", "\u2028", "\x85", "\t", "\r", "é", "😀"]
TEXT = st.text(alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from(ODD_CHARACTERS)), max_size=12)
CODES = ["DE", "de", "DEU", "EU", "US", "US-CA", "US-NY-NYC", "GB", "UK", "EL", "XX", "", "unknown", "CN-HK"]
NUMBERS = st.one_of(
    st.integers(),
    st.sampled_from([10**400, -(10**400), 2**63, -1, 0, 10**25]),
    st.floats(allow_nan=True, allow_infinity=True),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    NUMBERS,
    TEXT,
    st.sampled_from(CODES),
    st.sampled_from(["unknown", "2026-08-02", "9999-12-31", "0001-01-01", "2026-02-30", "yes", "no", "on", "~"]),
    st.sampled_from(["[/red]", "[bold]x", "[link=javascript:x]y[/link]", "<script>", "%s", "{0}"]),  # markup
    st.sampled_from(sorted({v for f in VOCABULARY.facts.values() for v in f.values})),
)
JUNK = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.one_of(TEXT, SCALARS), inner, max_size=3)),
    max_leaves=10,
)

# Spliced into a serialised document at a random place.
TOKENS = [
    "!!python/object:os.system ",
    "!!python/object/apply:os.system ['true'] ",
    "!custom ",
    "!!binary ",
    "!!timestamp ",
    "!!set ",
    "!!omap ",
    "!!str ",
    "!!int ",
    "!!float ",
    "!!bool ",
    "!!null ",
    "!!map ",
    "!!seq ",
    "!!merge ",
    "&a ",
    "*a ",
    "<<: *a\n",
    "<<: ",
    "? ",
    "- ",
    "{",
    "}",
    "[",
    "]",
    ",",
    ": ",
    "\n",
    "\n  ",
    "'",
    '"',
    "#",
    "%YAML 1.1\n---\n",
    "---\n",
    "...\n",
    "9" * 400,
    "9" * 5000,
    "1e999",
    "-.inf",
    ".nan",
    "0x1F",
    "0o17",
    "1_000",
    "=",
    "~",
    "[" * 70 + "]" * 70,
    "[" * 2000,
    "\\ud800",
    "\\x00",
    "\\N",
    "[/red]",
    *ODD_CHARACTERS,
]


def _places(data: Any, out: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Every (container, key or index) in the data, in a fixed order."""
    if isinstance(data, dict):
        for key, value in data.items():
            out.append((data, key))
            _places(value, out)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out.append((data, i))
            _places(value, out)
    return out


@st.composite
def mutated(draw: st.DrawFn, base: Any) -> Any:
    """The base data with a few values replaced, removed or added."""
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(0, 4))):
        places = _places(data, [])
        if not places:
            return draw(JUNK)
        container, key = draw(st.sampled_from(places))
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if action == "replace":
            container[key] = draw(JUNK)
        elif action == "delete":
            del container[key]
        elif isinstance(container, dict):
            container[draw(st.one_of(TEXT, st.sampled_from(list(VOCABULARY.facts))))] = draw(JUNK)
        else:
            container.append(draw(JUNK))
    return data


def _yaml(data: Any) -> str | None:
    try:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000)
    except (yaml.YAMLError, ValueError):
        return None  # a lone surrogate or an integer of 5000 digits: YAML's emitter refuses it


@st.composite
def document(draw: st.DrawFn, data: Any) -> tuple[bytes, str]:
    """(file content, suffix): the data as JSON or YAML, with text spliced in."""
    style = draw(st.sampled_from(["json", "yaml", "yaml-flow"]))
    text = _yaml(data) if style == "yaml" else None
    if text is None:
        text = json.dumps(data, ensure_ascii=draw(st.booleans()))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(TOKENS)) + text[at:]
    suffix = ".json" if style == "json" else ".yaml"
    return text.encode("utf-8", "surrogatepass"), suffix  # a lone surrogate becomes bytes that are not UTF-8


def run(*args: str) -> tuple[int, str, str]:
    """The CLI in process, through `main` (the one place errors become exit codes), with real-like streams."""
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    stderr = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace")
    argv = sys.argv
    sys.argv = ["regatlas", *args]
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                main()
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    finally:
        sys.argv = argv
    texts = []
    for stream in (stdout, stderr):
        stream.flush()
        texts.append(stream.buffer.getvalue().decode("utf-8", "replace"))  # type: ignore[attr-defined]
    return code, texts[0], texts[1]


def check(*args: str) -> int:
    code, out, err = run(*args)
    assert code in ALLOWED_EXIT_CODES, f"exit {code} for {args}:\n{err[-3000:]}"
    assert "Traceback" not in out + err, f"traceback for {args}:\n{err[-3000:]}"
    return code


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def write(folder: Path, name: str, content: bytes, suffix: str) -> Path:
    for old in folder.glob(f"{name}.*"):
        old.unlink()
    path = folder / f"{name}{suffix}"
    path.write_bytes(content)
    return path


def _load(path: Path) -> Any:
    return load_file(path)[0]  # dates stay text, as regatlas reads them


PROFILES = [_load(p) for p in sorted(EXAMPLES.glob("*.yaml"))]
AS_OF = st.sampled_from([None, "2026-12-01", "2024-08-01", "1958-01-01", "0001-01-01", "9999-12-31", "2026-02-30"])
FORMATS = st.sampled_from(["text", "json", "markdown"])


@FUZZ
@given(data=st.data())
def test_profiles(place, data):
    base = data.draw(st.sampled_from(PROFILES))
    content, suffix = data.draw(document(data.draw(mutated(base))))
    profile = str(write(place, "profile", content, suffix))
    as_of = data.draw(AS_OF)
    dated = ["--as-of", as_of] if as_of else []
    valid = check("validate", profile) == 0
    check("assess", profile, "--format", data.draw(FORMATS), *dated)
    check("compare", profile, "--format", data.draw(FORMATS), *dated)
    if valid:
        if REPORTS_LEFT[0] == 0:
            return
        REPORTS_LEFT[0] -= 1
    check("report", profile, "--html", str(place / "report.html"), *dated)


REPORTS_LEFT = [EXAMPLES_PER_TEST // 10 if LONG else REPORTS_IN_CI]
RULES = parse_text("rules:\n" + GOOD_RULE, "<rule>")[0]


@pytest.fixture(scope="module")
def fuzz_pack(place: Path) -> Path:
    return write_pack(place, GOOD_RULE)


@FUZZ
@given(data=st.data())
def test_rule_packs(place, fuzz_pack, data):
    rules = fuzz_pack / "eu" / "test_act" / "rules" / "r.yaml"
    content, _ = data.draw(document(data.draw(mutated(RULES))))
    rules.write_bytes(content)
    check("validate", str(fuzz_pack))
    with pytest.MonkeyPatch.context() as patch:  # each fuzzed pack is cached: not in ~/.cache
        patch.setenv("XDG_CACHE_HOME", str(place / "cache"))
        check("assess", str(EXAMPLES / "cv-screening.yaml"), "--pack", str(fuzz_pack), "--format", "json")


SCENARIOS = [_load(p) for p in sorted((EXAMPLES / "scenarios").glob("*.yaml"))]


@pytest.fixture(scope="module")
def population(place: Path) -> Path:
    path = place / "population.parquet"
    pl.read_parquet(EXAMPLES / "population.parquet").head(1).write_parquet(path)
    return path


@settings(FUZZ, max_examples=EXAMPLES_PER_TEST if LONG else 12)  # the first scenario that applies costs ~10 s
@given(data=st.data())
def test_scenarios(place, population, data):
    content, suffix = data.draw(document(data.draw(mutated(data.draw(st.sampled_from(SCENARIOS))))))
    scenario = str(write(place, "scenario", content, suffix))
    check("simulate", str(population), "--scenario", scenario, "--format", data.draw(FORMATS), "--as-of", "2026-12-01")
