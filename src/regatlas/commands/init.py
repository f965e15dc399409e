"""`regatlas init [PROFILE]`: the guided interview in the terminal, writing a profile file as answers come in.

The questions, their order, the reasons given and the checks of each answer are the interview's
(engine/interview.py), shared with the browser; this module only prompts, prints and writes. The profile is
written (atomically, regatlas.outputs) after every answer, so an interrupted interview loses nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .common import out
from .options import AsOfOption, PackOption

if TYPE_CHECKING:
    from ..engine.assess import Assessment
    from ..engine.interview import Interview, Question, Step
    from ..facts.profile import Profile
    from ..facts.vocabulary import Fact
    from ..rules.pack import Pack

DONT_KNOW = ("", "dk", "unknown", "don't know", "i don't know")
COMMANDS = "? why am I asked · empty or dk: I don't know · back: undo the last answer · stop: end here"
REASONS_SHOWN = 12  # findings listed under "why am I asked" before "and N more"
VERDICTS_SHOWN = 6  # jurisdictions on the running verdict line before "and N more"


def init_cmd(
    profile: Annotated[
        Path,
        typer.Argument(help="The profile file to write; an existing one is resumed (only what is open is asked)."),
    ] = Path("profile.yaml"),
    as_of: AsOfOption = None,
    name: Annotated[
        str | None, typer.Option("--name", help="The system's name in a new profile (default: the file's name).")
    ] = None,
    pack_dir: PackOption = None,
) -> None:
    """Answer questions about an AI system, the most useful first, and write its profile as you go."""
    from ..engine.interview import Interview
    from ..outputs import check_target
    from .common import load, parse_as_of

    check_target(profile, "PROFILE")  # before any question: a path that cannot be written costs no answers
    date = parse_as_of(as_of)
    pack = load(pack_dir)
    run = Interview(pack, _start(pack, profile, name), date)
    try:
        final = _interview(run, profile)
    except KeyboardInterrupt:  # Ctrl-C while the next question is being chosen: keep what was answered
        final = None
    _save(run.profile, profile)
    if final is not None:
        _full_verdict(final.assessment)
    _say(f"\nprofile written to {profile}; assess it with: regatlas assess {profile} --as-of {date.isoformat()}")


def _start(pack: Pack, path: Path, name: str | None) -> Profile:
    """The profile to resume (the file, checked like any profile file) or a new, empty one."""
    from ..facts.profile import Profile, load_profile

    if path.exists():
        resumed = load_profile(path, pack.vocabulary)
        if name:
            resumed.name = name
        _say(f"resuming {path}: {len(resumed.facts)} facts answered; only what is still open is asked")
        return resumed
    return Profile(name=name or path.stem, facts={}, source=str(path))


def _interview(run: Interview, path: Path) -> Step:
    """Ask until nothing left settles anything, the user stops, or the input ends; the last step."""
    _say(f"Questions about {run.profile.name}, the most useful first ({COMMANDS}).")
    while True:
        current = run.step()
        _running_verdict(current)
        if current.question is None:
            _say("nothing left to ask that would settle an open finding")
            return current
        action = _ask(run, current.question)
        if action == "stop":
            return current
        _save(run.profile, path)


def _ask(run: Interview, question: Question) -> str:
    """Put one question until it gets an answer the vocabulary accepts; 'answered', 'skipped', 'back' or 'stop'."""
    from ..engine.interview import parse_typed
    from ..errors import ProfileError

    fact = question.fact
    _show_question(run.asked + 1, fact)
    while True:
        text = _read(f"{_expected(fact)} > ")
        if text is None:  # the input ended: stop cleanly, keeping what was answered
            _say("")
            return "stop"
        word = text.strip().lower()
        if word == "?":
            _why(question)
            continue
        if word in DONT_KNOW:
            run.skip(fact.id)
            return "skipped"
        if word == "back":
            undone = run.back()
            if undone is not None:
                _say(f"undone: {undone}")
                return "back"
            _say("nothing to undo yet")
            continue
        if word == "stop":
            return "stop"
        try:
            run.answer(fact.id, parse_typed(fact, text))
        except ProfileError as exc:
            for problem in exc.problems:
                problem.file, problem.line = None, None  # the answer was typed: no file or line to name
                _say(f"not accepted: {problem.render()}", "red")
            continue
        return "answered"


def _show_question(number: int, fact: Fact) -> None:
    from rich.text import Text

    from ..engine.interview import choices

    out.print(Text(f"\n{number}. {fact.question}", style="bold") + Text(f"  [{fact.id}]", style="dim"))
    if fact.help:
        out.print(Text(f"   {fact.help}", style="dim"))
    listed = choices(fact) if fact.type != "bool" else []
    for i, choice in enumerate(listed, 1):
        label = choice.value if choice.label == choice.value else f"{choice.value}: {choice.label}"
        out.print(Text(f"   {i}) {label}"))


def _expected(fact: Fact) -> str:
    """What to type, in a few words."""
    unit = f" in {fact.unit}" if fact.unit else ""
    return {
        "bool": "yes or no",
        "enum": "a number or a name",
        "set": "numbers or names separated by commas, or none",
        "date": "a date YYYY-MM-DD",
        "number": f"a number{unit}",
        "jurisdictions": "codes separated by commas (DE, US-CA, EU), or none",
    }[fact.type]


def _why(question: Question) -> None:
    from rich.text import Text

    out.print(Text(f"   why: {question.why()}", style="cyan"))
    for reason in question.reasons[:REASONS_SHOWN]:
        f = reason.finding
        outcomes = "; ".join(f"{state} if {answer}" for answer, state in reason.outcomes)
        out.print(Text(f"   - {f.citation} {f.title} ({reason.instrument}, {f.kind}): {outcomes}"))
    if len(question.reasons) > REASONS_SHOWN:
        out.print(Text(f"   ... and {len(question.reasons) - REASONS_SHOWN} more", style="dim"))


def _running_verdict(current: Step) -> None:
    """One short line: each jurisdiction's verdict so far, and how many findings are still open."""
    from rich.text import Text

    from ..report.verdict import verdict
    from ..report.verdict_text import label

    places = verdict(current.assessment).jurisdictions
    shown = ", ".join(f"{j.jurisdiction} {label(j)}" for j in places[:VERDICTS_SHOWN]) or "nothing reached yet"
    more = f" and {len(places) - VERDICTS_SHOWN} more places" if len(places) > VERDICTS_SHOWN else ""
    out.print(Text(f"verdict so far: {shown}{more}; {current.open_findings} findings open", style="green"))


