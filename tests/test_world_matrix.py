"""Who stands where: the participation matrix the `jurisdiction A B ...` command prints, as data."""

from __future__ import annotations

import datetime as dt

from regatlas.world.matrix import participation_matrix
from regatlas.world.queries import jurisdiction_profile

DAY = dt.date(2026, 12, 2)


def test_the_paris_statement_splits_the_us_and_uk_from_china_and_the_eu(pack):
    matrix = participation_matrix([jurisdiction_profile(pack, code, DAY) for code in ("US", "GB", "CN", "EU")])
    assert matrix.codes == ["US", "GB", "CN", "EU"]
    us, gb, cn, eu = matrix.cells["intl_paris_2025"]
    assert us.startswith("declined") and gb.startswith("declined")
    assert cn.startswith("signed") and eu.startswith("signed")
    assert matrix.titles["intl_paris_2025"]


def test_every_column_has_a_mark_for_every_instrument_and_counts_binding_law(pack):
    matrix = participation_matrix([jurisdiction_profile(pack, code, DAY) for code in ("DE", "US-CA")])
    assert all(len(marks) == 2 and all(marks) for marks in matrix.cells.values())
    # Germany: the AI Act (through the Union) among others; California: its own statutes and federal law
    assert all(n >= 1 for n in matrix.binding_in_force)
