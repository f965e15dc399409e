"""`regatlas evidence bias-audit DATA`: a bias audit under NYC Local Law 144 (docs/evidence.md)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..errors import Problem, RegatlasError
from ..outputs import check_target, text_writer, write_files
from .common import err
from .evidence_content import content_cmd
from .options import Format

evidence_app = typer.Typer(
    help="Evidence: what a system has done, measured from its own data (bias audits, content labels)."
)


class Method(StrEnum):
    selection = "selection"
    scoring = "scoring"


DEFAULT_OUTCOME = {Method.selection: "selected", Method.scoring: "score"}


def _date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise RegatlasError(Problem(f"bad date {text!r}", path=option, allowed=["a date YYYY-MM-DD"])) from None


def _columns(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",")]
    if not all(names) or len(set(names)) != len(names):
        raise RegatlasError(
            Problem(f"bad list of columns {text!r}", path="--categories", allowed=["COLUMN,COLUMN (distinct names)"])
        )
    return names


def bias_audit_cmd(
    data: Annotated[Path, typer.Argument(help="Outcomes per candidate: CSV or Parquet, one row per candidate.")],
    method: Annotated[
        Method, typer.Option("--method", help="selection: yes/no outcomes; scoring: numeric scores.")
    ] = Method.selection,
    categories: Annotated[
        str, typer.Option("--categories", help="Category columns, comma-separated; their intersection too.")
    ] = "sex,race_ethnicity",
    outcome: Annotated[
        str | None, typer.Option("--outcome", help="Outcome column (default: selected, or score for scoring).")
    ] = None,
    audit_date: Annotated[
        str | None, typer.Option("--audit-date", help="Date of the audit, YYYY-MM-DD (default: today).")
    ] = None,
    distribution_date: Annotated[
        str | None, typer.Option("--distribution-date", help="The tool's distribution date, for the summary.")
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude",
            help="[DIMENSION:]CATEGORY=JUSTIFICATION: leave a category under 2% of the data out of the impact "
            "ratios (6 RCNY § 5-301(d)); recorded in the output. Repeatable.",
        ),
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the audit as JSON here.")] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="What to print on stdout.")] = Format.text,
) -> None:
    """Selection or scoring rates and impact ratios by sex, race/ethnicity and their intersection, with unknown
    categories counted, small categories marked and the dates the rule sets (6 RCNY § 5-301)."""
    from ..evidence.bias_audit import parse_exclusion
    from ..evidence.bias_run import run_bias_audit
    from ..report.bias_audit import bias_audit_json, render_bias_audit_markdown, render_bias_audit_text

    if output is not None:
        check_target(output, "--output")
    day = _date(audit_date, "--audit-date") or dt.date.today()
    distributed = _date(distribution_date, "--distribution-date")
    exclusions = [parse_exclusion(text) for text in exclude or []]
    column = outcome or DEFAULT_OUTCOME[method]
    result = run_bias_audit(data, method.value, _columns(categories), column, exclusions, day, distributed)
    if output is not None:
        write_files([(output, text_writer(bias_audit_json(result)), "--output")])
    if format is Format.json:
        print(bias_audit_json(result), end="")
    elif format is Format.markdown:
        print(render_bias_audit_markdown(result), end="")
    else:
        print(render_bias_audit_text(result), end="")
    if output is not None:
        err.print(f"wrote {output}")


def register(app: typer.Typer) -> None:
    """Add the evidence commands to the main application."""
    evidence_app.command("bias-audit")(bias_audit_cmd)
    evidence_app.command("content")(content_cmd)
    app.add_typer(evidence_app, name="evidence")
