"""Run a plan on DuckDB, in process: the population as an Arrow table or a Parquet file, the result as polars.

Enum facts stay enums: polars Enum columns arrive in DuckDB as ENUM through Arrow (comparisons on ENUM are
measured twice as fast as on text).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
from sqlglot import exp

from .plan import Plan
from .sql_backend import SOURCE, compile_sql, list_facts, universe_query

Population = pl.DataFrame | pl.LazyFrame | str | Path


def _source(con: duckdb.DuckDBPyConnection, population: Population) -> str | exp.Expression:
    """Register the population; the name (or read_parquet call) the query reads from."""
    if isinstance(population, str | Path):
        return exp.Anonymous(this="read_parquet", expressions=[exp.Literal.string(str(population))])
    frame = population.collect() if isinstance(population, pl.LazyFrame) else population
    con.register(SOURCE, frame.to_arrow())
    return SOURCE


def population_sql(plan: Plan, population: Population, con: duckdb.DuckDBPyConnection | None = None) -> str:
    """The DuckDB SQL that `evaluate_duckdb` runs for this population (the coverage universe read from it)."""
    con = con or duckdb.connect()
    source = _source(con, population)
    return _sql(plan, con, source)


def _sql(plan: Plan, con: duckdb.DuckDBPyConnection, source: str | exp.Expression) -> str:
    table = source if isinstance(source, str) else exp.select(exp.Star()).from_(source).subquery("population")
    from_sql = table if isinstance(table, str) else table.sql(dialect="duckdb")
    columns = [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {from_sql}").fetchall()]
    present = [f for f in list_facts(plan) if f in columns]
    universe = [row[0] for row in con.execute(universe_query(present, "duckdb", table)).fetchall()] if present else []
    return compile_sql(plan, "duckdb", universe=universe, source=table, columns=columns)


def evaluate_duckdb(
    plan: Plan, population: Population, con: duckdb.DuckDBPyConnection | None = None, threads: int | None = None
) -> pl.DataFrame:
    """Every finding of the plan for every row: `id`, `weight`, `touch:<instrument>`, `<instrument:rule>`
    (Boolean, null = unknown) and `<instrument:rule>@from` for rules whose applies-from depends on the row.

    `population` is a polars frame following compile/columns.py or the path of a Parquet file with those
    columns; absent fact columns are unknown everywhere.
    """
    own = con is None
    con = con or duckdb.connect()
    try:
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        sql = _sql(plan, con, _source(con, population))
        return pl.from_arrow(con.sql(sql).to_arrow_table())  # type: ignore[return-value]
    finally:
        if own:
            con.close()


__all__ = ["evaluate_duckdb", "population_sql"]
