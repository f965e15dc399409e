"""What the analysis routes compute for a system or a posted profile: the profile itself, the assessment on a date,
the ranked open questions, the comparison and the report. The work is the CLI's (engine, compare, report); this
module only turns inputs and errors into the API's terms.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..compare.fragmentation import Comparison, compare
from ..engine.assess import Assessment, assess
from ..engine.questions import rank_questions
from ..errors import RegatlasError
from ..facts.profile import Profile, profile_from_data
from ..report.questions_report import ranking_json
from ..rules.pack import Pack
from .context import Service
from .inventory import facts_at, get_system, stored_profile
from .problems import ApiProblem, FieldError, from_regatlas

MEDIA_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


@contextlib.contextmanager
def dated(date_field: str, facts_prefix: str = "", facts_status: int = 422) -> Iterator[None]:
    """Errors of the law on a date, in the request's terms: a date the registry cannot place (before its first
    record) is a 422 naming `date_field`; facts that contradict each other on that date (a yes/no fact against the
    list of places it follows from) name the fact under `facts_prefix`, with `facts_status` (409 for stored answers,
    as for answers the vocabulary no longer accepts)."""
    try:
        yield
    except RegatlasError as exc:
        dates = [problem for problem in exc.problems if problem.path == "--as-of"]
        for problem in dates:
            problem.path = ""
        converted = from_regatlas(exc, date_field if dates else facts_prefix)
        if dates:
            converted.detail = "the law cannot be read on that date"
        else:
            converted.status, converted.detail = facts_status, "the profile's facts contradict each other on that date"
        raise converted from None


def posted_profile(pack: Pack, data: dict[str, Any]) -> Profile:
    try:
        return profile_from_data(data, pack.vocabulary, "body.profile")
    except RegatlasError as exc:
        raise from_regatlas(exc, "body.profile") from None


def system_profile(svc: Service, system_id: int) -> Profile:
    """The system's current profile, named and described as the system is (reports show both); 404 for no such
    system, 409 for stored answers the vocabulary no longer accepts."""
    with svc.database.read() as session:
        system = get_system(session, system_id)
        facts = facts_at(session, system_id, version=system.version)
    profile = stored_profile(svc.pack, system.name, facts)
    profile.description = system.description
    return profile


def assessed(pack: Pack, profile: Profile, as_of: dt.date, field: str) -> Assessment:
    """The assessment; `field` names where the date came from ("query.as_of": a system, "body.as_of": a posted
    profile, whose contradictions are then the body's, not stored answers)."""
    stored = field.startswith("query.")
    with dated(field, "answers" if stored else "body.profile", 409 if stored else 422):
        return assess(pack, profile, as_of)


def questions_json(pack: Pack, profile: Profile, as_of: dt.date, field: str) -> dict[str, Any]:
    """The ranked open questions of a profile on a date, with the date and the pack revision they hold for."""
    assessment = assessed(pack, profile, as_of, field)
    with dated(field):
        ranking = rank_questions(pack, assessment)
    return {"as_of": as_of.isoformat(), "revision": pack.revision, **ranking_json(ranking)}


def comparison(pack: Pack, profile: Profile, as_of: dt.date, field: str, include_unknown: bool = False) -> Comparison:
    """What `regatlas compare` computes for the profile (every instrument its places reach)."""
    return compare(assessed(pack, profile, as_of, field), pack.vocabularies, include_unknown)


def report_bytes(pack: Pack, profile: Profile, as_of: dt.date, form: str, map_instrument: str) -> bytes:
    """The document `regatlas report` writes for the profile: its HTML, or the PDF made from it."""
    from ..compare.landscape import landscape
    from ..report.html import render_html

    if map_instrument not in pack.instruments:
        error = FieldError(field="query.map", message=f"unknown instrument '{map_instrument}'")
        raise ApiProblem(422, "the map's instrument is not in the pack", [error])
    compared = comparison(pack, profile, as_of, "query.as_of")
    with dated("query.as_of"):
        document = render_html(pack, compared, landscape(pack, as_of), map_instrument)
    if form == "html":
        return document.encode("utf-8")
    return _pdf(document)


def _pdf(document: str) -> bytes:
    """The PDF through the CLI's writer (which names what is missing when WeasyPrint cannot run), read back."""
    from ..report.html import write_pdf

    with tempfile.TemporaryDirectory(prefix="regatlas-report-") as folder:
        target = Path(folder) / "report.pdf"
        try:
            write_pdf(document, target)
        except RegatlasError as exc:  # WeasyPrint or Pango missing on this server
            error = FieldError(field="query.format", message="PDF is not available on this server")
            raise ApiProblem(503, exc.problems[0].message, [error]) from None
        return target.read_bytes()


def attachment_name(system_name: str, system_id: int, as_of: dt.date, form: str) -> str:
    """A file name safe in a Content-Disposition header and on any file system: letters, digits, '-', '.'."""
    stem = re.sub(r"[^A-Za-z0-9]+", "-", system_name).strip("-")[:60] or "system"
    return f"regatlas-{system_id}-{stem}-{as_of.isoformat()}.{form}"
