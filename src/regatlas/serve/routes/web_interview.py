"""The browser interview of one system (issue 12): one question at a time, the most useful next one, with the
assessment beside it updating as answers come in.

Answers are stored through the API's own answer route (routes/answers.py): the same checks, one event per fact with
the justification "interview", the same audit entry, and the ETag the page was drawn from as If-Match (someone
else's answer in between is a 412: the page comes back with the current state). Editors and admins only: a viewer
or an auditor gets the 403 page for both the page and its form. Every POST carries the CSRF token (the router's
dependency). With htmx the form swaps only the interview's part of the page; without it, POST then redirect.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import RedirectResponse

from ...engine.interview import answered, parse_posted
from ...errors import ProfileError
from ..analysis import system_profile
from ..auth import WRITE, Principal, require
from ..context import Service, service
from ..problems import ApiProblem, FieldError
from ..schemas import AnswersIn
from ..web.interview_view import State, interview_page, read_state
from ..web.pages import SECURITY_HEADERS, WebRoute, render
from ..web.session import csrf_protected
from .answers import answer

router = APIRouter(include_in_schema=False, route_class=WebRoute, dependencies=[Depends(csrf_protected)])
Writer = Annotated[Principal, Depends(require(WRITE))]
Svc = Annotated[Service, Depends(service)]
SystemId = Annotated[int, Path(ge=1, le=2**63 - 1)]
Ids = Annotated[str, Query(max_length=60000, description="Fact ids separated by commas.")]
JUSTIFICATION = "interview"
EMPTY_ANSWER = "choose or type an answer, or press I don't know"


def _page(request: Request, svc: Service, system_id: int, state: State, status: int = 200, **more) -> Response:
    """The whole page, or for an htmx request only the interview's part (its address pushed to the history)."""
    context = interview_page(svc, system_id, dt.date.today(), state, **more)
    if request.headers.get("HX-Request") == "true":
        pushed = {"HX-Push-Url": context["self_url"]}
        return render(request, "interview_part.html", status=status, headers=pushed, **context)
    return render(request, "interview.html", status=status, **context)


@router.get("/ui/systems/{system_id}/interview")
def interview(
    request: Request,
    system_id: SystemId,
    _: Writer,
    svc: Svc,
    skipped: Ids = "",
    trail: Ids = "",
    fact: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """The next question (or `fact`, asked again), its reasons, and the assessment so far."""
    return _page(request, svc, system_id, read_state(svc.pack, skipped, trail, fact, "query"))


@router.post("/ui/systems/{system_id}/interview")
async def answer_from_form(request: Request, system_id: SystemId, who: Writer, svc: Svc) -> Response:
    """Record the answer (or "I don't know") and go on to the next question."""
    form = await request.form()
    text = {name: str(form.get(name, ""))[:60000] for name in ("skipped", "trail", "fact", "action", "etag")}
    state = read_state(svc.pack, text["skipped"], text["trail"], text["fact"], "body")
    if state.fact is None:
        raise ApiProblem(
            422, "the form names no question", [FieldError(field="body.fact", message="a fact id is required")]
        )
    fact_id, values = state.fact, [str(v) for v in form.getlist("value")]
    if text["action"] == "unknown":
        # I don't know: not asked again in this interview; an answer given before is withdrawn (unknown again)
        answers = {fact_id: None} if fact_id in system_profile(svc, system_id).facts else {}
        skipped = (*state.skipped, fact_id)
    else:
        refusal = _refusal(svc, system_id, fact_id, values)
        if refusal:
            return _page(request, svc, system_id, state, 422, errors=refusal, typed=values)
        answers = {fact_id: parse_posted(svc.pack.vocabulary[fact_id], values)}
        skipped = tuple(f for f in state.skipped if f != fact_id)
    if answers:
        body = AnswersIn(answers=answers, justification=JUSTIFICATION)
        try:
            answer(system_id, body, who, svc, Response(), if_match=text["etag"] or None)
        except ApiProblem as exc:
            if exc.status not in (409, 412, 428):
                raise
            message = f"{exc.detail}: the question is shown again with the system as it is now"
            return _page(request, svc, system_id, state, exc.status, errors=[message], typed=values)
    following = State(skipped, (*state.trail, fact_id))
    return RedirectResponse(following.url(system_id), status_code=303, headers=SECURITY_HEADERS)


def _refusal(svc: Service, system_id: int, fact_id: str, values: list[str]) -> list[str]:
    """Why the vocabulary refuses the answer, in words (nothing when it is accepted), checked with the profile so
    far on today's date (a yes/no fact must agree with the places it follows from)."""
    fact = svc.pack.vocabulary[fact_id]
    if fact.type != "set" and not "".join(values).strip():
        return [EMPTY_ANSWER]
    try:
        answered(svc.pack, system_profile(svc, system_id), fact_id, parse_posted(fact, values), dt.date.today())
    except ProfileError as exc:
        out = []
        for problem in exc.problems:
            problem.file, problem.line, problem.path = None, None, None  # the field is on screen: no path to name
            out.append(problem.render())
        return out
    return []
