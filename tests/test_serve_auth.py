"""Auth: every route but /health, /ready and the OpenAPI document refuses without a live token, and each
refuses the roles it does not allow. The routes come from the OpenAPI document, and each must be classified in
ALLOWED below, so a new route cannot slip through unchecked."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import httpx
from serve_fixtures import Api, Server

pytest_plugins = ("serve_fixtures",)

ROLES = ("viewer", "editor", "admin", "auditor")
READ = {"viewer", "editor", "admin", "auditor"}
WRITE = {"editor", "admin"}
ADMIN = {"admin"}
AUDIT = {"auditor", "admin"}
PUBLIC = {("GET", "/health"), ("GET", "/ready")}
ALLOWED = {
    ("GET", "/v1/systems/{system_id}/status"): READ,
    ("GET", "/v1/systems/{system_id}/transitions"): READ,
    ("GET", "/v1/transitions"): READ,
    ("POST", "/v1/reassess"): ADMIN,
    ("GET", "/v1/systems/{system_id}/calendar"): READ,
    ("GET", "/v1/systems/{system_id}/calendar.ics"): READ,
    ("GET", "/v1/systems/{system_id}/assessment"): READ,
    ("GET", "/v1/systems/{system_id}/diff"): READ,
    ("POST", "/v1/models"): WRITE,
    ("GET", "/v1/models"): READ,
    ("GET", "/v1/models/{model_id}"): READ,
    ("PATCH", "/v1/models/{model_id}"): WRITE,
    ("POST", "/v1/models/{model_id}/archive"): WRITE,
    ("GET", "/v1/models/{model_id}/systems"): READ,
    ("POST", "/v1/vendors"): WRITE,
    ("GET", "/v1/vendors"): READ,
    ("GET", "/v1/vendors/{vendor_id}"): READ,
    ("PATCH", "/v1/vendors/{vendor_id}"): WRITE,
    ("POST", "/v1/vendors/{vendor_id}/archive"): WRITE,
    ("GET", "/v1/vendors/{vendor_id}/systems"): READ,
    ("GET", "/v1/vocabulary"): READ,
    ("GET", "/v1/vocabulary/{fact_id}"): READ,
    ("GET", "/v1/instruments"): READ,
    ("GET", "/v1/instruments/{instrument_id}"): READ,
    ("GET", "/v1/parties"): READ,
    ("GET", "/v1/jurisdictions/{code}"): READ,
    ("GET", "/v1/systems/{system_id}/questions"): READ,
    ("POST", "/v1/questions"): READ,
    ("GET", "/v1/systems/{system_id}/compare"): READ,
    ("GET", "/v1/systems/{system_id}/report"): READ,
    ("POST", "/v1/tokens"): ADMIN,
    ("GET", "/v1/tokens"): ADMIN,
    ("DELETE", "/v1/tokens/{token_id}"): ADMIN,
    ("GET", "/v1/audit"): AUDIT,
    ("GET", "/v1/audit/verify"): AUDIT,
    ("POST", "/v1/systems"): WRITE,
    ("GET", "/v1/systems"): READ,
    ("GET", "/v1/systems/{system_id}"): READ,
    ("PATCH", "/v1/systems/{system_id}"): WRITE,
    ("POST", "/v1/systems/{system_id}/archive"): WRITE,
    ("POST", "/v1/systems/{system_id}/answers"): WRITE,
    ("GET", "/v1/systems/{system_id}/answers"): READ,
    ("GET", "/v1/systems/{system_id}/profile"): READ,
    ("POST", "/v1/assess"): READ,
    ("POST", "/v1/systems/{system_id}/assessments"): WRITE,
    ("GET", "/v1/systems/{system_id}/assessments"): READ,
    ("GET", "/v1/systems/{system_id}/assessments/{record_id}"): READ,
}


def _routes(api: Api) -> set[tuple[str, str]]:
    paths = api.client.get("/openapi.json").json()["paths"]
    return {(method.upper(), path) for path, methods in paths.items() for method in methods}


def _call(api: Api, method: str, path: str, token: str | None, ids: dict[str, int | str]) -> httpx.Response:
    url = path.format(**ids)
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    body = {} if method in ("POST", "PATCH") else None
    return api.client.request(method, url, json=body, headers=headers)


def test_every_route_is_classified(api: Api) -> None:
    assert _routes(api) - PUBLIC == set(ALLOWED), "classify the new route in ALLOWED (tests/test_serve_auth.py)"


def test_every_route_refuses_a_missing_bad_revoked_or_underprivileged_token(api: Api) -> None:
    tokens = {role: api.token(role) for role in ROLES}
    issued = api.client.post("/v1/tokens", json={"role": "admin", "name": "revoked"}, headers=api.headers()).json()
    revoked = issued["token"]
    assert api.client.delete(f"/v1/tokens/{issued['id']}", headers=api.headers()).json()["revoked_at"]
    target = api.client.post("/v1/tokens", json={"role": "viewer", "name": "to revoke"}, headers=api.headers())
    ids = {"system_id": api.create_system().json()["id"], "token_id": target.json()["id"], "record_id": 1}
    ids |= {"fact_id": "system.is_ai_system", "instrument_id": "eu_ai_act", "code": "DE"}  # reference data
    ids |= {"model_id": 1, "vendor_id": 1}  # records (a missing one is a 404: past the role check)
    for method, path in sorted(ALLOWED):
        where = f"{method} {path}"
        for token in (None, "rga_not-a-token", "Basic x", revoked):
            response = _call(api, method, path, token, ids)
            assert response.status_code == 401, f"{where} with {token!r}: {response.status_code}"
            assert response.headers["content-type"] == "application/problem+json"
        for role in sorted(set(ROLES) - ALLOWED[(method, path)]):
            response = _call(api, method, path, tokens[role], ids)
            assert response.status_code == 403, f"{where} as {role}: {response.status_code}"
        for role in sorted(ALLOWED[(method, path)]):
            response = _call(api, method, path, tokens[role], ids)
            assert response.status_code not in (401, 403), f"{where} as {role}: {response.status_code}"
    for path in ("/health", "/ready", "/openapi.json"):
        assert api.client.get(path).status_code == 200


def test_revocation_takes_effect_at_once(api: Api) -> None:
    editor = api.token("editor")
    assert api.client.get("/v1/systems", headers=api.headers(editor)).status_code == 200
    listed = api.client.get("/v1/tokens", headers=api.headers()).json()["items"]
    token_id = next(t["id"] for t in listed if t["role"] == "editor")
    assert api.client.delete(f"/v1/tokens/{token_id}", headers=api.headers()).status_code == 200
    assert api.client.get("/v1/systems", headers=api.headers(editor)).status_code == 401


def test_a_viewer_cannot_write(api: Api) -> None:
    viewer = api.token("viewer")
    response = api.client.post("/v1/systems", json={"name": "x", "owner": "y"}, headers=api.headers(viewer))
    assert response.status_code == 403
    assert api.client.get("/v1/systems", headers=api.headers()).json()["total"] == 0


def test_tokens_are_never_in_the_database_or_the_log_in_clear(tmp_path: Path) -> None:
    server = Server(f"sqlite:///{tmp_path / 'r.db'}", tmp_path)
    try:
        issued = httpx.post(server.url + "/v1/tokens", json={"role": "editor", "name": "e"}, headers=server.headers())
        editor = issued.json()["token"]
        httpx.get(server.url + "/v1/systems", headers={"Authorization": f"Bearer {editor}"})
        httpx.get(server.url + "/v1/systems", headers={"Authorization": "Bearer rga_wrong"})
    finally:
        server.stop()
    log = [json.loads(line) for line in server.log.read_text().splitlines()]  # structured: one JSON object a line
    refused = {"method": "GET", "path": "/v1/systems", "status": 401}
    assert any(refused.items() <= entry.items() for entry in log)
    dump = "\n".join(sqlite3.connect(tmp_path / "r.db").iterdump())
    for secret in (server.admin, editor):
        assert secret not in dump
        assert secret[len("rga_") + 8 :] not in dump  # not even the part after the lookup prefix
        assert secret not in server.log.read_text()
