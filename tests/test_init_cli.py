"""`regatlas init` driven through its standard input in a subprocess, as a person would answer it: each question is
read from the prompt and answered from a bundled example file (or "I don't know" where the file is silent). The
profile it writes must be valid and assess, with `regatlas assess -f json`, exactly as the same answers do."""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
from pathlib import Path

import yaml

from regatlas.engine.interview import answer_words
from regatlas.facts.profile import encode_value, load_profile
from regatlas.rules.pack import Pack

ROOT = Path(__file__).resolve().parents[1]
DAY = "2026-12-02"
FACT = re.compile(r"\[([a-z_]+\.[a-z0-9_]+)\]")
REGATLAS = [sys.executable, "-m", "regatlas"]


class Dialogue:
    """`regatlas init` in a subprocess: read up to each prompt, type a line."""

    def __init__(self, *args: str, cwd: Path):
        self.process = subprocess.Popen(
            [*REGATLAS, "init", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
        )
        self.transcript = ""

    def until_prompt(self) -> str | None:
        """The output up to the next prompt ("... > "); None when the command ended instead."""
        assert self.process.stdout is not None
        chunk = b""
        while not chunk.decode(errors="replace").endswith("> "):
            ready, _, _ = select.select([self.process.stdout], [], [], 120)
            assert ready, f"no prompt within 120 s:\n{self.transcript}{chunk.decode(errors='replace')}"
            data = os.read(self.process.stdout.fileno(), 65536)
            if not data:
                self.transcript += chunk.decode()
                return None
            chunk += data
        self.transcript += chunk.decode()
        return chunk.decode()

    def say(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write((line + "\n").encode())
        self.process.stdin.flush()

    def end(self) -> tuple[int, str]:
        """Close the input (EOF) and wait; the exit code and the rest of the output."""
        out, err = self.process.communicate(timeout=120)
        self.transcript += out.decode()
        return self.process.returncode, err.decode()


def _typed(value: object) -> str:
    """An example's value as a person types it: yes or no, lists with commas (none), numbers and dates as written."""
    return answer_words(value)


def _assess_json(path: Path) -> dict:
    """The CLI's assessment JSON, without the one thing two files of the same facts differ in: their path."""
    command = [*REGATLAS, "assess", str(path), "-f", "json", "--as-of", DAY]
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["profile"].pop("source") == str(path)
    return result


def test_an_interview_answered_from_an_example_writes_the_profile_of_those_answers(pack: Pack, tmp_path: Path) -> None:
    example = load_profile(ROOT / "examples" / "customer-service-chatbot.yaml", pack.vocabulary)
    target = tmp_path / "chatbot.yaml"
    talk = Dialogue(str(target), "--as-of", DAY, "--name", example.name, cwd=tmp_path)
    asked, answers = [], {}
    while (text := talk.until_prompt()) is not None:
        fact_id = FACT.findall(text)[-1]
        asked.append(fact_id)
        if fact_id in example.facts:
            answers[fact_id] = encode_value(example.facts[fact_id])
            talk.say(_typed(example.facts[fact_id]))
        else:
            talk.say("dk")
    code, err = talk.end()
    assert code == 0, err
    assert "nothing left to ask" in talk.transcript and "Verdict as of 2026-12-02" in talk.transcript
    assert len(asked) == len(set(asked)) and len(asked) <= len(example.facts)
    written = load_profile(target, pack.vocabulary)
    assert written.facts == {k: example.facts[k] for k in answers}
    expected = tmp_path / "expected.json"
    expected.write_text(json.dumps({"name": example.name, **answers}))
    assert _assess_json(target) == _assess_json(expected)
    done = subprocess.run([*REGATLAS, "validate", str(target)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_resume_why_bad_input_back_dont_know_and_end_of_input(pack: Pack, tmp_path: Path) -> None:
    example = load_profile(ROOT / "examples" / "cv-screening.yaml", pack.vocabulary)
    places: dict[str, dict] = {}
    for fact_id in ("territory.offered_in", "territory.used_in", "territory.output_used_in", "operator.established_in"):
        group, name = fact_id.split(".")
        places.setdefault(group, {})[name] = sorted(example.facts[fact_id])
    target = tmp_path / "cv.yaml"
    target.write_text(yaml.safe_dump({"name": "CV screening", **places}))
    talk = Dialogue(str(target), "--as-of", DAY, cwd=tmp_path)
    first = FACT.findall(talk.until_prompt() or "")[-1]
    assert "resuming" in talk.transcript and not first.startswith("territory.")  # only what is still open
    talk.say("?")
    assert "why: of the questions still open, this one settles" in (talk.until_prompt() or "")
    talk.say("perhaps, or not")
    refused = talk.until_prompt() or ""
    assert "not accepted" in refused and "allowed:" in refused and FACT.findall(talk.transcript)[-1] == first
    talk.say(_typed(example.facts[first]))
    second = FACT.findall(talk.until_prompt() or "")[-1]
    talk.say("back")
    assert f"undone: {first}" in (talk.until_prompt() or "") and FACT.findall(talk.transcript)[-1] == first
    talk.say(_typed(example.facts[first]))
    assert FACT.findall(talk.until_prompt() or "")[-1] == second
    talk.say("")  # I don't know
    third = FACT.findall(talk.until_prompt() or "")[-1]
    assert third != second
    code, err = talk.end()  # the input ends here
    assert code == 0 and "Traceback" not in err, err
    written = load_profile(target, pack.vocabulary)
    assert written.name == "CV screening" and written.facts[first] == example.facts[first]
    assert second not in written.facts and third not in written.facts
    assert all(written.facts[p] == example.facts[p] for p in ("territory.offered_in", "operator.established_in"))


def test_a_path_that_cannot_be_written_is_refused_before_any_question(tmp_path: Path) -> None:
    done = subprocess.run(
        [*REGATLAS, "init", str(tmp_path), "--as-of", DAY], input="", capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 2 and "not a regular file" in done.stderr and "Traceback" not in done.stderr
    assert "?" not in done.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("system: {is_ai_system: perhaps}\n")
    done = subprocess.run([*REGATLAS, "init", str(bad)], input="", capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 2 and "system.is_ai_system" in done.stderr and "expected true or false" in done.stderr
