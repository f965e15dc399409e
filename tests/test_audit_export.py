"""`regatlas audit export` and `audit verify-export` (SQLite always, PostgreSQL when reachable): the export is
the stored entries as canonical JSON lines with an Ed25519-signed checkpoint; any changed byte is named by its
line; a log broken in the database is never signed; a file signed by another key is refused."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from serve_fixtures import Api
from sqlalchemy import text

from regatlas.serve import signing
from regatlas.serve.audit import GENESIS, canonical, entry_hash
from regatlas.serve.export import FORMAT, verify_export

pytest_plugins = ("serve_fixtures",)


def _cli(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "regatlas", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, env={**os.environ, **(env or {})})


def _url(api: Api) -> str:
    return api.database.engine.url.render_as_string(hide_password=False)


def _some_writes(api: Api) -> None:
    """A few entries of different kinds, with text canonical JSON must escape (a control character, accents)."""
    api.client.post("/v1/models", json={"name": "modèle\u0001"}, headers=api.headers())
    created = api.create_system(name="Tri des CV", description='ligne 1\nligne 2 "citée"')
    body = {"answers": {"system.is_ai_system": True}, "justification": "a model trained on data"}
    api.client.post(
        f"/v1/systems/{created.json()['id']}/answers",
        json=body,
        headers=api.headers(**{"If-Match": created.headers["ETag"]}),
    )
    api.token("auditor")


def _export(api: Api, tmp_path: Path, name: str = "audit.jsonl", key: str = "key.pem") -> Path:
    out = tmp_path / name
    done = _cli("audit", "export", "--db", _url(api), "-o", out, "--key", tmp_path / key, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def test_export_holds_the_stored_entries_and_verifies(api: Api, tmp_path: Path) -> None:
    _some_writes(api)
    out = _export(api, tmp_path)
    key, public = tmp_path / "key.pem", tmp_path / "key.pub.pem"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and public.exists()
    lines = out.read_bytes().splitlines()
    stored = api.client.get("/v1/audit", params={"limit": 500}, headers=api.headers()).json()["items"]
    assert [json.loads(line) for line in lines[:-1]] == stored  # exactly the stored entries, with their hashes
    assert all(line == canonical(json.loads(line)).encode() for line in lines)  # each line canonical JSON
    checkpoint = json.loads(lines[-1])["checkpoint"]
    assert checkpoint["format"] == FORMAT and checkpoint["entries"] == len(stored) == 5
    assert (checkpoint["last_seq"], checkpoint["last_hash"]) == (stored[-1]["seq"], stored[-1]["hash"])
    assert checkpoint["public_key"] == signing.raw_public(signing.load_public(public, "--public-key"))
    done = _cli("audit", "verify-export", out, "--public-key", public, cwd=tmp_path)
    assert done.returncode == 0 and "export intact: 5 entries" in done.stdout, done.stdout + done.stderr
    with api.database.read() as session:  # the key is the operator's: nothing of it is in the database
        dump = json.dumps([list(row) for row in session.execute(text("SELECT * FROM audit_log")).all()])
    assert checkpoint["public_key"] not in dump and "PRIVATE KEY" not in dump


def test_every_changed_byte_is_caught_and_its_line_named(api: Api, tmp_path: Path) -> None:
    _some_writes(api)
    original = _export(api, tmp_path).read_bytes()
    line_of = [original[:i].count(b"\n") + 1 for i in range(len(original))]
    changed = tmp_path / "changed.jsonl"
    for position in range(len(original)):
        data = bytearray(original)
        data[position] ^= 0x01
        changed.write_bytes(bytes(data))
        verdict = verify_export(changed)
        assert not verdict.ok and verdict.broken_line == line_of[position], (position, verdict)


def _flip(path: Path, line_number: int, old: bytes, new: bytes) -> None:
    lines = path.read_bytes().split(b"\n")
    assert old in lines[line_number - 1]
    lines[line_number - 1] = lines[line_number - 1].replace(old, new, 1)
    path.write_bytes(b"\n".join(lines))


def test_verify_export_names_a_changed_entry_or_signature(api: Api, tmp_path: Path) -> None:
    _some_writes(api)
    out = _export(api, tmp_path)
    _flip(out, 3, b"Tri des CV", b"Tri des CW")
    done = _cli("audit", "verify-export", out, cwd=tmp_path)
    assert done.returncode == 6 and "broken at line 3" in done.stdout and "changed" in done.stdout
    out = _export(api, tmp_path, "again.jsonl")
    lines = out.read_bytes().split(b"\n")
    signature = json.loads(lines[-2])["checkpoint"]["signature"].encode()
    forged = b"B" if signature[10:11] == b"A" else b"A"  # another base64 character
    _flip(out, len(lines) - 1, signature, signature[:10] + forged + signature[11:])
    done = _cli("audit", "verify-export", out, cwd=tmp_path)
    assert done.returncode == 6 and f"broken at line {len(lines) - 1}" in done.stdout and "signature" in done.stdout
    cut = _export(api, tmp_path, "cut.jsonl")
    cut.write_bytes(b"\n".join(cut.read_bytes().split(b"\n")[:-2]) + b"\n")  # the checkpoint line removed
    done = _cli("audit", "verify-export", cut, cwd=tmp_path)
    assert done.returncode == 6 and "no checkpoint" in done.stdout


def _resign(path: Path, forger: Path) -> None:
    """What someone who can edit the file but lacks the key can do: change an entry, recompute the whole chain
    and sign a new checkpoint with a key of their own."""
    entries = [json.loads(line) for line in path.read_bytes().splitlines()[:-1]]
    entries[1]["actor"] = "someone else"
    prev = GENESIS
    for entry in entries:
        fields = [entry[name] for name in ("seq", "at", "actor", "action", "target")]
        entry["prev_hash"], entry["hash"] = prev, entry_hash(*fields, canonical(entry["data"]), prev)
        prev = entry["hash"]
    key = signing.generate()
    forger.write_bytes(signing.public_pem(key.public_key()))
    body = {
        "format": FORMAT,
        "entries": len(entries),
        "last_seq": entries[-1]["seq"],
        "last_hash": prev,
        "exported_at": "2026-12-02T00:00:00.000000Z",
        "algorithm": "Ed25519",
        "public_key": signing.raw_public(key.public_key()),
    }
    checkpoint = {**body, "signature": signing.sign(key, canonical(body).encode())}
    lines = [canonical(entry) for entry in entries] + [canonical({"checkpoint": checkpoint})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_file_signed_by_another_key_is_refused(api: Api, tmp_path: Path) -> None:
    _some_writes(api)
    out = _export(api, tmp_path)
    _export(api, tmp_path, "other.jsonl", key="other.pem")
    wrong = _cli("audit", "verify-export", out, "--public-key", tmp_path / "other.pub.pem", cwd=tmp_path)
    assert wrong.returncode == 6 and "not the expected" in wrong.stdout
    _resign(out, tmp_path / "forger.pub.pem")
    sound = _cli("audit", "verify-export", out, cwd=tmp_path)  # a consistent file, signed: but by whom?
    assert sound.returncode == 0 and "was not checked" in sound.stdout
    refused = _cli("audit", "verify-export", out, "--public-key", tmp_path / "key.pub.pem", cwd=tmp_path)
    lines = len(out.read_bytes().splitlines())
    assert (
        refused.returncode == 6 and f"broken at line {lines}" in refused.stdout and "not the expected" in refused.stdout
    )


def test_a_log_broken_in_the_database_is_not_exported(api: Api, tmp_path: Path) -> None:
    _some_writes(api)
    with api.database.engine.begin() as connection:  # only someone who may drop the guard can do this
        if api.database.is_sqlite:
            connection.execute(text("DROP TRIGGER audit_log_no_update"))
        else:
            connection.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        connection.execute(text("UPDATE audit_log SET actor = 'someone else' WHERE seq = 3"))
    out = tmp_path / "audit.jsonl"
    done = _cli("audit", "export", "--db", _url(api), "-o", out, "--key", tmp_path / "key.pem", cwd=tmp_path)
    assert done.returncode == 6 and "broken at entry 3" in done.stdout and "nothing was exported" in done.stdout
    assert not out.exists() and not (tmp_path / "key.pem").exists()  # all or nothing: not even the new key


def test_the_default_key_is_made_once_in_the_configuration_folder(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    from regatlas.serve.app import first_admin_token
    from regatlas.serve.db import Database

    database = Database(url)
    database.migrate()
    first_admin_token(database)
    database.dispose()
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    first = _cli("audit", "export", "--db", url, "-o", tmp_path / "a.jsonl", cwd=tmp_path, env=env)
    key = tmp_path / "config" / "regatlas" / "audit-signing-key.pem"
    assert first.returncode == 0 and f"created {key}" in first.stdout, first.stdout + first.stderr
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    second = _cli("audit", "export", "--db", url, "-o", tmp_path / "b.jsonl", cwd=tmp_path, env=env)
    assert second.returncode == 0 and "created" not in second.stdout
    keys = [
        json.loads((tmp_path / f"{n}.jsonl").read_bytes().splitlines()[-1])["checkpoint"]["public_key"] for n in "ab"
    ]
    assert keys[0] == keys[1]  # the same key signs both


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("audit", "verify-export", "missing.jsonl"), "FILE"),
        (("audit", "verify-export", "x.jsonl", "--public-key", "x.jsonl"), "--public-key"),
        (("audit", "export", "--db", "sqlite:///missing.db", "-o", "out.jsonl"), "--db"),
        (("audit", "export", "--db", "sqlite:///r.db", "-o", "out.jsonl", "--key", "x.jsonl"), "--key"),
        (("audit", "export", "--db", "sqlite:///r.db", "-o", "no/such/folder/out.jsonl"), "--output"),
    ],
)
def test_unusable_options_exit_2_naming_them(tmp_path: Path, args: tuple[str, ...], option: str) -> None:
    (tmp_path / "x.jsonl").write_text("not a key\n")
    from regatlas.serve.db import Database

    Database(f"sqlite:///{tmp_path / 'r.db'}").migrate()
    done = _cli(*args, cwd=tmp_path, env={"XDG_CONFIG_HOME": str(tmp_path / "config")})
    assert done.returncode == 2 and option in done.stderr and "Traceback" not in done.stderr, done.stderr