def _full_verdict(assessment: Assessment) -> None:
    """The verdict per jurisdiction, in the words of `regatlas assess`."""
    from rich.text import Text

    from ..report.verdict import verdict
    from ..report.verdict_text import label, next_text, reason

    v = verdict(assessment)
    out.print(Text(f"\nVerdict as of {v.as_of.isoformat()}, per jurisdiction", style="bold"))
    if not v.jurisdictions:
        out.print(Text(" no law is assessed for this profile"))
    for j in v.jurisdictions:
        line = Text(f" {j.name} ({j.jurisdiction}): ") + Text(label(j).upper(), style="bold")
        line.append(f"\n    {reason(j)}")
        if when := next_text(j):
            line.append(f"\n    next change {when}", style="cyan")
        out.print(line)


def _save(profile: Profile, path: Path) -> None:
    """The profile file, all or nothing (regatlas.outputs)."""
    import yaml

    from ..engine.interview import profile_document
    from ..outputs import text_writer, write_files

    class Dumper(yaml.SafeDumper):
        """Groups as blocks, lists on one line ([DE, FR]), as the bundled examples are written."""

    Dumper.add_representer(list, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))
    body = yaml.dump(profile_document(profile), Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)
    text = "# written by regatlas init: the answers of the guided interview\n" + body
    write_files([(path, text_writer(text), "PROFILE")])


def _read(prompt: str) -> str | None:
    """A line of input after the prompt; None at the end of the input (EOF, Ctrl-D)."""
    import sys

    out.print(prompt, end="")
    out.file.flush()
    try:
        line = sys.stdin.readline()
    except KeyboardInterrupt:  # Ctrl-C ends the interview as "stop" does: what was answered is kept
        return None
    if line and not sys.stdin.isatty():
        out.print(line.rstrip("\n"), end="\n")  # answers piped in: show them, so the transcript reads as a dialogue
    return None if line == "" else line.rstrip("\n")


def _say(text: str, style: str = "") -> None:
    from rich.text import Text

    out.print(Text(text, style=style))


def register(app: typer.Typer) -> None:
    app.command("init")(init_cmd)
