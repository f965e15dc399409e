"""Questions people ask about the world, answered in one command (regatlas instruments / parties / jurisdiction)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from regatlas.errors import RegatlasError
from regatlas.world import queries as world

DAY = dt.date(2026, 11, 28)


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "regatlas", *args], capture_output=True, text=True, timeout=120)


def test_did_the_uk_sign_the_paris_statement():
    """world.md B1: the United States and the United Kingdom refused to sign (2025-02-11) [H]."""
    result = cli("parties", "paris", "--party", "GB", "--as-of", "2026-11-28")
    assert result.returncode == 0, result.stderr
    assert "United Kingdom (GB): declined on 2025-02-11" in result.stdout
    data = json.loads(cli("parties", "intl_paris_2025", "--party", "GBR", "--format", "json").stdout)
    assert data["answer"]["participation"] == "declined" and data["answer"]["confidence"] == "H"


def test_who_joined_what_among_the_big_powers(pack):
    """world.md C3: one command answers which of the US, China, the EU, the UK and India joined which instrument."""
    rows = {p["code"]: p for p in (world.jurisdiction_profile(pack, c, DAY) for c in ("US", "CN", "EU", "GB", "IN"))}
    joined = {code: {r["instrument"] for r in p["joined"]} for code, p in rows.items()}
    declined = {code: {r["instrument"] for r in p["declined"]} for code, p in rows.items()}
    assert "intl_paris_2025" in declined["US"] and "intl_paris_2025" in declined["GB"]
    assert "intl_paris_2025" in joined["CN"] and "intl_paris_2025" in joined["EU"] and "intl_paris_2025" in joined["IN"]
    assert "intl_coe_cets_225" in joined["US"] and "intl_coe_cets_225" not in joined["CN"]
    assert all("intl_bletchley_2023" in joined[c] for c in rows)
    matrix = cli("jurisdiction", "US", "CN", "EU", "GB", "IN", "--as-of", "2026-11-28")
    assert matrix.returncode == 0 and "Paris AI Action Summit" in matrix.stdout and "declined" in matrix.stdout


def test_member_states_take_part_through_the_union(pack):
    """A member state is shown as taking part via the EU where only the Union is a party (CETS 225: world.md B4)."""
    de = world.jurisdiction_profile(pack, "DE", DAY)
    cets = next(r for r in de["joined"] + de["not_recorded"] if r["instrument"] == "intl_coe_cets_225")
    assert cets["via"] == "EU"
    assert "EU" in de["member_of"]
    assert any(r["id"] == "eu_ai_act" and r["status"] == "in_force" for r in de["binding_here"])


def test_participation_is_dated(pack):
    """As of a date before the Paris summit (2025-02-11), nobody had signed or declined its statement."""
    before = world.parties(pack, pack.instruments["intl_paris_2025"], dt.date(2025, 1, 1))
    assert before["parties"] == []
    assert world.parties(pack, pack.instruments["intl_paris_2025"], DAY)["counts"]["declined"] >= 2


def test_undated_participation_is_not_shown_as_holding_on_a_past_date(pack):
    """Issue 10 item 5 (and issue 8 item 4): an entry without a date (Liechtenstein's CETS 225 signature, date not
    found) is known to hold now but not on a past day. On 2024-10-01 it is left out and listed as date unknown;
    asked for, it is shown; on the day of the record it holds."""
    cets = pack.instruments["intl_coe_cets_225"]
    past = world.parties(pack, cets, dt.date(2024, 10, 1), today=DAY)
    assert "LI" not in {r["party"] for r in past["parties"]}
    assert "LI" in {r["party"] for r in past["undated_left_out"]}
    assert {r["date_text"] for r in past["undated_left_out"]} == {"date unknown"}
    asked = world.parties(pack, cets, dt.date(2024, 10, 1), undated=True, today=DAY)
    assert "LI" in {r["party"] for r in asked["parties"]}
    now = world.parties(pack, cets, DAY, today=DAY)
    assert "LI" in {r["party"] for r in now["parties"]} and now["undated_left_out"] == []
    li = world.jurisdiction_profile(pack, "LI", dt.date(2024, 10, 1), today=DAY)
    row = next(r for r in li["date_unknown"] if r["instrument"] == "intl_coe_cets_225")
    assert row["participation"] == "date unknown" and "signed" in row["note"]
    assert "intl_coe_cets_225" not in {r["instrument"] for r in li["joined"]}


def test_instruments_filters_by_place_force_and_status(pack):
    everything = world.list_instruments(pack, DAY)
    declarations = world.list_instruments(pack, DAY, force="declaration")
    assert declarations and all(r["binding_force"] == "declaration" for r in declarations)
    eu = world.list_instruments(pack, DAY, jurisdiction="DE")
    assert [r["id"] for r in eu] == ["eu_ai_act", "eu_gpai_code_of_practice"]
    assert {r["status"] for r in world.list_instruments(pack, DAY, status="in_force")} == {"in_force"}
    assert len(everything) == len(pack.instruments)
    result = cli("instruments", "--force", "declaration", "--format", "json")
    assert {r["binding_force"] for r in json.loads(result.stdout)["instruments"]} == {"declaration"}


def test_cets_225_is_binding_but_not_in_force(pack):
    """world.md B4: CETS 225 binds once in force; five ratifications incl. three CoE members, plus three months."""
    row = world.instrument_row(pack.instruments["intl_coe_cets_225"], DAY)
    assert row["binding_force"] == "binding_law" and row["status"] == "adopted" and "not in force" in row["status_text"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("parties", "nonexistent-treaty"), "unknown instrument"),
        (("parties", "seoul"), "matches"),
        (("parties", "paris", "--party", "Germny"), "did you mean 'DE'"),
        (("jurisdiction", "XX"), "unknown jurisdiction code 'XX'"),
        (("instruments", "-j", "Frnace"), "did you mean 'FR'"),
    ],
)
def test_bad_questions_exit_2_with_help(args, fragment):
    result = cli(*args)
    assert result.returncode == 2 and fragment in result.stderr and "Traceback" not in result.stderr


def test_find_instrument_by_id_or_word(pack):
    assert world.find_instrument(pack, "bletchley").id == "intl_bletchley_2023"
    with pytest.raises(RegatlasError):
        world.find_instrument(pack, "zzz")


def test_parties_command_says_date_unknown_and_lists_on_request():
    """`parties CETS --as-of 2024-10-01` leaves Liechtenstein's undated signature out and says so; `--undated` lists
    it with "date unknown" (issue 10 item 5)."""
    past = cli("parties", "intl_coe_cets_225", "--as-of", "2024-10-01")
    assert past.returncode == 0, past.stderr
    assert "Liechtenstein" not in past.stdout and "--undated" in past.stdout
    asked = cli("parties", "intl_coe_cets_225", "--as-of", "2024-10-01", "--undated")
    assert "Liechtenstein" in asked.stdout and "date unknown" in asked.stdout
