"""Chromium enforces the portal's policy: our own static CSS and JS apply, htmx adds no <style>, and
inline script or style slipped into a page does nothing (and is reported, which conftest.py turns into a
failure everywhere else)."""
import pytest
from playwright.sync_api import expect


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_login_page_runs_on_static_files_and_inline_code_is_refused(live_server, page, _no_csp_violations):
    page.goto(f"{live_server.url}/dang-nhap/")

    expect(page.get_by_role("button", name="Đăng nhập")).to_be_visible()
    navbar = page.locator("nav.navbar")
    assert navbar.evaluate("n => getComputedStyle(n).backgroundColor") == "rgb(15, 81, 50)"  # the portal's dark green (9.4:1)
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    assert page.evaluate("htmx.config.allowEval") is False
    assert page.evaluate("document.querySelectorAll('style').length") == 0  # htmx injected none
    assert _no_csp_violations == []

    injected = page.evaluate("""() => {
        window.ran = false;
        const script = document.createElement('script');
        script.textContent = 'window.ran = true';
        document.body.appendChild(script);
        const box = document.createElement('div');
        box.innerHTML = '<p id="styled" style="color: rgb(255, 0, 0)">x</p>';
        document.body.appendChild(box);
        return {ran: window.ran, color: getComputedStyle(document.getElementById('styled')).color};
    }""")

    assert injected["ran"] is False
    assert injected["color"] != "rgb(255, 0, 0)"
    page.wait_for_timeout(200)  # console messages arrive asynchronously
    assert [text.split(" violates ")[0] for text in _no_csp_violations] == [
        "Executing inline script", "Applying inline style"]
    _no_csp_violations.clear()  # these two were provoked on purpose


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_admin_and_its_javascript_work_under_the_policy(live_server, page, settings):
    from tests.factories import PASSWORD, UserFactory

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    admin = UserFactory(username="quantri", is_staff=True, is_superuser=True)
    user = UserFactory(username="canbo.xa")

    page.goto(f"{live_server.url}/quan-tri/login/")
    page.locator("#id_username").fill(admin.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.goto(f"{live_server.url}/quan-tri/accounts/user/")
    expect(page.locator("#result_list")).to_contain_text("canbo.xa")
    page.locator("#action-toggle").check()  # actions.js: "select all" ticks every row
    expect(page.locator("input.action-select:checked")).to_have_count(2)

    page.goto(f"{live_server.url}/quan-tri/accounts/user/{user.pk}/change/")
    expect(page.locator("select#id_groups_from")).to_be_attached()  # SelectFilter2 built the two-list widget
    rows = page.locator(".dynamic-role_assignments")
    expect(rows).to_have_count(0)
    page.locator(".add-row a").click()  # inlines.js adds a role row
    expect(rows).to_have_count(1)
