"""The password-reset mail (templates/registration/password_reset_*): all Vietnamese, with English in the
translation pairs; Django's own template left one English line ("In case you've forgotten, you are:")."""
import re
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.translation.template import templatize

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
MAIL_TEMPLATES = ["templates/registration/password_reset_email.html", "templates/registration/password_reset_subject.txt"]


@pytest.mark.django_db
def test_the_reset_mail_is_all_vietnamese_and_names_the_account(client):
    UserFactory(username="canbo.xa", email="canbo@example.gov.vn")

    response = client.post(reverse("password_reset"), {"email": "canbo@example.gov.vn"})

    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["canbo@example.gov.vn"]
    assert message.subject == "Đặt lại mật khẩu Cổng OCOP"
    lines = message.body.splitlines()
    link = lines[5]
    assert re.fullmatch(r"http://testserver/dat-lai/[\w-]+/[\w-]+/", link), link
    assert lines == [
        "Xin chào,",
        "",
        "Có yêu cầu đặt lại mật khẩu cho tài khoản của bạn trên Cổng OCOP (testserver).",
        "",
        "Mở liên kết sau để chọn mật khẩu mới:",
        link,
        "",
        "Tên đăng nhập của bạn: canbo.xa",
        "",
        "Nếu bạn không yêu cầu đặt lại mật khẩu, hãy bỏ qua thư này: mật khẩu của bạn không thay đổi.",
        "",
        "Cổng OCOP",
    ]
    assert client.get(link, follow=True).status_code == 200  # the link opens the form to choose a password


def _translation_pairs() -> dict:
    pairs = {}
    for tsv in (ROOT / "scripts").glob("en_translations*.tsv"):
        for line in tsv.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                vietnamese, english = line.split("\t")
                pairs[vietnamese] = english
    return pairs


def test_every_string_of_the_reset_mail_has_an_english_translation():
    pairs = _translation_pairs()
    msgids = []
    for name in MAIL_TEMPLATES:
        source = templatize((ROOT / name).read_text(encoding="utf-8"), origin=name)
        msgids += re.findall(r"""gettext\(u?'((?:[^'\\]|\\.)*)'\)""", source)

    assert len(msgids) == 7
    assert {m: pairs.get(m) for m in msgids if not pairs.get(m)} == {}
