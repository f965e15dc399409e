"""Imports: facts that model cards and ML-BOMs state, with where each came from (docs/imports.md)."""
