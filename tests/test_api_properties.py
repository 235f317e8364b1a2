"""The API tried from its own OpenAPI document: whatever a caller sends, no server error, and
every answer has the shape the document declares.

Schemathesis reads `/api/v1/openapi.json` from the app and generates requests for every
operation (valid and invalid bodies, huge integers, odd text in strings), as an admin (who
may do everything) and as a county officer (whose area and role refuse much of it). A
bounded number of examples per operation keeps this well under a minute per database.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from .api import account, agency, employer
from .conftest import make_app

MAX_EXAMPLES = 6  # per operation; about 30 s of CPU per database


@pytest.fixture
def callers(app):
    """The Authorization headers of an admin and of Yongde's officer, and a little data."""
    employer(app)
    agency(app, "永德劳务", "YD-001")
    return {"admin": account(app, "admin", "admin"),
            "officer": account(app, "officer", "officer", area="yongde")}


def _document():
    """The document the app serves (a throwaway app: only its routes are read)."""
    app = make_app("sqlite://", "redis://127.0.0.1:1/0")
    return app.test_client().get("/api/v1/openapi.json").json


# Loaded when the module is, so that each operation is a test of its own (schemathesis'
# lazy `from_fixture` does not run on pytest 9).
schema = schemathesis.openapi.from_dict(_document())


def _check(case, app, headers):
    response = case.call(app=app, base_url="http://localhost/api/v1", headers=headers)
    case.validate_response(response, checks=[not_a_server_error, status_code_conformance,
                                             response_schema_conformance])


# No shrinking: a failure is reported as found (schemathesis prints a curl to reproduce it).
BOUNDED = settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
                   phases=[Phase.explicit, Phase.generate],
                   suppress_health_check=list(HealthCheck))


@schema.parametrize()
@BOUNDED
def test_no_request_gets_a_server_error_and_every_answer_is_as_documented(case, app, callers):
    """The same request as an admin and as an officer."""
    for headers in callers.values():
        _check(case, app, headers)
