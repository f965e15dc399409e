"""Who stands where: the participation of several jurisdictions across the international instruments."""

from __future__ import annotations

from dataclasses import dataclass

from .queries import PARTICIPATION_GROUPS


@dataclass
class ParticipationMatrix:
    codes: list[str]
    titles: dict[str, str]  # instrument id -> title
    cells: dict[str, list[str]]  # instrument id -> one mark per code ("—": not recorded as a party)
    binding_in_force: list[int]  # per code: binding laws in force there


def _mark(row: dict) -> str:
    """A cell: how the jurisdiction takes part, through whom, how sure (medium or low marked), and since when."""
    if row["participation"] == "not recorded":
        return "—"
    mark = row["participation"].replace("_", " ")
    if row["via"]:
        mark += f" via {row['via']}"
    if row["confidence"] in ("M", "L"):
        mark += f" [{row['confidence']}]"
    if row["date"]:
        mark += f"\n{row['date']}"
    return mark


def participation_matrix(profiles: list[dict]) -> ParticipationMatrix:
    """Instruments as rows, the jurisdictions' profiles as columns."""
    titles: dict[str, str] = {}
    cells: dict[str, list[str]] = {}
    for i, profile in enumerate(profiles):
        for group in PARTICIPATION_GROUPS:
            for row in profile.get(group, []):
                titles[row["instrument"]] = row["title"]
                cells.setdefault(row["instrument"], [""] * len(profiles))[i] = _mark(row)
    binding = [
        sum(1 for r in p["binding_here"] if r["status"] == "in_force" and r["binding_force"] == "binding_law")
        for p in profiles
    ]
    return ParticipationMatrix([p["code"] for p in profiles], titles, dict(sorted(cells.items())), binding)
