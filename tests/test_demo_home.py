"""The demo province (`make demo`): loading it twice writes the same rows, and every demo user logs in to
something real to do next on the home page, whatever day the demo is loaded."""
import datetime
import io
from unittest import mock

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from accounts.home import todos_for
from accounts.models import User
from evaluations.enums import RoundKind, RoundPhase, SheetStatus
from evaluations.models import AdvisoryFinding, Result, Round, ScoreSheet
from ocop_portal.demo import DEMO_USERS
from products.models import Certificate
from registrations.enums import DossierStatus
from registrations.models import Dossier, Producer
from reports.models import ReportRun

SCORE = "Chấm điểm hồ sơ được phân công"
COMMUNE_QUEUE = "Hồ sơ chờ xã đánh giá (Mẫu 03) và chuyển lên tỉnh"

# Demo users whose home page has no item although the demo gives them work, and why: none.
NO_HOME_ITEM: set = set()
ADVISORY = "Xem xét hồ sơ của tổ tư vấn (rà soát, khảo sát thực tế)"


def _row_counts() -> dict:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def _load_demo():
    call_command("load_demo", stdout=io.StringIO())


def _todos(username) -> dict:
    return {t.title: t for t in todos_for(User.objects.get(username=username))}


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db
def test_loading_twice_writes_the_same_rows_and_every_role_has_work(fast_passwords):
    _load_demo()
    first = _row_counts()
    _load_demo()
    assert _row_counts() == first

    assert Producer.objects.filter(commune__name="Xã Chợ Lách").count() == 4
    assert Producer.objects.filter(commune__name="Xã Mỏ Cày").count() == 4
    for _key, username, *_rest in DEMO_USERS:
        todos = todos_for(User.objects.get(username=username))
        if username in NO_HOME_ITEM:
            continue
        assert todos, f"{username} logs in to an empty to-do list"

    # canbo.xa: two dossiers waiting for Form 03, one past its 15 working days.
    queue = _todos("canbo.xa")[COMMUNE_QUEUE]
    assert (queue.count, queue.overdue) == (2, 1)
    overdue = Dossier.objects.get(product_name="Sầu riêng Ri6 Sơn Định")
    assert overdue.status == DossierStatus.COMMUNE_REVIEW and overdue.commune_due_on < timezone.localdate()
    assert (timezone.localdate() - overdue.received_on).days > 21
    assert _todos("canbo.xa2")[COMMUNE_QUEUE].count == 1
    # The province sees the overdue commune step and a forwarded dossier to check.
    assert {"Hồ sơ quá hạn đánh giá cấp xã", "Hồ sơ xã đã chuyển lên, chờ tỉnh kiểm tra"} <= set(_todos("canbo.tinh"))
    # The producer account's own draft.
    assert "Hồ sơ của bạn đang soạn hoặc cần hoàn thiện" in _todos("chuthe")

    # The re-evaluation round (written opinions) is scoring two dossiers: the chair has submitted one sheet
    # and started the other; the other three members have both to score.
    re_round = Round.objects.get(kind=RoundKind.RE_EVALUATION)
    assert re_round.phase == RoundPhase.SCORING and re_round.decide_by_written_opinion
    assert re_round.entries.count() == 2
    chair_sheets = dict(ScoreSheet.objects.filter(round=re_round, member__user__username="hoidong.chutich")
                        .values_list("dossier__product_name", "status"))
    assert chair_sheets == {"Mật hoa dừa Chợ Lách": SheetStatus.SUBMITTED, "Bưởi da xanh Mỏ Cày": SheetStatus.DRAFT}
    assert ScoreSheet.objects.filter(round=re_round).exclude(member__user__username="hoidong.chutich").count() == 0
    assert _todos("hoidong.chutich")[SCORE].count == 1
    for username in ("hoidong.thuky", "hoidong.tv1", "hoidong.tv2"):
        assert _todos(username)[SCORE].count == 2, username
        assert _todos(username)[SCORE].url == re_round.get_absolute_url()

    # What the demo showed before stays: the closed round with its result, the certificate, the report.
    closed = Round.objects.get(kind=RoundKind.REGULAR, number=2)
    assert closed.phase == RoundPhase.CLOSED
    assert Result.objects.filter(round=closed, final_star__gte=3).exists()
    assert Certificate.objects.filter(product__name="Dừa xiêm xanh Chợ Lách", status="active").exists()
    assert ReportRun.objects.filter(requested_by__username="so.nnmt", status="done").exists()


@pytest.mark.django_db
def test_the_advisory_member_has_a_dossier_to_review(fast_passwords):
    _load_demo()
    advisory = User.objects.get(username="totuvan")
    extra = Round.objects.get(kind=RoundKind.REGULAR, number=3)
    assert extra.phase == RoundPhase.ADVISORY_REVIEW
    assert extra.advisory_group.memberships.filter(user=advisory, active=True).exists()
    entry = extra.entries.select_related("dossier").get()
    assert advisory.has_perm("evaluations.review_entry", entry)
    assert not AdvisoryFinding.objects.filter(round=extra).exists()
    assert _todos("totuvan")[ADVISORY].count == 1


@pytest.mark.django_db
@pytest.mark.parametrize("day", [datetime.date(2027, 1, 4), datetime.date(2027, 6, 30), datetime.date(2027, 12, 31)],
                         ids=str)
def test_the_demo_loads_on_any_day(fast_passwords, day):
    """Round dates, the overdue receipt and the renewal window follow the day the demo is loaded."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
    with mock.patch.object(timezone, "now", lambda: moment):
        _load_demo()
        first = _row_counts()
        _load_demo()
        assert _row_counts() == first
        for _key, username, *_rest in DEMO_USERS:
            if username not in NO_HOME_ITEM:
                assert todos_for(User.objects.get(username=username)), f"{username} has nothing to do on {day}"
        assert _todos("canbo.xa")[COMMUNE_QUEUE].overdue == 1
        for round_ in Round.objects.all():
            assert round_.year == day.year and round_.opens_on <= day <= round_.closes_on or round_.phase == "closed"
