"""Issue 8, item 6: the activity log is append-only in the admin; logged records' states are not edited there;
master data changed in the admin is written to the activity log."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts.enums import OrganisationKind, Role
from activity.models import ActivityLog
from activity.selectors import activity_for
from activity.services import activity_record
from tests.factories import OrganisationFactory, ProvinceFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="quantri", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def log_row():
    province = ProvinceFactory(name="Tỉnh Vĩnh Long")
    return activity_record(actor=None, verb="Thu hồi giấy chứng nhận", target=province, after={"status": "revoked"})


def _form_data(response) -> dict:
    """The admin change form as the browser would post it unchanged: field values and the inlines' management."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, datetime.datetime):  # the admin's split date / time widget
            value = timezone.localtime(value)
            data[f"{name}_0"], data[f"{name}_1"] = value.date().isoformat(), value.strftime("%H:%M:%S")
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for i, row in enumerate(formset.forms[: formset.initial_form_count()]):
            for name in row.fields:
                value = row[name].value()
                if value not in (None, False):
                    data[f"{formset.prefix}-{i}-{name}"] = "on" if value is True else str(value)
    return data


# --- the activity log is append-only ----------------------------------------------------------------------
def test_the_administrator_reads_the_activity_log_but_cannot_add_edit_or_delete_a_row(admin_client, log_row):
    change = reverse("admin:activity_activitylog_change", args=[log_row.pk])

    assert admin_client.get(change).status_code == 200  # read-only view
    assert admin_client.get(reverse("admin:activity_activitylog_add")).status_code == 403
    assert admin_client.post(reverse("admin:activity_activitylog_add"), {"verb": "Giả mạo"}).status_code == 403
    assert admin_client.post(change, {"verb": "Giả mạo", "message": "sửa lại"}).status_code == 403
    assert admin_client.get(reverse("admin:activity_activitylog_delete", args=[log_row.pk])).status_code == 403
    assert admin_client.post(reverse("admin:activity_activitylog_delete", args=[log_row.pk]),
                             {"post": "yes"}).status_code == 403
    log_row.refresh_from_db()
    assert (ActivityLog.objects.count(), log_row.verb) == (1, "Thu hồi giấy chứng nhận")


def test_the_activity_log_has_no_bulk_delete_action(admin_client, log_row):
    changelist = reverse("admin:activity_activitylog_changelist")

    page = admin_client.get(changelist)
    admin_client.post(changelist, {"action": "delete_selected", "_selected_action": [log_row.pk], "post": "yes"})

    action_form = page.context["action_form"]  # None when the changelist offers no action at all
    assert action_form is None or "delete_selected" not in dict(action_form.fields["action"].choices)
    assert ActivityLog.objects.count() == 1


def test_a_log_row_is_never_rewritten_or_deleted_through_the_model(log_row):
    log_row.verb = "Giả mạo"
    with pytest.raises(PermissionDenied):
        log_row.save()
    with pytest.raises(PermissionDenied):
        log_row.delete()
    assert ActivityLog.objects.get(pk=log_row.pk).verb == "Thu hồi giấy chứng nhận"


# --- a logged record's state is not edited in the admin ---------------------------------------------------
@pytest.fixture
def revoked_certificate():
    from products.models import Certificate
    from tests.products.factories import closed_round, province_with_committee, published_decision

    province = province_with_committee()
    staff = user_with_role(Role.PROVINCE_STAFF, province)
    decision = published_decision(closed_round(province, [4]), staff)
    certificate = Certificate.objects.get(decision=decision)
    Certificate.objects.filter(pk=certificate.pk).update(status="revoked", ended_on=datetime.date(2026, 11, 1))
    certificate.refresh_from_db()
    return certificate


def test_a_revoked_certificate_cannot_be_set_back_to_active_in_the_admin(admin_client, revoked_certificate):
    from products.models import Certificate

    url = reverse("admin:products_certificate_change", args=[revoked_certificate.pk])
    page = admin_client.get(url)
    data = {**_form_data(page), "status": "active", "ended_on": ""}

    response = admin_client.post(url, data)

    assert "status" not in page.context["adminform"].form.fields
    assert response.status_code == 302
    stored = Certificate.objects.get(pk=revoked_certificate.pk)
    assert (stored.status, stored.ended_on) == ("revoked", datetime.date(2026, 11, 1))


