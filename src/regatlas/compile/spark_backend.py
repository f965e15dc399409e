"""Run a plan on Spark SQL: the same generated SQL as DuckDB's, in Spark's dialect, the data read from Parquet.

pyspark is an optional extra (`pip install regatlas[spark]`) and needs Java 17+: both are looked up only when
this runs, and a missing one is a clear `RegatlasError`. Without a `spark` session a small local one is
started (`local[2]`, no UI); pass a session to run on a cluster, with the population as a Parquet path that
every executor can read (see docs/spark.md).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import polars as pl

from ..errors import Problem, RegatlasError
from .plan import Plan
from .sql_backend import compile_sql, list_facts, output_columns, universe_query

Population = pl.DataFrame | pl.LazyFrame | str | Path
VIEW = "regatlas_population"
LOCAL_CONF = {
    "spark.ui.enabled": "false",
    "spark.driver.memory": "1g",
    "spark.sql.shuffle.partitions": "4",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.session.timeZone": "UTC",
    # A whole pack is one wide projection (hundreds of CASE columns): generated methods pass the JVM's 64 KB
    # limit, and Spark would log the fallback to interpreted evaluation for every stage. Measured faster off.
    "spark.sql.codegen.wholeStage": "false",
}


def _missing(what: str, how: str) -> RegatlasError:
    return RegatlasError(Problem(f"the Spark engine needs {what}", allowed=[how]))


def _pyspark():
    try:
        import pyspark  # noqa: F401
        from pyspark.sql import SparkSession
    except ImportError:
        raise _missing("pyspark", "pip install 'regatlas[spark]' (or pip install pyspark)") from None
    return SparkSession


def java_available() -> bool:
    home = os.environ.get("JAVA_HOME")
    return bool((home and (Path(home) / "bin" / "java").exists()) or shutil.which("java"))


def local_session(cores: int = 2, memory: str = "1g"):
    """A small local Spark session (no UI); reused when one is already running."""
    spark_session = _pyspark()
    if not java_available():
        raise _missing("Java 17 or later", "install a JDK (apt-get install openjdk-17-jre-headless) or set JAVA_HOME")
    builder = spark_session.builder.master(f"local[{cores}]").appName("regatlas")
    for key, value in {**LOCAL_CONF, "spark.driver.memory": memory}.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def spark_sql(plan: Plan, spark, view: str = VIEW) -> str:
    """The Spark SQL that runs the plan over a registered view (coverage universe read from the view)."""
    columns = spark.table(view).columns
    present = [f for f in list_facts(plan) if f in columns]
    universe = [r[0] for r in spark.sql(universe_query(present, "spark", view)).collect()] if present else []
    return compile_sql(plan, "spark", universe=universe, source=view, columns=columns)


def evaluate_spark(plan: Plan, population: Population, spark=None, staging: str | Path | None = None) -> pl.DataFrame:
    """Every finding of the plan for every row, as `evaluate_duckdb` returns it, computed by Spark SQL.

    `population` is a polars frame (written to a Parquet file under `staging`, a temporary folder by default:
    on a cluster, give a folder every executor can read) or the path of a Parquet file or folder, read by
    Spark directly (local path, hdfs://, s3a://...). `spark` is a session to use; by default a local one.
    """
    spark = spark or local_session()
    with tempfile.TemporaryDirectory(prefix="regatlas-spark-", dir=staging) as tmp:
        if isinstance(population, str | Path):
            path = str(population)
        else:
            frame = population.collect() if isinstance(population, pl.LazyFrame) else population
            path = str(Path(tmp) / "population.parquet")
            frame.write_parquet(path)
        spark.read.parquet(path).createOrReplaceTempView(VIEW)
        try:
            result = spark.sql(spark_sql(plan, spark))
            table = result.toArrow()
        finally:
            spark.catalog.dropTempView(VIEW)
    out = pl.from_arrow(table)
    return out.select(output_columns(plan))  # type: ignore[union-attr]


__all__ = ["evaluate_spark", "java_available", "local_session", "spark_sql"]
