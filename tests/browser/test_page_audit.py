"""Every page the demo's people open from their home page and menu, on a 390 px phone: axe (serious and
critical) finds nothing, the Nu HTML checker reports no error (htmx attributes aside), the page does not
scroll sideways as a whole, and no English or raw text shows in the Vietnamese interface (tests/browser/audit.py)."""
import io
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from ocop_portal.demo import DEMO_PASSWORD
from tests.browser.audit import PageAudit

# Who walks, and how many pages each opens: the home page, every menu entry, then the links on those.
WALKERS = ("canbo.xa", "hoidong.tv1", "hoidong.chutich", "canbo.tinh", "so.nnmt")
PAGES_PER_WALKER = 8
# Not pages: files, exports, the API, the admin, leaving.
SKIP = re.compile(r"(\.pdf|\.csv|\.xlsx|/xuat|/tai-ve|/api/|/quan-tri/|/dang-xuat|/i18n/|/minh-chung/|#)")


def _login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")


def _links(page) -> list[str]:
    hrefs = page.eval_on_selector_all("nav a[href], main a[href]", "els => els.map(a => a.getAttribute('href'))")
    return [h for h in hrefs if h.startswith("/") and not h.startswith("//") and not SKIP.search(h)]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_pages_of_the_demo_journeys_pass_axe_and_the_html_checker_and_fit_a_phone(live_server, page):
    call_command("load_demo", stdout=io.StringIO())
    base = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    page.set_default_timeout(20_000)
    audit = PageAudit()
    for username in WALKERS:
        _login(page, base, username)
        queue, seen = ["/"], set()
        while queue and len(seen) < PAGES_PER_WALKER:
            path = queue.pop(0)
            key = urlsplit(path).path
            if key in seen:
                continue
            seen.add(key)
            response = page.goto(base + path)
            assert response is not None and response.status == 200, (username, path)
            audit.visit(page, f"{username} {path}")
            queue.extend(link for link in _links(page) if urlsplit(link).path not in seen)
    assert len(audit.html) >= 40
    audit.assert_clean()
