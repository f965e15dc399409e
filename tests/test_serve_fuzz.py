"""Schema-driven fuzzing of every endpoint (schemathesis, from the app's OpenAPI document, in process): no 5xx,
and every response matches the document (status codes, content types, bodies). A fixed budget per operation
(REGATLAS_FUZZ_API_EXAMPLES, default 15) keeps CI's time bounded; raise it to search longer."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from regatlas.serve.app import create_app, first_admin_token
from regatlas.serve.db import Database

EXAMPLES = int(os.environ.get("REGATLAS_FUZZ_API_EXAMPLES", "15"))

_folder = Path(tempfile.mkdtemp(prefix="regatlas-fuzz-"))
atexit.register(shutil.rmtree, _folder, ignore_errors=True)
_database = Database(f"sqlite:///{_folder / 'fuzz.db'}")
_database.migrate()
TOKEN = first_admin_token(_database)
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(_database))


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_every_endpoint_answers_as_documented(case: schemathesis.Case) -> None:
    # Not checked: that every schema-valid request is accepted. Facts and codes are checked against the
    # vocabulary and the jurisdiction registry, which a JSON schema does not hold (an answer `"XX"` for a place).
    # Nor that every schema-violating request is refused: a negative case that leaves out the Authorization
    # header is made valid again by the token added here, which the check then reports as accepted (seen in CI).
    # Refusals are asserted directly instead (tests/test_serve_api.py: unknown query parameters, bad bodies, ids;
    # tests/test_serve_auth.py: every route without a token). derandomize: CI sees the same cases every run.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {TOKEN}"},
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
    )
