"""A commune officer sees their commune's records and gets 404 for another commune's, across the pages,
the API and the file URLs; province staff see the whole province and nothing of another."""
import pytest
from django.urls import reverse

from registrations.models import EvidenceFile
from tests.registrations.factories import DossierFactory, ProducerFactory

# role key → may see the records of the producer in commune A1 of province A
EXPECTED = {
    "officer": True,
    "other_officer": False,          # commune A2 of the same province
    "province_staff": True,
    "other_province_staff": False,
    "producer_user": True,           # the producer's own account
    "other_producer_user": False,    # a producer account of the same commune, another producer
    "council_member": False,         # council members reach dossiers through evaluations' assignments
}


def _urls(dossier, evidence):
    producer = dossier.producer
    return [
        reverse("registrations:producer_detail", args=[producer.pk]),
        reverse("registrations:dossier_detail", args=[dossier.pk]),
        reverse("registrations:api-producer-detail", args=[producer.pk]),
        reverse("registrations:api-dossier-detail", args=[dossier.pk]),
        reverse("registrations:evidence_download", args=[evidence.pk]),
    ]


@pytest.mark.parametrize("who,allowed", EXPECTED.items())
def test_detail_pages_api_and_files_are_visible_only_in_scope(client, world, who, allowed):
    dossier = world.complete_dossier()
    evidence = EvidenceFile.objects.filter(revision__dossier=dossier).first()
    client.force_login(getattr(world, who))
    for url in filter(None, _urls(dossier, evidence)):
        response = client.get(url)
        assert response.status_code == (200 if allowed else 404), (who, url)


@pytest.mark.parametrize("who,allowed", EXPECTED.items())
def test_lists_and_api_lists_show_only_records_in_scope(client, world, who, allowed):
    dossier = world.complete_dossier(product_name="Kẹo dừa sáp Chợ Lách")
    far = DossierFactory(producer=ProducerFactory(commune=world.far_commune), product_name="Xoài cát Cao Lãnh")
    client.force_login(getattr(world, who))
    page = client.get(reverse("registrations:dossier_list")).content.decode()
    assert ("Kẹo dừa sáp Chợ Lách" in page) is allowed
    sees_far = who == "other_province_staff"  # the far dossier is in their own province
    assert (far.product_name in page) is sees_far
    api = client.get(reverse("registrations:api-dossier-list")).json()
    assert [row["id"] for row in api["results"]] == ([dossier.pk] if allowed else []) + ([far.pk] if sees_far else [])
    producers = client.get(reverse("registrations:api-producer-list")).json()
    assert ("1300123456" in [row["tax_code"] for row in producers["results"]]) is allowed
    producer_page = client.get(reverse("registrations:producer_list")).content.decode()
    assert ("HTX Dừa Xiêm Chợ Lách" in producer_page) is allowed


def test_province_staff_see_every_commune_of_their_province(client, world):
    DossierFactory(producer=ProducerFactory(commune=world.other_commune), product_name="Bánh tráng Mỹ Lồng")
    world.complete_dossier(product_name="Kẹo dừa sáp")
    DossierFactory(producer=ProducerFactory(commune=world.far_commune), product_name="Xoài cát")
    client.force_login(world.province_staff)
    names = sorted(row["product_name"] for row in client.get(reverse("registrations:api-dossier-list")).json()["results"])
    assert names == ["Bánh tráng Mỹ Lồng", "Kẹo dừa sáp"]


@pytest.mark.parametrize("who", ["other_officer", "province_staff", "council_member", "other_producer_user"])
def test_who_may_not_edit_gets_404_on_edit_and_form_03(client, world, who):
    dossier = world.complete_dossier()
    client.force_login(getattr(world, who))
    assert client.get(reverse("registrations:dossier_edit", args=[dossier.pk])).status_code == 404
    assert client.get(reverse("registrations:commune_assessment", args=[dossier.pk])).status_code == 404


@pytest.mark.parametrize("who", ["other_officer", "other_province_staff", "council_member"])
def test_transition_and_file_delete_urls_are_404_out_of_scope(client, world, who):
    dossier = world.complete_dossier()
    evidence = EvidenceFile.objects.filter(revision__dossier=dossier).first()
    client.force_login(getattr(world, who))
    assert client.post(reverse("registrations:dossier_transition", args=[dossier.pk, "submitted"])).status_code == 404
    assert client.post(reverse("registrations:evidence_delete", args=[evidence.pk])).status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == "draft" and EvidenceFile.objects.filter(pk=evidence.pk).exists()


def test_anonymous_users_are_sent_to_login_and_the_api_refuses(client, world):
    dossier = world.complete_dossier()
    response = client.get(dossier.get_absolute_url())
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.get(reverse("registrations:api-dossier-list")).status_code in (401, 403)


def test_producer_account_prepares_its_dossier_which_reaches_the_officer(client, world):
    client.force_login(world.producer_user)
    dossier = world.complete_dossier()
    assert client.get(reverse("registrations:dossier_edit", args=[dossier.pk])).status_code == 200
    client.post(reverse("registrations:dossier_transition", args=[dossier.pk, "submitted"]))
    dossier.refresh_from_db()
    assert dossier.status == "submitted"
    client.force_login(world.officer)
    home = client.get(reverse("home")).content.decode()
    assert "Hồ sơ chờ xã đánh giá (Mẫu 03) và chuyển lên tỉnh" in home


# --- issue 8, item 9: an ended role ends all access -------------------------------------------------------
def _end_roles(user):
    import datetime

    from django.utils import timezone

    from accounts.models import RoleAssignment

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    RoleAssignment.objects.filter(user=user).update(valid_from=yesterday - datetime.timedelta(days=365),
                                                    valid_to=yesterday)


@pytest.mark.parametrize("who", ["producer_user", "officer", "province_staff"])
def test_a_role_ended_yesterday_gets_404_on_pages_api_and_files(client, world, who):
    dossier = world.complete_dossier()
    evidence = EvidenceFile.objects.filter(revision__dossier=dossier).first()
    _end_roles(getattr(world, who))
    client.force_login(getattr(world, who))
    for url in _urls(dossier, evidence):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("registrations:api-dossier-list")).json()["count"] == 0


def test_a_producer_account_whose_role_ended_can_no_longer_edit_its_dossier(client, world):
    from registrations.services import TransitionNotAllowed, dossier_update

    dossier = world.complete_dossier(product_name="Kẹo dừa sáp")
    _end_roles(world.producer_user)

    with pytest.raises(TransitionNotAllowed):
        dossier_update(dossier=dossier, by=world.producer_user, product_name="Kẹo dừa lá dứa")
    client.force_login(world.producer_user)
    response = client.post(reverse("registrations:dossier_edit", args=[dossier.pk]), {"product_name": "Kẹo dừa lá dứa"})
    assert response.status_code == 404
    dossier.refresh_from_db()
    assert dossier.product_name == "Kẹo dừa sáp"


def test_a_producer_link_without_the_producer_role_in_its_commune_grants_nothing(client, world):
    """The account link alone is not enough: the producer role must be held (today) in the producer's commune."""
    from accounts.models import RoleAssignment

    dossier = world.complete_dossier()
    RoleAssignment.objects.filter(user=world.producer_user).update(unit=world.other_commune)
    client.force_login(world.producer_user)
    assert client.get(reverse("registrations:dossier_detail", args=[dossier.pk])).status_code == 404
