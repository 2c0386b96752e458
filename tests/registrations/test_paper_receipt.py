"""A paper dossier received at the commune and entered later: the 15 working days count from the day
it was received, not from the day it was typed in."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from registrations.services import (
    PAPER_RECEIPT_MAX_DAYS,
    DossierIncomplete,
    TransitionNotAllowed,
    commune_due_date,
    dossier_transition,
)


def _working_day_before(day, n):
    while n:
        day -= datetime.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def test_the_receipt_day_of_a_paper_dossier_sets_the_due_date_and_the_receipt_year(world):
    dossier = world.complete_dossier()
    received = _working_day_before(timezone.localdate(), 20)

    dossier_transition(dossier=dossier, to="submitted", by=world.officer, received_on=received)

    dossier.refresh_from_db()
    assert dossier.received_on == received
    assert dossier.commune_due_on == commune_due_date(received)
    assert dossier.commune_receipt_number.endswith(f"-{received.year}")
    assert dossier.is_commune_overdue  # 20 working days ago: the 15 are already spent


@pytest.mark.parametrize("days,message", [
    (-1, "không được sau hôm nay"),
    (PAPER_RECEIPT_MAX_DAYS + 1, f"sớm hơn {PAPER_RECEIPT_MAX_DAYS} ngày"),
])
def test_a_receipt_day_in_the_future_or_too_far_back_is_refused(world, days, message):
    dossier = world.complete_dossier()
    with pytest.raises(DossierIncomplete, match=message):
        dossier_transition(dossier=dossier, to="submitted", by=world.officer,
                           received_on=timezone.localdate() - datetime.timedelta(days=days))
    dossier.refresh_from_db()
    assert (dossier.status, dossier.received_on) == ("draft", None)


def test_only_the_communes_officer_enters_a_receipt_day(world):
    dossier = world.complete_dossier()
    with pytest.raises(TransitionNotAllowed, match="Chỉ cán bộ xã"):
        dossier_transition(dossier=dossier, to="submitted", by=world.producer_user,
                           received_on=timezone.localdate() - datetime.timedelta(days=3))
    dossier.refresh_from_db()
    assert dossier.status == "draft"


def test_the_officer_gives_the_receipt_day_on_the_dossier_page(client, world):
    dossier = world.complete_dossier()
    received = _working_day_before(timezone.localdate(), 2)
    client.force_login(world.officer)
    page = client.get(reverse("registrations:dossier_detail", args=[dossier.pk])).content.decode()
    assert 'name="received_on"' in page

    client.post(reverse("registrations:dossier_transition", args=[dossier.pk, "submitted"]),
                {"received_on": received.strftime("%d/%m/%Y")})

    dossier.refresh_from_db()
    assert (dossier.status, dossier.received_on, dossier.commune_due_on) == ("submitted", received, commune_due_date(received))


def test_a_badly_typed_receipt_day_is_explained_and_changes_nothing(client, world):
    dossier = world.complete_dossier()
    client.force_login(world.officer)

    response = client.post(reverse("registrations:dossier_transition", args=[dossier.pk, "submitted"]),
                           {"received_on": "31/02/2026"}, follow=True)

    assert "Ngày nhận hồ sơ giấy: Nhập ngày theo dạng dd/mm/yyyy." in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == "draft"


def test_the_producer_account_is_not_offered_a_receipt_day(client, world):
    dossier = world.complete_dossier()
    client.force_login(world.producer_user)
    page = client.get(reverse("registrations:dossier_detail", args=[dossier.pk])).content.decode()
    assert reverse("registrations:dossier_transition", args=[dossier.pk, "submitted"]) in page  # it may submit
    assert 'name="received_on"' not in page
