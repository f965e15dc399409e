"""The world: `regatlas instruments`, `parties` and `jurisdiction`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, get_args

import typer
from rich.table import Table
from rich.text import Text

from ..errors import RegatlasError
from .common import emit_json, load, one_of, out, parse_as_of
from .options import AsOfOption, Format, PackOption

# An entry recorded without a date is known to hold now, not on an earlier day: past answers leave it out unless asked.
UndatedOption = Annotated[
    bool,
    typer.Option(
        "--undated", help="Count participations whose date is unknown as holding on a past --as-of date as well."
    ),
]


def instruments_cmd(
    jurisdiction: Annotated[
        str | None,
        typer.Option(
            "--jurisdiction", "-j", help="Only instruments of this place, the places inside it, or those containing it."
        ),
    ] = None,
    force: Annotated[
        str | None,
        typer.Option(
            "--force", help="binding_law, executive_policy, soft_law, voluntary_commitment, declaration or bill."
        ),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            help="in_force, adopted, pending, repealed, revoked, lapsed, replaced, stayed, expired, not_yet_adopted.",
        ),
    ] = None,
    as_of: AsOfOption = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
    pack_dir: PackOption = None,
) -> None:
    """List the instruments: jurisdiction, binding force, status on the date, rules and parties."""
    from ..rules.model import BindingForce
    from ..world import queries as world
    from ..world.status import STATUSES

    pack, day = load(pack_dir), parse_as_of(as_of)
    one_of(force, list(get_args(BindingForce)), "--force", "binding force")
    one_of(status, list(STATUSES), "--status", "status")
    if jurisdiction and pack.registry.normalise(jurisdiction) is None:
        raise RegatlasError(pack.registry.unknown(jurisdiction, path="--jurisdiction"))
    rows = world.list_instruments(pack, day, jurisdiction and pack.registry.normalise(jurisdiction), force, status)
    if format is Format.json:
        emit_json({"as_of": day.isoformat(), "instruments": rows})
        return
    table = Table(title=f"{len(rows)} instruments, as of {day}")
    for column in ("id", "where", "instrument", "force", "status", "rules", "parties"):
        table.add_column(column, no_wrap=column in ("id", "where"))
    for r in rows:
        table.add_row(
            r["id"],
            r["jurisdiction"],
            r["title"],
            r["binding_force_text"],
            r["status_text"],
            str(r["rules"] or "-"),
            str(r["parties"] or "-"),
        )
    out.print(table)


def parties_cmd(
    instrument: Annotated[str, typer.Argument(help="Instrument id (e.g. intl_paris_2025) or a word of its title.")],
    party: Annotated[str | None, typer.Option("--party", help="Only this jurisdiction: how does it take part?")] = None,
    as_of: AsOfOption = None,
    undated: UndatedOption = False,
    format: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
    pack_dir: PackOption = None,
) -> None:
    """Who is party to an instrument, how (signed, ratified, endorsed, declined, voted...), since when, how sure."""
    from ..world import queries as world

    pack, day = load(pack_dir), parse_as_of(as_of)
    data = world.parties(pack, world.find_instrument(pack, instrument), day, party, undated, dt.date.today())
    if format is Format.json:
        emit_json(data)
        return
    meta = data["instrument"]
    out.print(Text(f"{meta['full_title']}", style="bold"))
    out.print(Text(f"{meta['id']} · {meta['binding_force_text']} · {meta['status_text']} (as of {day})", style="dim"))
    if data["entry_into_force_condition"]:
        out.print(Text(f"entry into force: {data['entry_into_force_condition']}"))
    if data["parties_note"]:
        out.print(Text(f"how sure the list is ({data['parties_confidence']}): {data['parties_note']}", style="italic"))
    if data["answer"]:
        a = data["answer"]
        verdict = (
            a["participation"] + (f" on {a['date']}" if a["date"] else "") + (f", via {a['via']}" if a["via"] else "")
        )
        out.print(Text(f"\n{a['name']} ({a['party']}): {verdict}  [confidence {a['confidence']}]", style="bold"))
        if a["note"]:
            out.print(Text(f"  {a['note']}", style="dim"))
        return
    out.print(Text(", ".join(f"{k}: {v}" for k, v in data["counts"].items()) or "no parties recorded"))
    if data["undated_left_out"]:
        out.print(
            Text(
                f"{len(data['undated_left_out'])} entries with the date unknown are not shown as holding on {day} "
                "(--undated lists them)",
                style="dim",
            )
        )
    table = Table()
    for column in ("party", "name", "participation", "date", "conf.", "note"):
        table.add_column(column, no_wrap=column in ("party", "date"))
    for r in sorted(data["parties"], key=lambda r: (r["participation"], r["name"])):
        table.add_row(
            r["party"] if r["kind"] != "company" else "-",
            r["name"],
            r["participation"],
            r["date_text"],
            r["confidence"],
            r["note"] or "",
        )
    out.print(table)


def jurisdiction_cmd(
    codes: Annotated[list[str], typer.Argument(help="One or more jurisdiction codes (GB, US, US-CA, CN, EU...).")],
    as_of: AsOfOption = None,
    undated: UndatedOption = False,
    format: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
    pack_dir: PackOption = None,
) -> None:
    """What binds in a jurisdiction today, and which international instruments it joined, declined or voted on."""
    from ..world import queries as world

    pack, day = load(pack_dir), parse_as_of(as_of)
    profiles = [world.jurisdiction_profile(pack, code, day, undated, dt.date.today()) for code in codes]
    if format is Format.json:
        emit_json(profiles[0] if len(profiles) == 1 else profiles)
        return
    if len(profiles) > 1:
        _print_matrix(profiles, day)
        return
    data = profiles[0]
    member = f" · member of {', '.join(data['member_of'])}" if data["member_of"] else ""
    out.print(Text(f"{data['name']} ({data['code']}) as of {day}{member}", style="bold"))
    table = Table(title="Instruments that apply here")
    for column in ("instrument", "made by", "force", "status"):
        table.add_column(column)
    for r in data["binding_here"]:
        table.add_row(f"{r['title']} ({r['id']})", r["jurisdiction"], r["binding_force_text"], r["status_text"])
    out.print(table)
    for title, rows in (
        ("Joined (or voted in favour)", data["joined"]),
        ("Declined (or voted against)", data["declined"]),
        ("Abstained or absent from the vote", data["abstained"]),
        ("Recorded, date unknown (not counted on this date; --undated counts it)", data["date_unknown"]),
        ("Not recorded as a party", data["not_recorded"]),
    ):
        if not rows:
            continue
        table = Table(title=title)
        for column in ("instrument", "participation", "date", "conf.", "note"):
            table.add_column(column)
        for r in rows:
            how = r["participation"].replace("_", " ") + (f" (via {r['via']})" if r["via"] else "")
            table.add_row(
                f"{r['title']} ({r['instrument']})", how, r["date"] or "", r["confidence"] or "", r["note"] or ""
            )
        out.print(table)


def _print_matrix(profiles: list[dict], day: dt.date) -> None:
    from ..world.matrix import participation_matrix

    matrix = participation_matrix(profiles)
    table = Table(title=f"Participation in international instruments, as of {day}")
    table.add_column("instrument")
    for code in matrix.codes:
        table.add_column(code, justify="center")
    for iid, marks in matrix.cells.items():
        table.add_row(matrix.titles[iid], *marks)
    table.add_row("binding instruments in force", *[str(n) for n in matrix.binding_in_force])
    out.print(table)
    out.print(
        Text(
            "— not recorded as a party · [M]/[L] medium or low confidence · via EU: through the Union, not in "
            "its own name",
            style="dim",
        )
    )


def register(app: typer.Typer) -> None:
    app.command("instruments")(instruments_cmd)
    app.command("parties")(parties_cmd)
    app.command("jurisdiction")(jurisdiction_cmd)
