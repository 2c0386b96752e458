import pytest
from django.urls import reverse

from accounts.enums import Role
from tests.factories import PASSWORD, CommuneFactory, ProvinceFactory, UserFactory, user_with_role


@pytest.mark.django_db
def test_login_then_profile_lists_each_role_with_its_unit(client):
    province = ProvinceFactory(name="Tỉnh Vĩnh Long")
    commune = CommuneFactory(parent=province, name="Xã Chợ Lách")
    user = user_with_role(Role.COMMUNE_OFFICER, commune, username="canbo")
    from accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=user, role=Role.ADVISORY_MEMBER, unit=province)

    response = client.post(reverse("login"), {"username": "canbo", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")

    page = client.get(reverse("profile")).content.decode()
    assert "Cán bộ cấp xã" in page and "Xã Chợ Lách" in page
    assert "Thành viên tổ tư vấn" in page and "Tỉnh Vĩnh Long" in page


@pytest.mark.django_db
def test_wrong_password_says_so_in_vietnamese(client):
    UserFactory(username="canbo")

    response = client.post(reverse("login"), {"username": "canbo", "password": "sai"})

    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert 'value="canbo"' in response.content.decode()


@pytest.mark.django_db
def test_pages_need_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_vietnamese_is_the_default_and_english_is_available(client):
    user = UserFactory()
    client.force_login(user)

    vi = client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    en = client.get(reverse("home")).content.decode()

    assert '<html lang="vi">' in vi and "Việc cần làm tiếp theo" in vi
    assert '<html lang="en">' in en and "What to do next" in en


@pytest.mark.django_db
def test_password_reset_sends_a_mail(client, mailoutbox):
    UserFactory(email="canbo@example.vn")

    client.post(reverse("password_reset"), {"email": "canbo@example.vn"})

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["canbo@example.vn"]


@pytest.mark.django_db
def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(client):
    client.force_login(UserFactory())

    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()

    assert '<html lang="vi">' in page and "Việc cần làm tiếp theo" in page


@pytest.mark.django_db
def test_logout_ends_the_session(client):
    client.force_login(UserFactory())

    response = client.post(reverse("logout"))

    assert response.status_code == 302 and response.url == reverse("login")
    after = client.get(reverse("home"))
    assert after.status_code == 302 and after.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_password_change_replaces_the_old_password(client):
    user = UserFactory(username="canbo")
    client.force_login(user)

    page = client.get(reverse("password_change"))
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "mat-khau-moi-2026!", "new_password2": "mat-khau-moi-2026!",
    })

    assert page.status_code == 200 and "Mật khẩu cũ" in page.content.decode()
    assert response.status_code == 302 and response.url == reverse("password_change_done")
    client.logout()
    assert client.login(username="canbo", password=PASSWORD) is False
    assert client.login(username="canbo", password="mat-khau-moi-2026!") is True


