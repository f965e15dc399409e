"""The rule IR compiled for whole populations: one plan per (pack, as-of, scenario), many backends.

plan.py selects rule versions and parameters for a date (so the data plane sees constants);
polars_backend.py and sql_backend.py (DuckDB, Spark SQL through sqlglot) turn the same IR into columns.
"""
