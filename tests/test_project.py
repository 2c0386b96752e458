"""The project as the user laid it out: pinned requirements, the GPL licence, vendored front-end assets."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _requirements() -> dict:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            match = re.fullmatch(r"([A-Za-z0-9_.\-]+)(\[[a-z,]+\])?==([0-9][0-9A-Za-z.]*)", line)
            assert match, f"not pinned with ==: {line}"
            pins[match.group(1).lower().replace("_", "-")] = match.group(3)
    return pins


def test_every_requirement_is_pinned_and_the_stack_is_there():
    pins = _requirements()

    assert pins["django"].startswith("6.1.")
    for name in ("djangorestframework", "django-filter", "celery", "redis", "psycopg2-binary", "weasyprint",
                 "rules", "vietnam-provinces", "pytest-django", "factory-boy", "playwright"):
        assert name in pins, name


def test_the_project_layout():
    for path in ("manage.py", "ocop_portal/settings.py", "ocop_portal/urls.py", "ocop_portal/celery.py",
                 "ocop_portal/wsgi.py", "registrations", "evaluations", "products", "reports", "templates", "static",
                 "tests", "requirements.txt", "docker-compose.yml", "README.md", "LICENSE", "units", "accounts",
                 "activity", "Makefile", ".ci/run"):
        assert (ROOT / path).exists(), path


def test_licensed_gpl_3_or_later_like_the_unit_data():
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")

    assert "GNU GENERAL PUBLIC LICENSE" in licence and "Version 3, 29 June 2007" in licence
    assert "GPL-3.0-or-later" in (ROOT / "README.md").read_text(encoding="utf-8")


def _templates():
    yield from (ROOT / "templates").rglob("*.html")
    for app in ("units", "accounts", "activity", "registrations", "evaluations", "products", "reports"):
        yield from (ROOT / app).glob("templates/**/*.html")


def test_no_template_loads_anything_from_a_cdn():
    remote = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)

    offenders = [str(p.relative_to(ROOT)) for p in _templates() if remote.search(p.read_text(encoding="utf-8"))]

    assert offenders == []


@pytest.mark.parametrize("asset", [
    "vendor/bootstrap/bootstrap.min.css", "vendor/bootstrap/bootstrap.bundle.min.js", "vendor/htmx/htmx.min.js",
])
def test_bootstrap_5_and_htmx_are_vendored_and_linked_from_the_base_template(asset):
    from django.contrib.staticfiles import finders

    found = finders.find(asset)
    base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")

    assert found and Path(found).stat().st_size > 10_000
    assert f"{{% static '{asset}' %}}" in base
    head = Path(found).read_text(encoding="utf-8")[:600]
    if "bootstrap" in asset:
        assert re.search(r"Bootstrap\s+v5\.", head)
    else:
        assert "htmx" in Path(found).read_text(encoding="utf-8")