@pytest.mark.django_db
def test_password_reset_link_in_the_mail_sets_a_new_password(client, mailoutbox):
    import re

    UserFactory(username="canbo", email="canbo@example.vn")

    response = client.post(reverse("password_reset"), {"email": "canbo@example.vn"})
    link = re.search(r"https?://[^/\s]+(/dat-lai/[^/\s]+/[^/\s]+/)", mailoutbox[0].body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session key, then shows the form
    done = client.post(form_url, {"new_password1": "mat-khau-moi-2026!", "new_password2": "mat-khau-moi-2026!"})

    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")
    assert client.login(username="canbo", password=PASSWORD) is False
    assert client.login(username="canbo", password="mat-khau-moi-2026!") is True


@pytest.mark.django_db
def test_profile_shows_only_the_users_own_roles(client):
    province = ProvinceFactory(name="Tỉnh Vĩnh Long")
    other = CommuneFactory(parent=province, name="Xã Mỏ Cày")
    user_with_role(Role.COMMUNE_OFFICER, other)
    user = user_with_role(Role.PROVINCE_STAFF, province)
    client.force_login(user)

    page = client.get(reverse("profile")).content.decode()

    assert "Cán bộ OCOP cấp tỉnh" in page and "Tỉnh Vĩnh Long" in page
    assert "Cán bộ cấp xã" not in page and "Xã Mỏ Cày" not in page


# --- Django admin for master data ------------------------------------------------------------------
MASTER_DATA = [
    "admin:units_administrativeunit_changelist", "admin:units_unitlineage_changelist",
    "admin:accounts_organisation_changelist", "admin:accounts_user_changelist",
    "admin:activity_activitylog_changelist", "admin:activity_outboxmessage_changelist",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", MASTER_DATA)
def test_the_administrator_manages_master_data_in_the_django_admin(client, url_name):
    province = ProvinceFactory(name="Tỉnh Vĩnh Long")
    from tests.factories import OrganisationFactory

    OrganisationFactory(unit=province, name="Ủy ban nhân dân tỉnh Vĩnh Long")
    admin = UserFactory(username="quantri", is_staff=True, is_superuser=True)
    client.force_login(admin)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    if url_name == "admin:units_administrativeunit_changelist":
        assert "Tỉnh Vĩnh Long" in client.get(reverse(url_name), {"q": "Vĩnh Long"}).content.decode()
    if url_name == "admin:accounts_organisation_changelist":
        assert "Ủy ban nhân dân tỉnh Vĩnh Long" in response.content.decode()


@pytest.mark.django_db
def test_other_roles_cannot_open_the_admin(client):
    client.force_login(user_with_role(Role.PROVINCE_STAFF, ProvinceFactory()))

    response = client.get(reverse("admin:units_administrativeunit_changelist"))

    assert response.status_code == 302 and "/quan-tri/login/" in response.url


@pytest.mark.django_db
def test_an_administrator_role_assignment_gives_the_admin_scope_but_a_role_needs_a_unit_otherwise():
    from django.db import IntegrityError, transaction

    from accounts.models import RoleAssignment
    from accounts.selectors import user_scope

    admin = user_with_role(Role.ADMINISTRATOR, None)
    assert user_scope(admin).is_admin is True
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=UserFactory(), role=Role.COMMUNE_OFFICER, unit=None)


# --- the user's API token on the profile page ----------------------------------------------------
@pytest.mark.django_db
def test_a_user_creates_an_api_token_and_sees_its_key_once(client):
    from rest_framework.authtoken.models import Token

    user = UserFactory()
    client.force_login(user)
    assert "Bạn chưa có khoá API." in client.get(reverse("profile")).content.decode()

    response = client.post(reverse("api_token_issue"))
    assert response.status_code == 302 and response.url == reverse("profile")
    key = Token.objects.get(user=user).key
    first = client.get(reverse("profile")).content.decode()
    second = client.get(reverse("profile")).content.decode()

    assert key in first and "khoá chỉ hiện một lần" in first and "Đã tạo khoá API mới." in first
    assert key not in second and "Bạn có một khoá API, tạo lúc" in second
    assert 'href="/api/docs/"' in second


@pytest.mark.django_db
def test_replacing_a_token_needs_confirmation(client):
    from rest_framework.authtoken.models import Token

    user = UserFactory()
    old = Token.objects.create(user=user)
    client.force_login(user)

    refused = client.post(reverse("api_token_issue"))
    assert refused.status_code == 400 and Token.objects.get(user=user).key == old.key

    client.post(reverse("api_token_issue"), {"issue-confirm": "on"})
    assert Token.objects.get(user=user).key != old.key


@pytest.mark.django_db
def test_revoking_a_token_needs_confirmation(client):
    from rest_framework.authtoken.models import Token

    user = UserFactory()
    Token.objects.create(user=user)
    client.force_login(user)

    refused = client.post(reverse("api_token_revoke"))
    assert refused.status_code == 400 and Token.objects.filter(user=user).count() == 1

    response = client.post(reverse("api_token_revoke"), {"revoke-confirm": "on"})
    assert response.status_code == 302 and Token.objects.filter(user=user).count() == 0
    assert "Đã thu hồi khoá API." in client.get(reverse("profile")).content.decode()


@pytest.mark.django_db
def test_token_pages_take_only_post_from_a_signed_in_user(client):
    assert client.post(reverse("api_token_issue")).status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert client.get(reverse("api_token_issue")).status_code == 405
