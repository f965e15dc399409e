"""Spark SQL (local mode) gives the DuckDB and Polars results row by row; clear errors without pyspark or Java."""

from __future__ import annotations

import builtins
import datetime as dt
import random

import polars as pl
import pytest

from regatlas.compile import spark_backend
from regatlas.compile.duckdb_backend import evaluate_duckdb
from regatlas.compile.plan import build_plan
from regatlas.compile.polars_backend import evaluate_polars
from regatlas.compile.sql_backend import output_columns
from regatlas.errors import RegatlasError
from regatlas.simulate.frames import profiles_frame, random_facts

DATES = [dt.date(2026, 7, 26), dt.date(2026, 12, 2)]
ROWS = 300


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'regatlas[spark]')")
    if not spark_backend.java_available():
        pytest.skip("Java is missing: Spark needs a JDK 17+ (java on PATH or JAVA_HOME)")
    session = spark_backend.local_session()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def sample(pack) -> pl.DataFrame:
    rng = random.Random(4242)
    facts = [random_facts(pack.vocabulary, rng) for _ in range(ROWS)]
    facts[0] = {}  # nothing known
    facts[1] = {"territory.offered_in": frozenset(), "territory.used_in": frozenset({"US-CA"})}
    return profiles_frame(facts, pack.vocabulary)


@pytest.mark.parametrize("day", DATES, ids=str)
def test_spark_equals_duckdb_and_polars(pack, spark, sample, day):
    plan = build_plan(pack, day)
    got = spark_backend.evaluate_spark(plan, sample, spark)
    assert got.columns == output_columns(plan)
    duck = evaluate_duckdb(plan, sample)
    assert got.schema == duck.schema
    assert got.sort("id").equals(duck.sort("id"))
    polars = evaluate_polars(plan, sample, pack.vocabulary)
    assert got.sort("id").equals(polars.select(got.columns).sort("id"))


def test_spark_reads_a_parquet_path(pack, spark, sample, tmp_path):
    plan = build_plan(pack, DATES[1])
    path = tmp_path / "population.parquet"
    sample.head(50).drop("model.training_compute_flop").write_parquet(path)  # an absent fact is unknown
    got = spark_backend.evaluate_spark(plan, str(path), spark)
    assert got.sort("id").equals(evaluate_duckdb(plan, path).sort("id"))


def test_missing_pyspark_is_a_clear_error(monkeypatch):
    real = builtins.__import__

    def no_pyspark(name, *args, **kwargs):
        if name.startswith("pyspark"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyspark)
    with pytest.raises(RegatlasError, match="pyspark"):
        spark_backend.local_session()


def test_missing_java_is_a_clear_error(monkeypatch):
    pytest.importorskip("pyspark")
    monkeypatch.setattr(spark_backend, "java_available", lambda: False)
    with pytest.raises(RegatlasError, match="Java"):
        spark_backend.local_session()