def test_a_certificate_is_neither_added_nor_deleted_in_the_admin(admin_client, revoked_certificate):
    from products.models import Certificate

    assert admin_client.get(reverse("admin:products_certificate_add")).status_code == 403
    delete = reverse("admin:products_certificate_delete", args=[revoked_certificate.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Certificate.objects.filter(pk=revoked_certificate.pk).exists()


@pytest.mark.parametrize("model,field", [
    ("products_decision", "status"), ("registrations_dossier", "status"), ("evaluations_round", "phase"),
    ("registrations_productidea", "status"), ("registrations_businessplan", "status"),
])
def test_state_fields_of_logged_records_are_read_only_in_the_admin(admin_client, revoked_certificate, model, field):
    from evaluations.models import Round
    from products.models import Decision
    from registrations.models import BusinessPlan, Dossier, ProductIdea
    from tests.registrations.factories import BusinessPlanFactory, ProductIdeaFactory

    ProductIdeaFactory()
    BusinessPlanFactory()
    obj = {"products_decision": Decision, "registrations_dossier": Dossier, "evaluations_round": Round,
           "registrations_productidea": ProductIdea, "registrations_businessplan": BusinessPlan}[model].objects.first()

    page = admin_client.get(reverse(f"admin:{model}_change", args=[obj.pk]))

    assert page.status_code == 200
    assert field not in page.context["adminform"].form.fields
    assert field in page.context["adminform"].readonly_fields
    assert admin_client.get(reverse(f"admin:{model}_add")).status_code == 403


# --- master data changed in the admin is logged ------------------------------------------------------------
def test_renaming_an_organisation_in_the_admin_is_logged_with_before_and_after(admin_client):
    organisation = OrganisationFactory(kind=OrganisationKind.AGRICULTURE_DEPARTMENT,
                                       name="Sở Nông nghiệp và Phát triển nông thôn")
    url = reverse("admin:accounts_organisation_change", args=[organisation.pk])
    data = {**_form_data(admin_client.get(url)), "name": "Sở Nông nghiệp và Môi trường"}

    assert admin_client.post(url, data).status_code == 302

    log = activity_for(organisation).get()
    assert (log.actor.username, log.verb) == ("quantri", "Sửa trong trang quản trị")
    assert (log.before, log.after) == ({"name": "Sở Nông nghiệp và Phát triển nông thôn"},
                                       {"name": "Sở Nông nghiệp và Môi trường"})


def test_a_role_given_in_the_admin_is_logged_on_the_user(admin_client):
    province = ProvinceFactory(name="Tỉnh Vĩnh Long")
    user = UserFactory(username="canbo.tinh", date_joined=timezone.now().replace(microsecond=0))
    url = reverse("admin:accounts_user_change", args=[user.pk])
    data = _form_data(admin_client.get(url))
    prefix = "role_assignments"
    data.update({f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-0-role": Role.PROVINCE_STAFF,
                 f"{prefix}-0-unit": str(province.pk), f"{prefix}-0-valid_from": "2026-01-01"})

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else response
    log = activity_for(user).get(verb="Thêm trong trang quản trị")
    assert log.after == {"row": "phân công vai trò: Cán bộ OCOP cấp tỉnh — Tỉnh Vĩnh Long"}
    assert "password" not in str(log.before) + str(log.after)


def test_deleting_master_data_in_the_admin_is_logged(admin_client):
    from django.contrib.contenttypes.models import ContentType

    from accounts.models import Organisation

    organisation = OrganisationFactory(name="Chi cục Phát triển nông thôn")
    pk = organisation.pk

    response = admin_client.post(reverse("admin:accounts_organisation_delete", args=[pk]), {"post": "yes"})

    assert response.status_code == 302
    log = ActivityLog.objects.get(content_type=ContentType.objects.get_for_model(Organisation), object_id=str(pk))
    assert (log.verb, log.before) == ("Xóa trong trang quản trị", {"record": "Chi cục Phát triển nông thôn"})


def test_changing_a_council_in_the_admin_is_logged(admin_client):
    from tests.evaluations.factories import CouncilFactory

    council = CouncilFactory(name="Hội đồng OCOP tỉnh")
    url = reverse("admin:evaluations_council_change", args=[council.pk])
    data = {**_form_data(admin_client.get(url)), "spread_limit": "8.00"}

    assert admin_client.post(url, data).status_code == 302

    log = activity_for(council).get()
    assert (log.before, log.after) == ({"spread_limit": "10.00"}, {"spread_limit": "8.00"})
