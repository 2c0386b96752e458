"""/api/docs/: Swagger UI served from drf-spectacular-sidecar's static files (no CDN), with no inline
script or style, so it runs under the portal's Content-Security-Policy."""
import re

import pytest
from django.urls import reverse


@pytest.fixture
def page(client):
    response = client.get(reverse("api-docs"), REMOTE_ADDR="10.78.0.1")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_docs_page_loads_swagger_ui_from_our_own_static_files(page):
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)

    assert sources == [
        "/static/drf_spectacular_sidecar/swagger-ui-dist/favicon-32x32.png",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
        "/static/css/api_docs.css",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-standalone-preset.js",
        "/api/docs/?script=",
    ]


@pytest.mark.django_db
def test_the_docs_page_has_no_inline_script_or_style(page):
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert "<style" not in page and "style=" not in page


@pytest.mark.django_db
def test_the_start_script_is_a_javascript_file_pointing_at_the_schema(client):
    response = client.get(reverse("api-docs"), {"script": ""}, REMOTE_ADDR="10.78.0.2")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert 'url: "/api/schema/"' in response.content.decode()


def test_the_sidecar_files_exist_for_collectstatic():
    from django.contrib.staticfiles import finders

    for name in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css", "favicon-32x32.png"):
        assert finders.find(f"drf_spectacular_sidecar/swagger-ui-dist/{name}") is not None
    assert finders.find("css/api_docs.css") is not None


@pytest.mark.django_db
def test_the_schema_offers_token_and_session_authentication_and_no_basic(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}, REMOTE_ADDR="10.78.0.3").json()

    assert set(schema["components"]["securitySchemes"]) == {"tokenAuth", "cookieAuth"}
    criterion = schema["components"]["schemas"]["Criterion"]["properties"]["parent"]
    assert criterion == {"type": "string", "readOnly": True, "nullable": True}


@pytest.mark.django_db
def test_under_the_portals_policy_the_docs_page_alone_also_allows_data_images(client, settings):
    """Swagger UI's icons are data: SVG images; every other page keeps the policy as configured."""
    from django.utils.csp import CSP

    settings.MIDDLEWARE = ["django.middleware.csp.ContentSecurityPolicyMiddleware", *settings.MIDDLEWARE]
    settings.SECURE_CSP = {"default-src": [CSP.SELF], "script-src": [CSP.SELF], "style-src": [CSP.SELF]}

    docs = client.get(reverse("api-docs"), REMOTE_ADDR="10.78.0.4")
    login = client.get(reverse("login"))

    assert docs["Content-Security-Policy"] == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"
    )
    assert login["Content-Security-Policy"] == "default-src 'self'; script-src 'self'; style-src 'self'"


@pytest.mark.django_db
def test_without_a_policy_configured_the_docs_page_sends_none(client, settings):
    settings.SECURE_CSP = {}
    assert "Content-Security-Policy" not in client.get(reverse("api-docs"), REMOTE_ADDR="10.78.0.5")
