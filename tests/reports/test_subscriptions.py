"""Scheduled delivery: organisations subscribed to reports in the browser; the beat task makes the file first, then
delivers it to the inbox of the organisation's people and by mail with the file attached and an absolute link."""
import datetime
import time

import pytest
from django.core import mail
from django.urls import reverse

from accounts.enums import OrganisationKind, Role
from accounts.models import RoleAssignment
from activity.enums import OutboxStatus
from activity.models import ActivityLog, OutboxMessage
from activity.services import effects_sweep, outbox_resend
from reports import services
from reports.enums import RunStatus
from reports.models import ReportRun, Subscription
from reports.periods import last_ended_period, period_from_key
from tests.factories import OrganisationFactory, UserFactory, user_with_role

from .factories import ReportWorld


@pytest.mark.parametrize("period, today, expected", [
    ("month", datetime.date(2026, 12, 2), (2026, 11, "2026-11")),
    ("month", datetime.date(2026, 1, 31), (2025, 12, "2025-12")),
    ("quarter", datetime.date(2026, 12, 2), (2026, 3, "2026-Q3")),
    ("quarter", datetime.date(2026, 2, 1), (2025, 4, "2025-Q4")),
    ("half", datetime.date(2026, 7, 1), (2026, 1, "2026-H1")),
    ("half", datetime.date(2026, 3, 1), (2025, 2, "2025-H2")),
    ("year", datetime.date(2026, 1, 1), (2025, None, "2025")),
])
def test_the_last_period_that_ended_and_its_key(period, today, expected):
    assert last_ended_period(period, today) == expected
    assert period_from_key(expected[2]) == (period, expected[0], expected[1])


def department(world, *members):
    org = OrganisationFactory(kind=OrganisationKind.AGRICULTURE_DEPARTMENT, unit=world.province,
                              name="Sở Nông nghiệp và Môi trường tỉnh Vĩnh Long")
    for user in members:
        RoleAssignment.objects.filter(user=user).update(organisation=org)
    return org


@pytest.fixture
def absolute(settings):
    settings.OCOP_PUBLIC_BASE_URL = "https://ocop.vinhlong.gov.vn/"
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def test_a_quarterly_delivery_reaches_every_member_of_the_organisation_with_the_pdf_and_an_absolute_link(
        world, absolute, django_capture_on_commit_callbacks):
    gone = user_with_role(Role.REPORT_VIEWER, world.province, username="da.nghi", email="danghi@so.vn")
    org = department(world, world.viewer, gone)
    RoleAssignment.objects.filter(user=gone).update(valid_to=datetime.date(2026, 1, 1))
    world.viewer.email = "so.nnmt@vinhlong.gov.vn"
    world.viewer.save()
    sub = Subscription.objects.create(organisation=org, code="periodic_progress", province=world.province,
                                      frequency="quarterly", format="pdf", created_by=world.staff)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.subscriptions_deliver(today=datetime.date(2026, 10, 3)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.subscriptions_deliver(today=datetime.date(2026, 11, 20)) == 0  # Q3 went out already
    sub.refresh_from_db()
    run = ReportRun.objects.get()
    assert (sub.last_period, run.status, run.format, run.parameters["period"], run.parameters["part"]) == (
        "2026-Q3", RunStatus.DONE, "pdf", "quarter", 3)
    message = OutboxMessage.objects.get()
    assert (message.recipient, message.status) == (world.viewer, OutboxStatus.SENT)
    link = f"https://ocop.vinhlong.gov.vn/bao-cao/lan-chay/{run.pk}/"
    assert f"Xem và tải tệp: {link}" in message.body and "của Sở Nông nghiệp và Môi trường tỉnh Vĩnh Long" in message.body
    [sent] = mail.outbox
    assert sent.to == ["so.nnmt@vinhlong.gov.vn"] and link in sent.body
    [(name, content, mimetype)] = sent.attachments
    assert name.endswith(f"-{run.pk}.pdf") and mimetype == "application/pdf" and content.startswith(b"%PDF-")
    assert content == run.file.open("rb").read()
    assert ActivityLog.objects.filter(verb="Gửi báo cáo định kỳ", object_id=str(sub.pk)).count() == 1


def test_a_failed_mail_is_resent_by_the_sweep_and_by_the_admin_with_its_attachment(
        world, absolute, django_capture_on_commit_callbacks, settings):
    from activity.models import Effect
    from activity.services import outbox_message_send

    org = department(world, world.viewer)
    world.viewer.email = "so.nnmt@vinhlong.gov.vn"
    world.viewer.save()
    sub = Subscription.objects.create(organisation=org, code="dossier_progress", province=world.province,
                                      frequency="monthly", format="xlsx")
    services.subscription_deliver(subscription_id=sub.pk, period="2026-11")
    message = OutboxMessage.objects.get()
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                    "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2}}}
    with pytest.raises(OSError):
        outbox_message_send(message_id=message.pk)  # the task's attempt; Celery retries it with backoff
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 1)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    # The retries were lost (a worker restarted): the sweep finds the failed mail and sends it, file attached.
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=message.created_at - datetime.timedelta(hours=1))
    Effect.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        effects_sweep(grace=datetime.timedelta(minutes=10))
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and len(mail.outbox) == 1
    assert mail.outbox[0].attachments[0][0].endswith(".xlsx")
    # The admin's "send again" (OutboxMessageAdmin action) sends it once more, with the same file.
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_resend(messages=[message], by=UserFactory(is_superuser=True)) == 1
    assert len(mail.outbox) == 2 and mail.outbox[1].attachments == mail.outbox[0].attachments


