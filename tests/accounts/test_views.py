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
