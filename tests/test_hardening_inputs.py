"""Hostile inputs and outputs: alias bombs, oversized files, huge numbers, planted links, special files,
parallel writers. Every one is refused with a clear message and exit 2, or written safely."""

from __future__ import annotations

import datetime as dt
import os
import resource
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from regatlas.errors import RegatlasError
from regatlas.outputs import text_writer, write_files
from regatlas.yamlio import MAX_FILE_BYTES, MAX_VALUES, parse_text


def _limited(megabytes: int):
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (megabytes * 2**20, megabytes * 2**20))

    return limit


def run(*args: str, memory_mb: int | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "regatlas", *args],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limited(memory_mb) if memory_mb else None,
    )


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    lines = ["a0: &a0 [x]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def merge_bomb(levels: int = 9, width: int = 9) -> str:
    lines = ["m0: &m0 {k0: 1}"]
    for i in range(1, levels + 1):
        lines.append(f"m{i}: &m{i} {{<<: [{', '.join([f'*m{i - 1}'] * width)}], k{i}: 1}}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("bomb", [alias_bomb, merge_bomb], ids=["aliases", "merge keys"])
def test_a_bomb_is_refused_quickly_within_a_memory_bound(tmp_path, bomb):
    path = tmp_path / "profile.yaml"
    path.write_text(bomb())
    assert path.stat().st_size < 1024
    result = run("validate", str(path), memory_mb=1024)  # the old loader grew past 2.4 GB
    assert result.returncode == 2, result.stderr
    assert f"more than {MAX_VALUES:,} values" in result.stderr and "Traceback" not in result.stderr


def test_the_budget_counts_each_use_of_an_alias():
    with pytest.raises(RegatlasError, match="values"):
        parse_text(alias_bomb(levels=6, width=9), "<bomb>")  # 9^6 = 531,441 values from 7 lines
    data, _ = parse_text(alias_bomb(levels=3, width=9), "<small>")  # 9^3 = 729: fine
    assert len(data["a3"]) == 9


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("system:\n  annex_iii_points: [" + ", ".join(["4a"] * (MAX_FILE_BYTES // 4)) + "]\n")
    result = run("validate", str(path))
    assert result.returncode == 2
    assert "the limit for a profile, pack or scenario file" in result.stderr


def test_an_integer_of_thousands_of_digits_is_a_clear_error(tmp_path):
    path = tmp_path / "profile.yaml"
    path.write_text("operator:\n  annual_turnover_eur: " + "9" * 5000 + "\n")
    result = run("validate", str(path))
    assert result.returncode == 2
    assert f"{path}:2:" in result.stderr and "out of range" in result.stderr and "Traceback" not in result.stderr


# Writes ----------------------------------------------------------------------------------------------------


def test_a_link_planted_at_the_old_temporary_name_is_not_followed(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    target = tmp_path / "r.html"
    (tmp_path / ".r.html.tmp").symlink_to(victim)  # where the old writer put its temporary file
    write_files([(target, text_writer("<html>report</html>"), "--html")])
    assert victim.read_text() == "precious"
    assert target.read_text() == "<html>report</html>"


@pytest.mark.parametrize("kind", ["folder", "link", "fifo"])
def test_a_target_that_is_not_a_regular_file_is_refused(tmp_path, kind):
    target = tmp_path / "out"
    if kind == "folder":
        target.mkdir()
    elif kind == "link":
        (tmp_path / "elsewhere").write_text("keep")
        target.symlink_to(tmp_path / "elsewhere")
    else:
        os.mkfifo(target)
    with pytest.raises(RegatlasError, match="not a regular file"):
        write_files([(target, text_writer("x"), "--html")])
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]  # no temporary file left


def test_parallel_writers_to_one_path_all_succeed(tmp_path):
    target = tmp_path / "r.html"

    def write(i: int) -> None:
        write_files([(target, text_writer(f"report {i}"), "--html")])

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(write, range(32)))
    assert target.read_text().startswith("report ")
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_all_outputs_or_none(tmp_path):
    good, bad = tmp_path / "ok.html", tmp_path / "missing" / "r.pdf"
    with pytest.raises(RegatlasError, match="folder does not exist"):
        write_files([(good, text_writer("a"), "--html"), (bad, text_writer("b"), "--pdf")])
    assert not good.exists()


def test_report_refuses_one_file_for_html_and_pdf_and_creates_the_pictures_folder(tmp_path):
    profile = Path(__file__).resolve().parents[1] / "examples" / "cv-screening.yaml"
    same = tmp_path / "r.out"
    result = run("report", str(profile), "--html", str(same), "--pdf", str(same), "--as-of", "2026-12-02")
    assert result.returncode == 2 and "same file" in result.stderr
    assert not same.exists()
    pictures = tmp_path / "pictures"
    result = run("report", str(profile), "--html", str(tmp_path / "r.html"), "--pictures", str(pictures),
                 "--as-of", "2026-12-02")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert sorted(p.suffix for p in pictures.iterdir()) and (tmp_path / "r.html").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["instruments", "--status", "bogus"], "unknown status 'bogus'"),
        (["instruments", "--force", "bogus"], "unknown binding force 'bogus'"),
        (["rules", "list", "--kind", "bogus"], "unknown kind of rule 'bogus'"),
        (["rules", "list", "--instrument", "eu_ai_akt"], "did you mean 'eu_ai_act'"),
    ],
    ids=["status", "force", "kind", "instrument"],
)
def test_an_unknown_option_value_is_an_error_not_an_empty_table(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr.replace("\n", " ") and "allowed" in result.stderr


def test_uk_suggests_gb():
    result = run("jurisdiction", "UK")
    assert result.returncode == 2 and "did you mean 'GB'" in result.stderr


def test_an_empty_group_is_unknown_but_an_unknown_group_is_an_error(tmp_path):
    empty = tmp_path / "empty.yaml"
    empty.write_text("system: null\nterritory:\n")
    result = run("validate", str(empty))
    assert result.returncode == 0 and "0 facts known" in result.stdout
    bogus = tmp_path / "bogus.yaml"
    bogus.write_text("sytem: null\n")
    result = run("validate", str(bogus))
    assert result.returncode == 2 and "unknown fact" in result.stderr


# Far dates ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("today", [dt.date(9990, 1, 1), dt.date.max, dt.date.min], ids=str)
def test_the_timeline_draws_dates_at_the_ends_of_the_calendar(tmp_path, today):
    from regatlas.pictures import timeline

    items = [("EU", "Art. 9", dt.date(2026, 8, 2)), ("US", "last", dt.date.max), ("US", "first", dt.date.min)]
    paths = timeline(items, "far", tmp_path / "timeline", today=today)  # raised OverflowError at 9990-01-01
    assert [p.name for p in paths] == ["timeline.png", "timeline.svg"] and all(p.stat().st_size for p in paths)


# Tags ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("system: !!python/object:os.system {}\n", "tag '!!python/object:os.system' is not allowed on a mapping"),
        ("system:\n  is_ai_system: !custom true\n", "tag '!custom' is not allowed on a value"),
        ("territory:\n  offered_in: !!omap [DE]\n", "tag '!!omap' is not allowed on a list"),
        ("x: &m !local {a: 1}\nsystem: {<<: *m}\n", "tag '!local' is not allowed on a mapping"),
        ("operator:\n  annual_turnover_eur: !!binary aGVsbG8=\n", "tag '!!binary' is not allowed on a value"),
        ("system:\n  is_ai_system: !!bool maybe\n", "'maybe' is not a valid !!bool"),
        ("operator:\n  annual_turnover_eur: !!int\n", "'' is not a valid !!int"),
        ("? [a, b]\n: 1\n", "a key must be a plain value"),
    ],
    ids=["python object", "local tag", "omap", "merged", "binary", "bad bool", "empty int", "list key"],
)
def test_a_tag_outside_the_core_schema_is_a_located_error(tmp_path, document, message):
    path = tmp_path / "profile.yaml"
    path.write_text(document)
    with pytest.raises(RegatlasError) as caught:
        parse_text(document, str(path))
    text = str(caught.value)
    assert message in text and text.startswith(f"{path}:")


