"""The strict Content-Security-Policy (SECURE_CSP in ocop_portal/settings.py): every page carries it, and
no page depends on what it forbids — no inline <script>, <style>, style="", on…= handler or javascript: URL,
no htmx attribute that needs eval. The admin's one inline <style> carries the response's nonce."""
import io
import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command

from accounts.models import User
from ocop_portal.demo import DEMO_USERS

ROOT = Path(__file__).resolve().parent.parent
# Rendered only into PDFs by WeasyPrint (products/certificate_pdf.py, evaluations/minutes.py, reports/pdf.py), never
# served as a page, so no browser applies a policy to them; their print styles stay inline.
PDF_ONLY_TEMPLATES = {"products/templates/products/certificate_pdf.html", "evaluations/templates/evaluations/minutes.html",
                      "templates/documents/base.html",
                      "reports/templates/reports/pdf/report.html"}
EXPECTED_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}  # data blocks, never executed


def _policy(response) -> tuple[dict, str | None]:
    """The policy's directives with the nonce taken out, and the nonce."""
    directives, nonce = {}, None
    for part in filter(None, (p.strip() for p in response["Content-Security-Policy"].split(";"))):
        name, *sources = part.split()
        for source in sources:
            if source.startswith("'nonce-"):
                nonce = source[len("'nonce-"):-1]
        directives[name] = [s for s in sources if not s.startswith("'nonce-")]
    return directives, nonce


class _InlineFinder(HTMLParser):
    """Collects what a strict policy would block, and the same-site links and htmx GET targets to follow."""

    def __init__(self, nonce: str | None):
        super().__init__()
        self.nonce, self.blocked, self.links, self.fragments = nonce, [], [], []
        self._open_script = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        has_nonce = self.nonce is not None and attributes.get("nonce") == self.nonce
        if tag == "script" and "src" not in attributes and attributes.get("type") not in DATA_SCRIPT_TYPES:
            if not has_nonce:
                self.blocked.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style" and not has_nonce:
            self.blocked.append(f"<style> at line {self.getpos()[0]}")
        for name, value in attrs:
            if name == "style" or name.startswith("on") or name.startswith(("hx-on", "data-hx-on")):
                self.blocked.append(f'<{tag} {name}="{value}">')
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith("javascript:"):
                self.blocked.append(f'<{tag} {name}="{value}">')
            if name in {"hx-vals", "hx-vars"} and (value or "").lstrip().startswith(("js:", "javascript:")):
                self.blocked.append(f'<{tag} {name}="{value}">')
            if name == "hx-trigger" and "[" in (value or ""):  # trigger filters are evaluated as JavaScript
                self.blocked.append(f'<{tag} {name}="{value}">')
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if attributes.get("hx-get"):
            self.fragments.append(attributes["hx-get"])


def _inline_problems(response) -> list[str]:
    finder = _InlineFinder(_policy(response)[1])
    finder.feed(response.content.decode())
    return finder.blocked


def _templates():
    yield from (ROOT / "templates").rglob("*.html")
    for app in ("units", "accounts", "activity", "registrations", "evaluations", "products", "reports", "ocop_portal"):
        yield from (ROOT / app).glob("templates/**/*.html")


def test_no_served_template_has_inline_script_style_or_handlers():
    inline = re.compile(
        r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>|<style\b|\sstyle=|\son[a-z]+=|"
        r"javascript:|\shx-on|\sdata-hx-on", re.I,
    )
    offenders = {}
    for path in _templates():
        name = str(path.relative_to(ROOT))
        if name not in PDF_ONLY_TEMPLATES and (found := inline.findall(path.read_text(encoding="utf-8"))):
            offenders[name] = found

    assert offenders == {}


