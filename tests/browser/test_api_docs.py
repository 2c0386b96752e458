"""The API documentation page works under a strict Content-Security-Policy (no 'unsafe-inline' for
scripts or styles): Swagger UI renders the portal's operations from /api/schema/, and a signed-in
user runs one with their session, with no policy violation reported by the browser.

The policy is added to the page's response in the browser (a Playwright route), so this holds whatever
the portal's own CSP middleware sends, and cannot be loosened by it."""
from pathlib import Path

import pytest
from django.utils.csp import CSP, build_policy
from playwright.sync_api import expect

from accounts.enums import Role
from tests.factories import ProvinceFactory, user_with_role

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
STRICT = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],  # Swagger UI's icons; ocop_portal.api_docs adds it to the portal's policy
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}


def with_strict_policy(route):
    response = route.fetch()
    route.fulfill(response=response, headers={**response.headers, "content-security-policy": build_policy(STRICT)})


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_swagger_ui_renders_and_runs_an_operation_under_a_strict_policy(live_server, page, context):
    staff = user_with_role(Role.PROVINCE_STAFF, ProvinceFactory())
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.on("pageerror", lambda exc: violations.append(str(exc)))
    from django.test import Client

    session = Client()
    session.force_login(staff)
    context.add_cookies([{"name": "sessionid", "value": session.cookies["sessionid"].value, "url": live_server.url}])

    page.route(lambda url: url.endswith("/api/docs/"), with_strict_policy)

    response = page.goto(f"{live_server.url}/api/docs/")
    assert response.headers["content-security-policy"].startswith("default-src 'self'; script-src 'self'; style-src 'self'")
    reports = page.locator("#operations-reports-reports_list")
    expect(reports).to_be_visible(timeout=30_000)
    expect(page.locator(".opblock")).to_have_count(24)  # every operation, and the schema itself

    reports.locator(".opblock-summary").click()
    reports.get_by_role("button", name="Try it out").click()
    reports.get_by_role("button", name="Execute").click()
    expect(reports.locator(".live-responses-table tbody .response-col_status")).to_have_text("200", timeout=15_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "api-docs.png"), full_page=True)

    assert violations == []