def test_core_schema_tags_are_read():
    data, _ = parse_text("a: !!str 12\nb: !!int '7'\nc: !!float 1\nd: !!bool true\ne: !!null ~\nf: !!seq []\n", "<t>")
    assert data == {"a": "12", "b": 7, "c": 1.0, "d": True, "e": None, "f": []}


def test_an_exponent_is_a_number_in_json_and_yaml_as_in_json_and_yaml_1_2():
    as_json, _ = parse_text('{"a": 1e5, "b": -2.5E-3, "c": "1e5"}', "<t.json>")
    as_yaml, _ = parse_text("a: 1e5\nb: -2.5E-3\nc: '1e5'\nd: 1e\ne: .5e1\n", "<t.yaml>")
    assert as_json == {"a": 100000.0, "b": -0.0025, "c": "1e5"}
    assert as_yaml == {"a": 100000.0, "b": -0.0025, "c": "1e5", "d": "1e", "e": 5.0}


def test_a_tagged_pack_is_refused_by_the_cli_with_exit_2(tmp_path):
    from conftest import GOOD_RULE, write_pack

    root = write_pack(tmp_path, GOOD_RULE)
    rules = root / "eu" / "test_act" / "rules" / "r.yaml"
    rules.write_text(rules.read_text().replace("title: A duty", "title: !!python/object/apply:os.system ['true']"))
    result = run("validate", str(root))
    assert result.returncode == 2, result.stderr
    stderr = result.stderr.replace("\n", "")  # rich wraps long lines
    assert f"{rules}:4: tag '!!python/object/apply:os.system'" in stderr and "Traceback" not in stderr


