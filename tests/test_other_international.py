"""Other international instruments of issue 10 item 14 (the Global Digital Compact, China's Global AI Governance
Action Plan and the Shanghai Declaration, the AU Continental AI Strategy, the EU GPAI Code of Practice) and their
principle ids (item 15). Sources are named in each docstring."""

from __future__ import annotations

import datetime as dt

from regatlas.world import queries as world

DAY = dt.date(2026, 11, 28)
NEW = (
    "intl_global_digital_compact",
    "intl_cn_global_ai_governance_action_plan",
    "intl_shanghai_declaration_2024",
    "intl_au_continental_ai_strategy",
    "eu_gpai_code_of_practice",
)


def meta(pack, iid: str):
    return pack.instruments[iid].meta.instrument


def test_gpai_code_signatories_and_the_safety_chapter_only_signer(pack):
    """Code published 2025-07-10, first signatories 2025-08-01 (Safeguard, Diginto); xAI signed only the Safety and
    Security chapter (Reuters, 2025-07-31); Meta refused. A voluntary tool tied to AI Act Art. 53 and 55."""
    code = meta(pack, "eu_gpai_code_of_practice")
    assert code.binding_force == "voluntary_commitment" and code.jurisdiction == "EU"
    parties = {p.party: p for p in code.parties}
    assert parties["xAI"].participation == "committed" and "only the Safety and Security" in parties["xAI"].note
    assert parties["Meta"].participation == "declined"
    assert {"OpenAI", "Anthropic", "Google", "Microsoft"} <= {
        k for k, p in parties.items() if p.participation == "committed"
    }
    assert any("Art. 55" in p for p in code.principles) and any("Art. 53" in p for p in code.principles)


def test_china_action_plan_and_shanghai_declaration(pack):
    """Shanghai Declaration issued 2024-07-04 at WAIC (Xinhua full text); the 13-point Global AI Governance Action
    Plan released 2025-07-26 at WAIC (Xinhua via Digital Watch). China is their author; nobody else is recorded."""
    plan = meta(pack, "intl_cn_global_ai_governance_action_plan")
    assert plan.adopted == dt.date(2025, 7, 26) and [p.party for p in plan.parties] == ["CN"]
    declaration = meta(pack, "intl_shanghai_declaration_2024")
    assert declaration.adopted == dt.date(2024, 7, 4)
    cn = world.jurisdiction_profile(pack, "CN", DAY, today=DAY)
    assert "intl_cn_global_ai_governance_action_plan" in {r["instrument"] for r in cn["joined"]}


def test_gdc_and_au_strategy(pack):
    """A/RES/79/1 (Pact for the Future with the Global Digital Compact) adopted 2024-09-22; the AU Executive Council
    endorsed the Continental AI Strategy at its 45th Ordinary Session, Accra, 18-19 July 2024 (RegTech Africa)."""
    gdc = meta(pack, "intl_global_digital_compact")
    assert gdc.adopted == dt.date(2024, 9, 22) and gdc.binding_force == "soft_law" and gdc.parties == []
    au = meta(pack, "intl_au_continental_ai_strategy")
    assert au.status_on(DAY) == "adopted" and [p.party for p in au.parties] == ["AUC"]


def test_every_new_instrument_has_known_principle_ids(pack):
    """Item 15: the new instruments carry principle ids from the shared vocabulary, so alignment covers them."""
    known = set(pack.principles) if hasattr(pack, "principles") else None
    for iid in NEW:
        ids = meta(pack, iid).principle_ids
        assert ids, iid
        if known is not None:
            assert set(ids) <= known, iid
