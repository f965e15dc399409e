"""Populations load from Parquet, CSV and JSON lines with the same rules as a YAML profile."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest

from regatlas.compile.columns import complete, fact_dtype
from regatlas.errors import Problem, RegatlasError
from regatlas.facts.profile import profile_from_data
from regatlas.simulate.population import load_population, row_facts

# One system with a fact of every type, nested by group as a YAML profile would give it.
NESTED = {
    "name": "Hiring screener",
    "system": {"is_ai_system": True, "placed_on_market_date": "2025-03-01"},
    "operator": {"roles": ["provider", "deployer"], "size": "small", "employees": 40},
    "territory": {"offered_in": ["deu", "USA", "us-ca"]},
    "model": {"training_compute_flop": 3.2e25},
}
EXPECTED = {
    "system.is_ai_system": True,
    "system.placed_on_market_date": dt.date(2025, 3, 1),
    "operator.roles": frozenset({"provider", "deployer"}),
    "operator.size": "small",
    "operator.employees": 40.0,
    "territory.offered_in": frozenset({"DE", "US", "US-CA"}),
    "model.training_compute_flop": 3.2e25,
}
CSV_HEADER = (
    "id,name,system.is_ai_system,system.placed_on_market_date,operator.roles,operator.size,"
    "operator.employees,territory.offered_in,model.training_compute_flop"
)
CSV_ROW = 'a,Hiring screener,true,2025-03-01,provider;deployer,small,40,"deu; USA;us-ca",3.2e25'


def problems(exc: pytest.ExceptionInfo[RegatlasError]) -> list[Problem]:
    return exc.value.problems


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def jsonl(tmp_path: Path, rows: list[dict], name: str = "pop.jsonl") -> Path:
    return write(tmp_path, name, "".join(json.dumps(row) + "\n" for row in rows))


def load_error(path: Path, pack, **kw) -> list[Problem]:
    with pytest.raises(RegatlasError) as exc:
        load_population(path, pack, **kw)
    return problems(exc)


# ------------------------------------------------------------------------------------------ round trips


def test_csv_round_trip(tmp_path, pack):
    path = write(tmp_path, "pop.csv", f"{CSV_HEADER}\n{CSV_ROW}\nb,,,,,,,,\n")
    frame = load_population(path, pack)
    assert frame["id"].to_list() == ["a", "b"]
    assert frame["weight"].to_list() == [1.0, 1.0]
    assert row_facts(frame, 0, pack.vocabulary) == EXPECTED
    assert row_facts(frame, 1, pack.vocabulary) == {}  # empty cells are unknown, never defaults
    for column in EXPECTED:
        assert frame.schema[column] == fact_dtype(pack.vocabulary[column])
    assert "name" not in frame.columns


def test_jsonl_round_trip_nested_and_dotted(tmp_path, pack):
    dotted = {
        f"{group}.{key}": value for group, facts in NESTED.items() if group != "name" for key, value in facts.items()
    }
    path = jsonl(
        tmp_path, [{"id": "n", **NESTED}, {"id": "d", **dotted}, {"id": "u", "system.is_ai_system": "unknown"}]
    )
    frame = load_population(path, pack)
    assert row_facts(frame, 0, pack.vocabulary) == EXPECTED
    assert row_facts(frame, 1, pack.vocabulary) == EXPECTED
    assert row_facts(frame, 2, pack.vocabulary) == {}


def test_parquet_round_trip_struct_and_dotted_columns(tmp_path, pack):
    source = pl.DataFrame(
        {
            "id": ["p1", "p2"],
            "weight": [2.5, 1.0],
            "system": [{"is_ai_system": True, "placed_on_market_date": dt.date(2025, 3, 1)}, None],
            "operator.roles": [["provider", "deployer"], None],
            "operator.size": ["small", None],
            "operator.employees": [40, None],
            "territory.offered_in": [["deu", "USA", "us-ca"], None],
            "model.training_compute_flop": [3.2e25, None],
        }
    )
    path = tmp_path / "pop.parquet"
    source.write_parquet(path)
    frame = load_population(path, pack)
    assert frame["weight"].to_list() == [2.5, 1.0]
    assert row_facts(frame, 0, pack.vocabulary) == EXPECTED
    assert row_facts(frame, 1, pack.vocabulary) == {}
    assert frame.schema["operator.size"] == fact_dtype(pack.vocabulary["operator.size"])
    # the engine's completion adds the facts the file does not have, all unknown
    full = complete(frame, pack.vocabulary).collect()
    assert full["deployment.by_public_body"].null_count() == 2
    assert full.width == len(pack.vocabulary.facts) + 2


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_row_matches_yaml_profile(tmp_path, pack, fmt):
    profile = profile_from_data(NESTED, pack.vocabulary, "<yaml>")
    if fmt == "csv":
        path = write(tmp_path, "pop.csv", f"{CSV_HEADER}\n{CSV_ROW}\n")
    elif fmt == "jsonl":
        path = jsonl(tmp_path, [NESTED])
    else:
        path = tmp_path / "pop.parquet"
        row = {k: [v] for k, v in NESTED.items()}
        pl.DataFrame(row).write_parquet(path)
    frame = load_population(path, pack)
    assert row_facts(frame, 0, pack.vocabulary) == profile.facts
    assert profile.facts == EXPECTED


def test_csv_spellings(tmp_path, pack):
    path = write(
        tmp_path,
        "pop.csv",
        "system.is_ai_system,operator.roles,territory.offered_in\n"
        'TRUE,[],"[""DE"", ""fra""]"\n'
        "False,unknown,GB\n"
        'unknown,"[""importer""]",\n',
    )
    frame = load_population(path, pack)
    assert frame["system.is_ai_system"].to_list() == [True, False, None]
    assert frame["operator.roles"].to_list() == [[], None, ["importer"]]  # [] is the empty list, not unknown
    assert frame["territory.offered_in"].to_list() == [["DE", "FR"], ["GB"], None]
    assert frame["id"].to_list() == ["0", "1", "2"]


def test_blank_csv_lines_are_skipped_but_counted(tmp_path, pack):
    path = write(tmp_path, "pop.csv", "id,operator.size\na,small\n\nb,hge\n\n")
    errors = load_error(path, pack)
    assert [(p.line, p.path) for p in errors] == [(4, "operator.size")]


def test_repeated_list_items_are_dropped(tmp_path, pack):
    path = jsonl(tmp_path, [{"operator.roles": ["provider", "provider"], "territory.offered_in": ["DE", "deu"]}])
    frame = load_population(path, pack)
    assert frame["operator.roles"].to_list() == [["provider"]]
    assert frame["territory.offered_in"].to_list() == [["DE"]]


# ------------------------------------------------------------------------------------------ problems


def test_unknown_column_suggests_the_fact(tmp_path, pack):
    errors = load_error(write(tmp_path, "pop.csv", "system.is_ai_sytem,description\ntrue,x\n"), pack)
    assert len(errors) == 1
    assert errors[0].path == "system.is_ai_sytem"
    assert errors[0].line == 1
    assert errors[0].suggestion == "system.is_ai_system"
    assert "unknown fact column" in errors[0].message
    nested = load_error(jsonl(tmp_path, [{"system": {"is_ai_sytem": True}}]), pack)
    assert [(p.path, p.suggestion) for p in nested] == [("system.is_ai_sytem", "system.is_ai_system")]


def test_bad_enum_names_line_and_column(tmp_path, pack):
    csv_path = write(tmp_path, "pop.csv", "id,operator.size\na,small\nb,lage\n")
    [problem] = load_error(csv_path, pack)
    assert (problem.file, problem.line, problem.path) == (str(csv_path), 3, "operator.size")
    assert problem.message == "'lage' is not an allowed value"
    assert problem.suggestion == "large"
    assert problem.allowed == pack.vocabulary["operator.size"].describe_allowed()

    # JSON lines: the reader skips blank lines, the line number still counts them
    json_path = write(tmp_path, "pop.jsonl", '{"operator.size": "small"}\n\n{"operator": {"size": "smal"}}\n')
    [problem] = load_error(json_path, pack)
    assert (problem.line, problem.path, problem.suggestion) == (3, "operator.size", "small")

    parquet_path = tmp_path / "pop.parquet"
    pl.DataFrame({"operator.size": ["small", "smal"]}).write_parquet(parquet_path)
    [problem] = load_error(parquet_path, pack)
    assert (problem.line, problem.path) == (None, "row 2, column operator.size")
    assert "row 2, column operator.size: 'smal' is not an allowed value (did you mean 'small'?)" in problem.render()


def test_csv_line_numbers_survive_quoted_newlines(tmp_path, pack):
    path = write(tmp_path, "pop.csv", 'id,name,operator.size\na,"two\nlines",small\nb,x,hge\n')
    [problem] = load_error(path, pack)
    assert problem.line == 4


def test_bad_jurisdiction_code_suggests(tmp_path, pack):
    [problem] = load_error(jsonl(tmp_path, [{"territory": {"offered_in": ["DE", "Germany"]}}]), pack)
    assert problem.message == "unknown jurisdiction code 'Germany'"
    assert problem.suggestion == "DE"
    assert (problem.line, problem.path) == (1, "territory.offered_in")


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("-5", "must be at least 0, not -5"),
        ("lots", "expected a number (e.g. 3.2e25), not 'lots'"),
        ("nan", "expected a finite number, not 'nan'"),
        ("inf", "expected a finite number, not 'inf'"),
    ],
)
def test_bad_number(tmp_path, pack, cell, message):
    [problem] = load_error(write(tmp_path, "pop.csv", f"operator.employees\n3\n{cell}\n"), pack)
    assert (problem.line, problem.path, problem.message) == (3, "operator.employees", message)


def test_bool_is_strict(tmp_path, pack):
    frame = load_population(write(tmp_path, "ok.csv", "system.is_ai_system\ntrue\nFALSE\ntRuE\n\nunknown\n"), pack)
    assert frame["system.is_ai_system"].to_list() == [True, False, True, None]
    [problem] = load_error(write(tmp_path, "pop.csv", "system.is_ai_system\ntrue\nyes\n"), pack)
    assert problem.message == "expected true or false, not 'yes'"
    assert problem.allowed == ["true", "false", "unknown"]


def test_bad_date(tmp_path, pack):
    [problem] = load_error(jsonl(tmp_path, [{"system": {"placed_on_market_date": "2025-3-1"}}]), pack)
    assert problem.message == "expected a date YYYY-MM-DD, not '2025-3-1'"


def test_set_given_as_text_in_jsonl_is_read_like_csv_but_bad_items_fail(tmp_path, pack):
    [problem] = load_error(jsonl(tmp_path, [{"operator.roles": ["provider", "provder"]}]), pack)
    assert (problem.message, problem.suggestion) == ("'provder' is not an allowed value", "provider")


def test_weight_must_be_positive(tmp_path, pack):
    errors = load_error(write(tmp_path, "pop.csv", "id,weight\na,2\nb,-1\nc,\nd,0\n"), pack)
    assert [(p.line, p.path) for p in errors] == [(3, "weight"), (5, "weight")]
    assert errors[0].message == "weight must be a positive number, not '-1'"
    frame = load_population(write(tmp_path, "ok.csv", "id,weight\na,2\nb,\n"), pack)
    assert frame["weight"].to_list() == [2.0, 1.0]  # an empty weight is the default


def test_duplicate_ids_name_both_rows(tmp_path, pack):
    errors = load_error(write(tmp_path, "pop.csv", "id,system.is_ai_system\nx,true\ny,true\nx,false\n"), pack)
    assert [(p.line, p.path, p.message) for p in errors] == [(4, "id", "duplicate id 'x' (also on line 2)")]
    parquet_path = tmp_path / "pop.parquet"
    pl.DataFrame({"id": [1, 2, 1]}).write_parquet(parquet_path)
    [problem] = load_error(parquet_path, pack)
    assert (problem.path, problem.message) == ("row 3, column id", "duplicate id '1' (also on row 1)")


def test_contradictory_derived_fact_depends_on_the_date(tmp_path, pack):
    rows = [{"id": "uk", "territory": {"offered_in": ["GB"], "placed_on_eu_market": True}}]
    path = jsonl(tmp_path, rows)
    load_population(path, pack)  # no date: not checked
    load_population(path, pack, as_of=dt.date(2019, 6, 1))  # the UK was in the EU then
    [problem] = load_error(path, pack, as_of=dt.date(2021, 1, 1))
    assert problem.path == "territory.placed_on_eu_market"
    assert problem.line == 1
    assert problem.message == ("says true, but territory.offered_in lists GB, which does not include EU on 2021-01-01")
    assert problem.allowed == ["leave territory.placed_on_eu_market out: it follows from territory.offered_in"]


def test_max_problems_cap(tmp_path, pack):
    body = "".join(f"r{i},maybe\n" for i in range(30))
    errors = load_error(write(tmp_path, "pop.csv", "id,system.is_ai_system\n" + body), pack, max_problems=5)
    assert len(errors) == 6
    assert [p.line for p in errors[:5]] == [2, 3, 4, 5, 6]
    assert errors[-1].message == "... and 25 more problems"


# ------------------------------------------------------------------------------------------ unreadable files


def test_corrupt_parquet(tmp_path, pack):
    good = tmp_path / "good.parquet"
    pl.DataFrame({"system.is_ai_system": [True] * 100}).write_parquet(good)
    truncated = write(tmp_path, "bad.parquet", "")
    truncated.write_bytes(good.read_bytes()[:-20])
    [problem] = load_error(truncated, pack)
    assert problem.message.startswith("cannot read as Parquet")
    assert problem.file == str(truncated)
    [problem] = load_error(write(tmp_path, "text.parquet", "a,b\n1,2\n"), pack)
    assert problem.message.startswith("cannot read as Parquet")


def test_wrong_extension(tmp_path, pack):
    [problem] = load_error(write(tmp_path, "pop.txt", "a\n"), pack)
    assert "unsupported population file type '.txt'" in problem.message
    assert ".parquet (Parquet)" in problem.allowed and ".csv (CSV)" in problem.allowed
    good = tmp_path / "good.parquet"
    pl.DataFrame({"system.is_ai_system": [True]}).write_parquet(good)
    misnamed = tmp_path / "pop.csv"
    misnamed.write_bytes(good.read_bytes())
    [problem] = load_error(misnamed, pack)
    assert problem.message == "this looks like a Parquet file, but its name ends in .csv"
    [problem] = load_error(write(tmp_path, "rows.csv", '{"system.is_ai_system": true}\n'), pack)
    assert problem.message == "this looks like a JSON lines file, but its name ends in .csv"


def test_missing_empty_and_header_only_files(tmp_path, pack):
    [problem] = load_error(tmp_path / "absent.csv", pack)
    assert problem.message == "population file not found"
    [problem] = load_error(write(tmp_path, "empty.jsonl", ""), pack)
    assert problem.message == "the file is empty"
    [problem] = load_error(write(tmp_path, "header.csv", "id,system.is_ai_system\n"), pack)
    assert problem.message == "the file holds no systems (no data rows)"


def test_invalid_json_line_is_located(tmp_path, pack):
    [problem] = load_error(write(tmp_path, "pop.jsonl", '{"id": "a"}\n{"id": "b",\n'), pack)
    assert problem.line == 2
    assert problem.message.startswith("not valid JSON")


def test_duplicate_csv_header(tmp_path, pack):
    errors = load_error(write(tmp_path, "pop.csv", "operator.size,operator.size\nsmall,small\n"), pack)
    assert [(p.line, p.path, p.message) for p in errors] == [(1, "operator.size", "column appears twice")]


def test_nested_and_dotted_twice(tmp_path, pack):
    errors = load_error(jsonl(tmp_path, [{"system": {"is_ai_system": True}, "system.is_ai_system": True}]), pack)
    assert [p.path for p in errors] == ["system.is_ai_system"]
    assert errors[0].message.startswith("given twice")


def test_all_null_json_key_is_unknown_with_the_fact_type(tmp_path, pack):
    frame = load_population(jsonl(tmp_path, [{"id": "a", "system.is_ai_system": None, "operator.roles": None}]), pack)
    assert frame.schema["system.is_ai_system"] == pl.Boolean
    assert frame.schema["operator.roles"] == pl.List(pl.String)
    assert row_facts(frame, 0, pack.vocabulary) == {}


def test_parquet_timestamp_is_not_a_date(tmp_path, pack):
    path = tmp_path / "pop.parquet"
    pl.DataFrame({"system.placed_on_market_date": [dt.datetime(2025, 3, 1, 12, 0)]}).write_parquet(path)
    [problem] = load_error(path, pack)
    assert problem.path == "row 1, column system.placed_on_market_date"
    assert problem.message.startswith("expected a date, not the timestamp 2025-03-01T12:00:00")


def test_a_cut_of_the_bundled_population_loads(tmp_path, pack):
    """The first 20 rows of examples/population.parquet made polars 2.1 panic (exit 1) in the check for repeated
    list items; every cut must load like the whole file."""
    whole = pl.read_parquet(Path(__file__).resolve().parents[1] / "examples" / "population.parquet")
    for rows in (1, 20, 57):
        path = tmp_path / f"cut{rows}.parquet"
        whole.head(rows).write_parquet(path)
        frame = load_population(path, pack, dt.date(2026, 12, 2))
        assert frame.height == rows