# --- the pages ---------------------------------------------------------------------------------------------
def test_province_staff_create_edit_and_delete_a_subscription_with_confirmation(client, world):
    org = department(world, world.viewer)
    other = OrganisationFactory(kind=OrganisationKind.AGRICULTURE_DEPARTMENT, unit=world.other_province,
                                name="Sở Nông nghiệp và Môi trường tỉnh Đồng Tháp")
    client.force_login(world.staff)
    url = reverse("reports:subscription_create")
    page = client.get(url).content.decode()
    assert org.name in page and other.name not in page and "plan_progress" not in page
    data = {"organisation": org.pk, "province": world.province.pk, "code": "periodic_progress",
            "frequency": "quarterly", "format": "pdf", "active": "on"}
    assert client.post(url, data).status_code == 302
    sub = Subscription.objects.get()
    assert (sub.organisation, sub.code, sub.frequency, sub.format, sub.created_by) == (
        org, "periodic_progress", "quarterly", "pdf", world.staff)
    again = client.post(url, data)
    assert again.status_code == 400
    assert "Cơ quan này đã đăng ký nhận báo cáo này với tần suất này." in again.content.decode()
    foreign = client.post(url, {**data, "organisation": other.pk, "frequency": "yearly"})
    assert foreign.status_code == 400 and Subscription.objects.count() == 1
    edit = reverse("reports:subscription_edit", args=[sub.pk])
    assert client.post(edit, {**data, "frequency": "half_year", "format": "xlsx"}).status_code == 302
    sub.refresh_from_db()
    assert (sub.frequency, sub.format, sub.active) == ("half_year", "xlsx", True)
    delete = reverse("reports:subscription_delete", args=[sub.pk])
    confirm = client.get(delete).content.decode()
    assert "Xác nhận hủy đăng ký" in confirm and "không hoàn tác được" in confirm
    assert Subscription.objects.count() == 1  # asking is not deleting
    assert client.post(delete).status_code == 302 and Subscription.objects.count() == 0
    assert list(ActivityLog.objects.filter(object_id=str(sub.pk), content_type__model="subscription")
                .order_by("pk").values_list("verb", flat=True)) == [
        "Đăng ký nhận báo cáo", "Sửa đăng ký nhận báo cáo", "Hủy đăng ký nhận báo cáo"]


def test_subscriptions_of_another_province_and_for_non_staff_answer_404(client, world):
    foreign_org = OrganisationFactory(unit=world.other_province)
    foreign = Subscription.objects.create(organisation=foreign_org, code="producers", province=world.other_province,
                                          frequency="monthly")
    client.force_login(world.staff)
    for name in ("reports:subscription_edit", "reports:subscription_delete"):
        assert client.get(reverse(name, args=[foreign.pk])).status_code == 404
        assert client.post(reverse(name, args=[foreign.pk])).status_code == 404
    assert foreign_org.name not in client.get(reverse("reports:subscription_list")).content.decode()
    client.force_login(world.viewer)  # the department reads reports; province staff manage the orders
    assert client.get(reverse("reports:subscription_list")).status_code == 404
    assert client.get(reverse("reports:subscription_create")).status_code == 404
    assert Subscription.objects.count() == 1


def test_subscription_list_query_count_does_not_grow_with_rows(client, world, django_assert_max_num_queries):
    client.force_login(world.staff)
    org = department(world)
    Subscription.objects.create(organisation=org, code="producers", province=world.province, frequency="monthly")
    with django_assert_max_num_queries(8) as first:
        page = client.get(reverse("reports:subscription_list")).content.decode()
    assert page.count('href="/bao-cao/dang-ky-nhan/') == 3  # create, edit, delete
    for i, code in enumerate(["dossier_progress", "support_steps", "evaluation_results", "ocop_products"]):
        Subscription.objects.create(organisation=OrganisationFactory(unit=world.province), code=code,
                                    province=world.province, frequency="yearly")
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = client.get(reverse("reports:subscription_list")).content.decode()
    assert page.count("/huy/") == 5


# --- a real worker --------------------------------------------------------------------------------------------
@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_a_subscription_with_the_pdf_attached_and_an_absolute_link(celery_worker, settings):
    settings.OCOP_PUBLIC_BASE_URL = "https://ocop.vinhlong.gov.vn"
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = ReportWorld()
    org = department(world, world.viewer)
    world.viewer.email = "so.nnmt@vinhlong.gov.vn"
    world.viewer.save()
    sub = Subscription.objects.create(organisation=org, code="periodic_progress", province=world.province,
                                      frequency="monthly", format="pdf")
    from reports.tasks import report_subscriptions_deliver

    report_subscriptions_deliver.delay()  # what beat sends (no result backend: the outcome is in the database)
    deadline = time.monotonic() + 60
    message = None
    while time.monotonic() < deadline:
        message = OutboxMessage.objects.filter(status=OutboxStatus.SENT).first()
        if message:
            break
        time.sleep(0.3)
    assert message is not None, list(OutboxMessage.objects.values("status", "last_error"))
    run = ReportRun.objects.get()
    sub.refresh_from_db()
    assert run.status == RunStatus.DONE and sub.last_period
    [sent] = mail.outbox
    assert f"https://ocop.vinhlong.gov.vn/bao-cao/lan-chay/{run.pk}/" in sent.body
    assert sent.attachments[0][2] == "application/pdf" and sent.attachments[0][1].startswith(b"%PDF-")
