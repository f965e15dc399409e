"""Military AI and autonomous weapons (issue 10 item 13): the Political Declaration (2023), the REAIM Call to Action
(2023) and Blueprint for Action (2024), the General Assembly resolutions 78/241 and 79/62 with how States voted, and
the CCW Group of Governmental Experts as a pending process. Sources are named in each docstring."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

from regatlas.pictures import world_map
from regatlas.pictures.worldmap import NOT_VOTING, VOTE_COLOURS
from regatlas.world import queries as world

DAY = dt.date(2026, 11, 28)
SVG_NS = "{http://www.w3.org/2000/svg}"


def votes(pack, instrument_id: str, kind: str) -> set[str]:
    return {p.party for p in pack.instruments[instrument_id].meta.instrument.parties if p.participation == kind}


def test_unga_78_241_recorded_vote(pack):
    """A/RES/78/241, adopted 2023-12-22 by 152 in favour, 4 against (Belarus, India, Mali, Russian Federation) and 11
    abstentions, China, the DPRK and Israel among them (UN press GA/12568; Digital Watch, 2023-12-22)."""
    meta = pack.instruments["intl_unga_78_241"].meta.instrument
    assert meta.adopted == dt.date(2023, 12, 22) and meta.binding_force == "soft_law"
    assert "152 in favour, 4 against" in meta.status[-1].note
    assert votes(pack, "intl_unga_78_241", "against") == {"BY", "IN", "ML", "RU"}
    assert {"CN", "KP", "IL"} <= votes(pack, "intl_unga_78_241", "abstained")
    assert len(votes(pack, "intl_unga_78_241", "abstained")) <= 11
    assert {"US", "GB"} <= votes(pack, "intl_unga_78_241", "in_favour")


def test_unga_79_62_russia_against_again_and_india_moved(pack):
    """A/RES/79/62 (2024-12-02): the Russian Federation voted against 'this year, as well as last year' (MFA
    explanation of vote, 2024-11-06); India, against in 2023, is recorded as abstaining at low confidence."""
    parties = {p.party: p for p in pack.instruments["intl_unga_79_62"].meta.instrument.parties}
    assert parties["RU"].participation == "against" and parties["RU"].confidence == "M"
    assert parties["IN"].participation == "abstained" and parties["IN"].confidence == "L"


def test_who_stands_where_on_military_ai(pack):
    """`jurisdiction US CN RU IN GB EU`: the US endorsed the Political Declaration (its author, State Department) and
    voted for 78/241; China endorsed the 2023 Call to Action (Just Security: all permanent members but Russia),
    did not endorse the 2024 Blueprint, abstained on 78/241; Russia and India voted against 78/241; the EU, which
    votes through its members, is not recorded."""
    profile = {c: world.jurisdiction_profile(pack, c, DAY, today=DAY) for c in ("US", "CN", "RU", "IN", "GB", "EU")}

    def stance(code: str, instrument: str) -> str:
        rows = [r for key in world.PARTICIPATION_GROUPS for r in profile[code][key] if r["instrument"] == instrument]
        return rows[0]["participation"]

    assert stance("US", "intl_political_declaration_military_ai") == "endorsed"
    assert stance("CN", "intl_political_declaration_military_ai") == "not recorded"
    assert stance("CN", "intl_reaim_call_to_action_2023") == "endorsed"
    assert stance("CN", "intl_reaim_blueprint_2024") == "declined"
    assert stance("US", "intl_unga_78_241") == "in_favour"
    assert stance("CN", "intl_unga_78_241") == "abstained"
    assert stance("RU", "intl_unga_78_241") == stance("IN", "intl_unga_78_241") == "against"
    assert stance("EU", "intl_unga_78_241") == "not recorded"
    assert any(r["instrument"] == "intl_unga_78_241" for r in profile["CN"]["abstained"])
    assert any(r["instrument"] == "intl_unga_78_241" for r in profile["US"]["joined"])
    assert any(r["instrument"] == "intl_unga_78_241" for r in profile["RU"]["declined"])


def test_ccw_gge_is_a_pending_process(pack):
    """The CCW Group of Governmental Experts on lethal autonomous weapons (first session 2017; 11 Guiding Principles
    2019; mandate to formulate elements of an instrument for the 2026 Review Conference, UNODA) is not an
    instrument: pending, not law, no parties."""
    meta = pack.instruments["intl_ccw_gge_laws"].meta.instrument
    assert meta.status_on(DAY) == "pending" and meta.binding_force == "bill"
    assert meta.parties == []


def test_parties_command_answers_a_vote_with_its_confidence():
    """`regatlas parties intl_unga_78_241 --party IN`: India voted against (Digital Watch, 2023-12-22) [H]."""
    result = subprocess.run(
        [sys.executable, "-m", "regatlas", "parties", "intl_unga_78_241", "--party", "IN", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)["answer"]
    assert (answer["participation"], answer["date"], answer["confidence"]) == ("against", "2023-12-22", "H")


def test_principles_cover_the_military_instruments(pack):
    """Item 15: the new instruments carry principle ids, so alignment compares them."""
    for iid in (
        "intl_political_declaration_military_ai",
        "intl_reaim_call_to_action_2023",
        "intl_reaim_blueprint_2024",
        "intl_unga_78_241",
        "intl_unga_79_62",
        "intl_ccw_gge_laws",
    ):
        assert "international_law" in pack.instruments[iid].meta.instrument.principle_ids, iid
    assert "human_control_of_force" in pack.instruments["intl_unga_78_241"].meta.instrument.principle_ids


def test_the_map_draws_a_vote(tmp_path, pack):
    """In favour, against, abstained and absent from the vote each get their own colour; countries with no entry
    stay apart from 'absent from the vote'."""
    parties = {p.party: p.participation for p in pack.instruments["intl_unga_78_241"].meta.instrument.parties}
    parties["TM"] = "absent"
    _, svg = world_map(parties, "UNGA 78/241", tmp_path / "vote", registry=pack.registry, day=DAY)
    root = ET.fromstring(svg.read_text(encoding="utf-8"))

    def fill(code: str) -> str:
        path = root.find(f".//{SVG_NS}g[@id='country-{code}']/{SVG_NS}path")
        assert path is not None
        return re.search(r"fill:\s*(#[0-9a-fA-F]{6})", path.get("style", "")).group(1).lower()

    assert fill("US") == VOTE_COLOURS["in_favour"]
    assert fill("RU") == VOTE_COLOURS["against"]
    assert fill("CN") == VOTE_COLOURS["abstained"]
    assert fill("TM") == VOTE_COLOURS[NOT_VOTING]
    assert fill("BR") not in VOTE_COLOURS.values()
    text = " ".join(t for el in root.iter(f"{SVG_NS}text") for t in el.itertext())
    for label in ("in favour", "against", "abstained", "absent from the vote"):
        assert label in text