def test_the_pdf_only_templates_are_rendered_only_by_the_pdf_modules():
    """The exemption above holds only while no view renders these templates as a page."""
    uses = {}
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for template in PDF_ONLY_TEMPLATES:
            if template.split("templates/", 1)[1] in text:
                uses.setdefault(template, []).append(str(path.relative_to(ROOT)))

    assert uses == {
        "products/templates/products/certificate_pdf.html": ["products/certificate_pdf.py"],
        "evaluations/templates/evaluations/minutes.html": ["evaluations/minutes.py"],
        "reports/templates/reports/pdf/report.html": ["reports/pdf.py"],
        "templates/documents/base.html": ["ocop_portal/documents.py"],  # the layout every official PDF extends
    }


def test_the_login_page_carries_the_strict_policy(client):
    response = client.get("/dang-nhap/")

    assert response.status_code == 200
    directives, nonce = _policy(response)
    assert directives == EXPECTED_POLICY
    assert nonce is None  # nothing on the page needed one
    assert _inline_problems(response) == []
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false, "allowEval": false}\'>' in (
        response.content.decode()
    )


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", stdout=io.StringIO())


SKIPPED_SUFFIXES = (".pdf", ".csv", ".xlsx", ".zip")


def _crawl(client, start: str, limit: int) -> tuple[dict, list[str]]:
    """Follows same-site links (and htmx GET targets, as htmx requests them) breadth-first from `start`;
    returns each page's inline problems and the pages visited. One page per path: query strings (filters,
    pages of a list) give the same template."""
    queue, seen_paths, problems, visited = deque([(start, False)]), set(), {}, []
    while queue and len(visited) < limit:
        url, is_fragment = queue.popleft()
        path = urlsplit(url).path
        if path in seen_paths or path.endswith(SKIPPED_SUFFIXES) or path.startswith(("/i18n/", "/api/")):
            continue
        seen_paths.add(path)
        response = client.get(url, headers={"HX-Request": "true"} if is_fragment else {})
        visited.append(url)
        if response.status_code in {301, 302} and response["Location"].startswith("/"):
            queue.append((response["Location"], is_fragment))
            continue
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        directives, nonce = _policy(response)
        if directives != EXPECTED_POLICY:
            problems[url] = [f"policy {directives}"]
            continue
        finder = _InlineFinder(nonce)
        finder.feed(response.content.decode())
        if finder.blocked:
            problems[url] = finder.blocked
        for link in finder.links:
            target = urljoin(url, link)
            if target.startswith("/") and not target.startswith("//"):
                queue.append((target, False))
        queue.extend((urljoin(url, target), True) for target in finder.fragments)
    return problems, visited


@pytest.mark.django_db
def test_every_page_a_demo_user_reaches_is_free_of_inline_script_and_style(client, demo):
    visited_by = {}
    problems = {}
    for _key, username, *_rest in DEMO_USERS:
        client.force_login(User.objects.get(username=username))
        found, visited = _crawl(client, "/", limit=40)
        problems.update({f"{username} {url}": p for url, p in found.items()})
        visited_by[username] = visited
        client.logout()
    found, visited_by["anonymous"] = _crawl(client, "/san-pham-ocop/", limit=20)
    problems.update({f"anonymous {url}": p for url, p in found.items()})

    assert problems == {}
    assert {user: len(visited) for user, visited in visited_by.items() if len(visited) < 5} == {}  # it really walked


@pytest.mark.django_db
def test_the_admin_pages_work_under_the_policy_with_a_nonce_for_their_inline_style(admin_client):
    pages = ["/quan-tri/", "/quan-tri/accounts/user/", "/quan-tri/accounts/user/add/", "/quan-tri/password_change/"]
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        directives, _nonce = _policy(response)
        assert directives == EXPECTED_POLICY, url
        assert _inline_problems(response) == [], url

    changelist = admin_client.get("/quan-tri/accounts/user/")
    nonce = _policy(changelist)[1]
    assert nonce and f'<script src="/static/admin/js/core.js" nonce="{nonce}">' in changelist.content.decode()
