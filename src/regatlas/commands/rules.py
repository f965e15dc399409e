"""The pack itself: `rules list|show`, `validate`, `schema`, `facts` and `version`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, get_args

import typer
from rich.table import Table
from rich.text import Text

from ..errors import Problem, RegatlasError
from .common import EXIT_BAD_INPUT, err, load, one_of, out, parse_as_of
from .options import AsOfOption, Format, PackOption

rules_app = typer.Typer(help="Browse the rules of the pack.", no_args_is_help=True)


@rules_app.command("list")
def rules_list(
    instrument: Annotated[str | None, typer.Option("--instrument", help="Only this instrument.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Only this kind of rule.")] = None,
    as_of: AsOfOption = None,
    pack_dir: PackOption = None,
) -> None:
    """List the rules of the pack with their citation, kind and status."""
    from ..rules.model import RuleKind

    pack = load(pack_dir)
    date = parse_as_of(as_of)
    one_of(instrument, list(pack.instruments), "--instrument", "instrument")
    one_of(kind, list(get_args(RuleKind)), "--kind", "kind of rule")
    table = Table(title=f"rules (pack {pack.revision}, as of {date})")
    for column in ("id", "citation", "kind", "addressee", "in force", "status", "title"):
        table.add_column(column, no_wrap=column in ("id", "citation"))
    for rule in pack.all_rules():
        if (instrument and rule.instrument_id != instrument) or (kind and rule.rule.kind != kind):
            continue
        table.add_row(
            rule.key,
            rule.citation_label,
            rule.rule.kind,
            ", ".join(rule.rule.addressee),
            "yes" if rule.version_at(date) else "no",
            rule.rule.status,
            rule.rule.title,
        )
    out.print(table)


@rules_app.command("show")
def rules_show(
    rule_id: Annotated[str, typer.Argument(help="Rule id: instrument:rule or a bare rule id.")],
    pack_dir: PackOption = None,
) -> None:
    """Show one rule: citation, versions with dates and conditions, exceptions, tests."""
    pack = load(pack_dir)
    loaded = pack.find_rule(rule_id)
    rule = loaded.rule
    text = Text()
    text.append(f"{loaded.key}  {loaded.citation_label}  {rule.title}\n", style="bold")
    text.append(
        f"kind {rule.kind} · addressee {', '.join(rule.addressee) or '-'} · status {rule.status}"
        f" · priority {rule.priority}\n"
    )
    text.append(f"source {rule.citation.url}\ndefined at {loaded.file}:{loaded.line}\n", style="dim")
    if rule.note:
        text.append(f"note: {rule.note}\n", style="italic")
    for v in rule.versions:
        text.append(
            f"\nversion {v.valid_from} .. {v.valid_to or 'open'} ({v.act}); applies from {v.applies_from}\n",
            style="bold",
        )
        text.append(f"  when: {v.when}\n")
        if v.source_url:
            text.append(f"  source: {v.source_url}\n", style="dim")
    if rule.overrides:
        text.append(f"\noverrides: {', '.join(rule.overrides)}\n")
    if loaded.exceptions:
        text.append(f"overridden by: {', '.join(loaded.exceptions)}\n")
    if rule.penalty:
        text.append(f"penalty: {rule.penalty}\n")
    text.append(f"\ntests ({len(rule.tests)}):\n")
    for case in rule.tests:
        text.append(f"  - {case.name} -> {case.expect}{' (' + case.source + ')' if case.source else ''}\n")
    out.print(text)


def validate_cmd(
    path: Annotated[Path, typer.Argument(help="A profile file, or a rule-pack folder.")],
    pack_dir: PackOption = None,
) -> None:
    """Validate a profile against the vocabulary, or a rule pack (structure, types, cycles, its own tests)."""
    if path.is_dir():
        _validate_pack(path)
        return
    from ..facts.profile import load_profile

    pack = load(pack_dir)
    profile = load_profile(path, pack.vocabulary)
    print(
        f"profile {path} is valid: {len(profile.facts)} facts known, "
        f"{len(pack.vocabulary.facts) - len(profile.facts)} unknown"
    )


def _validate_pack(path: Path) -> None:
    from ..engine.selftest import run_all
    from ..rules.loader import load_pack

    pack = load_pack(path)
    results = run_all(pack)
    failed = [r for r in results if not r.passed]
    for r in failed:
        # Text, not markup: a test case named "[/red]" in a pack file must print as written, not raise MarkupError.
        err.print(Text("FAIL", style="red") + Text(f" {r.where}: {r.rule_key}: {r.case_name}: {r.detail}"))
    if failed:
        err.print(f"{len(failed)} of {len(results)} rule test cases failed")
        raise typer.Exit(EXIT_BAD_INPUT)
    print(
        f"pack {path} is valid: {len(pack.instruments)} instruments, {len(pack.all_rules())} rules, "
        f"{len(pack.vocabulary.facts)} facts, {len(results)} rule test cases pass; revision {pack.revision}"
    )


def schema_cmd(pack_dir: PackOption = None) -> None:
    """Print the JSON Schema of profiles."""
    from ..facts.schema import profile_schema

    print(json.dumps(profile_schema(load(pack_dir).vocabulary), indent=2, ensure_ascii=False))


def _facts_json(facts: list) -> str:
    return json.dumps([f.to_json() for f in facts], indent=2, ensure_ascii=False)


def facts_cmd(
    format: Annotated[Format, typer.Option("--format", "-f", help="text, json or markdown.")] = Format.text,
    group: Annotated[str | None, typer.Option("--group", help="Only this group (system, model, ...).")] = None,
    pack_dir: PackOption = None,
) -> None:
    """List the fact vocabulary: each fact's type, allowed values and question."""
    vocabulary = load(pack_dir).vocabulary
    if group and group not in vocabulary.groups():
        raise RegatlasError(Problem(f"unknown group '{group}'", path="--group", allowed=vocabulary.groups()))
    facts = [f for f in vocabulary.facts.values() if group in (None, f.group)]
    if format is Format.markdown:
        from ..facts.docs import vocabulary_markdown

        print(vocabulary_markdown(vocabulary))
    elif format is Format.json:
        print(_facts_json(facts))
    else:
        table = Table(title=f"{len(facts)} facts")
        for column in ("fact", "type", "question"):
            table.add_column(column, no_wrap=column == "fact")
        for f in facts:
            kind = f.type + (": " + ", ".join(f.values) if f.values else "")
            table.add_row(f.id, kind, f.question)
        out.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(rules_app, name="rules")
    app.command("validate")(validate_cmd)
    app.command("schema")(schema_cmd)
    app.command("facts")(facts_cmd)
