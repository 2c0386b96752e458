"""Browser tests run under the portal's Content-Security-Policy: any violation Chromium reports on the
console fails the test, so a page or an htmx swap that needs an inline script or style is caught."""
import pytest


@pytest.fixture(autouse=True)
def _no_csp_violations(request):
    if not {"page", "context"} & set(request.fixturenames):
        yield
        return
    context = request.getfixturevalue("context")
    violations = []
    context.on("console", lambda message: violations.append(message.text)
               if "Content Security Policy" in message.text else None)
    yield violations
    assert violations == []