@pytest.mark.parametrize("command", ["assess", "compare"])
def test_a_date_before_the_registry_blames_the_date_not_the_places(command):
    profile = Path(__file__).resolve().parents[1] / "examples" / "cv-screening.yaml"
    result = run(command, str(profile), "--as-of", "0001-01-01")
    stderr = " ".join(result.stderr.split())  # rich wraps long lines
    assert result.returncode == 2, result.stdout  # was exit 0: "none of the pack's instruments is made for the places"
    assert "--as-of: 0001-01-01 is before 1958-01-01" in stderr and "allowed: a date from 1958-01-01" in stderr


def test_the_first_recorded_day_is_answered(pack):
    assert pack.registry.known_from == dt.date(1958, 1, 1)
    assert pack.registry.within("DE", "EU", dt.date(1958, 1, 1))
    with pytest.raises(RegatlasError, match="--as-of"):
        pack.registry.within("DE", "EU", dt.date(1957, 12, 31))


# Several bad values ----------------------------------------------------------------------------------------------


def test_every_bad_code_of_a_profile_is_reported_at_once(tmp_path):
    path = tmp_path / "profile.yaml"
    path.write_text(
        "system:\n  annex_iii_points: [4a, bogus1, 5b, bogus2]\n"
        "territory:\n  offered_in:\n    - DE\n    - XX\n    - UK\n  used_in: [ZZ]\n"
        "operator:\n  annual_turnover_eur: " + "9" * 400 + "\n"  # too big for a float: was an OverflowError
    )
    result = run("validate", str(path))
    stderr = " ".join(result.stderr.split())
    assert result.returncode == 2 and "Traceback" not in stderr
    for where, what in [
        (":2: system.annex_iii_points[1]", "'bogus1'"),
        (":2: system.annex_iii_points[3]", "'bogus2'"),
        (":6: territory.offered_in[1]", "'XX'"),
        (":7: territory.offered_in[2]", "'UK' (did you mean 'GB'?)"),
        (":8: territory.used_in[0]", "'ZZ'"),
        (":10: operator.annual_turnover_eur", "expected a number"),
    ]:
        assert f"{path}{where}: " in stderr and what in stderr.split(f"{path}{where}: ")[1][:120], where


def test_a_list_of_thousands_of_bad_codes_reports_its_first_ones(pack):
    from conftest import make_profile

    from regatlas.facts.profile import MAX_BAD_ITEMS

    with pytest.raises(RegatlasError) as caught:
        make_profile(pack, {"territory.offered_in": ["XX"] * 5000})
    assert len(caught.value.problems) == MAX_BAD_ITEMS + 1
    assert "4980 more items" in caught.value.problems[-1].message


def test_deep_nesting_is_a_located_error_not_a_recursion_error():
    from regatlas.yamlio import MAX_DEPTH

    parse_text("a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH, "<ok>")
    with pytest.raises(RegatlasError, match=f"nested more than {MAX_DEPTH} deep"):
        parse_text("a: " + "[" * 900 + "]" * 900, "<deep>")  # was a RecursionError (libyaml allows 1000 levels)


def test_a_key_that_does_not_fit_its_tag_is_a_located_error():
    with pytest.raises(RegatlasError, match="'expect' is not a valid !!bool"):  # found by tests/test_fuzz_cli.py
        parse_text('tests: [{!!bool "expect": yes}]', "<pack>")


def test_deep_json_is_a_clear_error(tmp_path):
    path = tmp_path / "profile.json"
    path.write_text('{"system": ' + "[" * 100_000 + "]" * 100_000 + "}")  # was a RecursionError in json.loads
    result = run("validate", str(path))
    assert result.returncode == 2 and "nested more than" in result.stderr and "Traceback" not in result.stderr


def test_a_population_line_nested_thousands_deep_is_a_clear_error(tmp_path):
    path = tmp_path / "population.jsonl"
    path.write_text('{"system.is_ai_system": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    result = run("population", "check", str(path))  # was a RecursionError from the JSON decoder
    assert result.returncode == 2 and "nested too deep" in result.stderr and "Traceback" not in result.stderr


def test_a_failing_rule_case_named_like_markup_prints_as_written(tmp_path):
    from conftest import GOOD_RULE, write_pack

    rules = GOOD_RULE.replace("name: holds", 'name: "[/red] oops"').replace('expect: "yes"', 'expect: "no"')
    result = run("validate", str(write_pack(tmp_path, rules)))
    assert result.returncode == 2 and "Traceback" not in result.stderr  # was a rich MarkupError
    assert "[/red] oops" in result.stderr
