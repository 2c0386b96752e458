"""The OpenAPI schema at /api/schema/ says what the API really answers: schemathesis generates requests
for every operation from the schema and checks, against a live server and as a province's staff with
an API token, that no answer is a 5xx and every answer matches its declared schema and content type.

A bounded run (eight examples per operation, valid data only, fixed seed) so it fits in CI; each detail
operation is pointed at a record that exists, so its serializer really runs."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from accounts.enums import Role
from accounts.services import api_token_issue
from evaluations.models import Assignment, Result
from products.models import Certificate, Product
from tests.evaluations.factories import MembershipFactory, RoundEntryFactory, RoundFactory, option_ids
from tests.factories import CommuneFactory, user_with_role
from tests.products.factories import closed_round, province_with_committee, published_decision
from tests.reports.factories import ReportRunFactory

ROOT = Path(__file__).resolve().parent.parent
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance"


@pytest.fixture
def world(transactional_db, settings):
    """A province's staff with an API token, a closed round with a 4★ and a 3★ result, the decision that
    recognised them (OCOP products and certificates), a member assigned, and a report run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    province = province_with_committee()
    commune = CommuneFactory(parent=province)
    staff = user_with_role(Role.PROVINCE_STAFF, province)
    round_ = closed_round(province, [4, 3], commune=commune)
    published_decision(round_, staff)
    result = Result.objects.filter(round=round_).select_related("dossier__producer").first()
    assignment = Assignment.objects.create(round=round_, dossier=result.dossier,
                                           member=MembershipFactory(council=round_.council))
    ids = {
        "GET /api/dossiers/{id}/": result.dossier.pk,
        "GET /api/producers/{id}/": result.dossier.producer.pk,
        "GET /api/evaluations/rounds/{id}/": round_.pk,
        "GET /api/evaluations/results/{id}/": result.pk,
        "GET /api/evaluations/rubrics/{id}/": result.rubric_id,
        "GET /api/evaluations/assignments/{id}/": assignment.pk,
        "GET /api/products/products/{id}/": Product.objects.latest("pk").pk,
        "GET /api/products/certificates/{id}/": Certificate.objects.latest("pk").pk,
        "GET /api/report-runs/{id}/": ReportRunFactory(province=province, requested_by=staff).pk,
    }
    return api_token_issue(user=staff).key, ids


@pytest.fixture
def member(transactional_db, settings):
    """A council member with a draft score sheet in a round that is scoring (score sheets are their own)."""
    from evaluations import services

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    membership = MembershipFactory()
    entry = RoundEntryFactory(round=RoundFactory(council=membership.council))
    Assignment.objects.create(round=entry.round, dossier=entry.dossier, member=membership)
    sheet = services.score_sheet_save(entry=entry, by=membership.user, choices=option_ids(entry.rubric, {"1.1": 25}))
    return api_token_issue(user=membership.user).key, {"GET /api/evaluations/score-sheets/{id}/": sheet.pk}


def schemathesis(url, token, ids, config, *extra):
    config.write_text("".join(
        f'[[operations]]\ninclude-name = "{name}"\nparameters = {{ id = {pk} }}\n\n' for name, pk in ids.items()
    ))
    return subprocess.run(
        [str(SCHEMATHESIS), "--no-color", "--config-file", str(config), "run", f"{url}/api/schema/",
         "--header", f"Authorization: Token {token}", "--checks", CHECKS, "--mode", "positive",
         "--phases", "examples,fuzzing", "--max-examples", "8", "--workers", "1", "--seed", "2026",
         "--request-timeout", "30", *extra],
        capture_output=True, text=True, timeout=600, cwd=ROOT, env={**os.environ, "NO_COLOR": "1"},
    )


def test_schemathesis_finds_no_server_error_and_no_schema_violation(live_server, world, tmp_path):
    token, ids = world

    run = schemathesis(live_server.url, token, ids, tmp_path / "schemathesis.toml")

    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]
    assert "Tested: 23" in run.stdout  # every operation of the schema
    warnings = run.stdout.partition("SUMMARY")[0]
    assert [name for name in ids if name in warnings] == []  # each detail operation reached its record


def test_a_council_members_score_sheets_answer_as_the_schema_says(live_server, member, tmp_path):
    token, ids = member

    run = schemathesis(live_server.url, token, ids, tmp_path / "schemathesis.toml", "--include-path-regex",
                       "score-sheets")

    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]
    assert "Tested: 3" in run.stdout
    assert "GET /api/evaluations/score-sheets/{id}/" not in run.stdout.partition("SUMMARY")[0]
