"""The labelling duties a content check bears on, read from the rule pack, and what each asks a file to carry.

Three rules ask for a machine-readable marking of AI-generated content: the EU AI Act's Art. 50(2), China's
Labelling Measures' implicit label (Art. 5) and California's latent disclosure (SB 942 as amended by AB 853).
Their citations, titles and dates come from the pack, never from here; this module only names which rules
they are and which parts of a marking each one lists, in the rule's own words (a test checks that every part
named here appears in the rule's title, so the two cannot drift apart silently).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..rules.pack import Pack

# rule key -> the parts of the marking the rule lists, each with the provenance field that can show it.
DUTIES: dict[str, list[tuple[str, str]]] = {
    "eu_ai_act:art50_2_synthetic_content_marking": [("machine-readable", "ai_marking")],
    "cn_labelling_measures:art5_implicit_labels": [
        ("content attributes", "ai_marking"),
        ("provider's name or code", "provider"),
        ("content ID", "identifier"),
    ],
    "us_ca_sb942:latent_disclosure": [
        ("latent disclosure", "ai_marking"),
        ("provider", "provider"),
        ("system name and version", "system"),
        ("time and date", "time"),
        ("unique identifier", "identifier"),
    ],
}

# What one file cannot show about each duty, whatever it carries (the rule's note or text says it is asked).
LIMITS = {
    "eu_ai_act:art50_2_synthetic_content_marking": "whether the marking is effective, interoperable, robust and "
    "reliable as far as technically feasible is a property of the provider's whole solution, not of one file",
    "cn_labelling_measures:art5_implicit_labels": "whether the metadata follows GB 45438-2025's own implicit-label "
    "fields is not checked: a C2PA or IPTC marking is read, the standard's AIGC metadata block is not",
    "us_ca_sb942:latent_disclosure": "whether the disclosure is permanent or extraordinarily difficult to remove and "
    "detectable by the provider's detection tool is not tested",
}


@dataclass
class Duty:
    """One labelling duty as the pack states it."""

    rule: str
    instrument: str
    jurisdiction: str
    citation: str
    url: str
    title: str
    status: str
    act: str | None
    applies_from: str | None  # a date, or None when it depends on facts about the system (see the rule)
    parts: list[tuple[str, str]]
    limit: str


def labelling_duties(pack: Pack, day: dt.date) -> list[Duty]:
    """The three duties, with their citations from the pack and the version in force on the day."""
    return [_duty(pack, key, day) for key in DUTIES]


def _duty(pack: Pack, key: str, day: dt.date) -> Duty:
    loaded = pack.find_rule(key)
    instrument = pack.instruments[loaded.instrument_id].meta.instrument
    compiled = loaded.version_at(day)
    version = compiled.version if compiled else None
    return Duty(
        rule=loaded.key,
        instrument=instrument.short_title or instrument.title,
        jurisdiction=instrument.jurisdiction,
        citation=loaded.citation_label,
        url=loaded.rule.citation.url,
        title=loaded.rule.title,
        status=loaded.rule.status,
        act=version.act if version else None,
        applies_from=_plain_date(version.applies_from) if version else None,
        parts=DUTIES[key],
        limit=LIMITS[key],
    )


def _plain_date(text: str) -> str | None:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        return None
