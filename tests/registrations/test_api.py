import pytest
from django.urls import reverse

from registrations.services import commune_assessment_record, dossier_transition
from tests.registrations.factories import DossierFactory, ProducerFactory, ProductGroupFactory, ProductSetFactory


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.province_staff)
    return client


def _ids(response):
    assert response.status_code == 200
    return sorted(row["id"] for row in response.json()["results"])


def test_dossier_api_filters_by_unit_status_type_and_product_group(staff_client, world):
    drinks = ProductGroupFactory(code="II", name="Đồ uống")
    a = DossierFactory(producer=world.producer, kind="first")
    b = DossierFactory(producer=ProducerFactory(commune=world.other_commune), kind="upgrade",
                       previous_certificate="12/GCN-86-2024", product_set=ProductSetFactory(group=drinks))
    url = reverse("registrations:api-dossier-list")
    assert _ids(staff_client.get(url, {"commune": world.commune.pk})) == [a.pk]
    assert _ids(staff_client.get(url, {"kind": "upgrade"})) == [b.pk]
    assert _ids(staff_client.get(url, {"product_group": drinks.pk})) == [b.pk]
    assert _ids(staff_client.get(url, {"status": "draft"})) == sorted([a.pk, b.pk])
    assert _ids(staff_client.get(url, {"status": "forwarded"})) == []


def test_dossier_api_detail_lists_revisions_files_and_assessments(staff_client, world):
    dossier = world.complete_dossier()
    dossier_transition(dossier=dossier, to="submitted", by=world.officer)
    commune_assessment_record(dossier=dossier, by=world.officer, origin_and_raw_material="met", local_labour="met",
                              idea_origin="met", local_identity="not_met", conclusion="forward")
    dossier_transition(dossier=dossier, to="forwarded", by=world.officer)
    data = staff_client.get(reverse("registrations:api-dossier-detail", args=[dossier.pk])).json()
    assert data["status"] == "forwarded" and data["registration_number"] == dossier.registration_number
    assert [r["number"] for r in data["revisions"]] == [1]
    assert sorted(f["kind"] for f in data["revisions"][0]["evidence_files"]) == ["business_registration", "quality_declaration"]
    assert data["revisions"][0]["evidence_files"][0]["url"].startswith("/minh-chung/")
    assert data["assessments"][0]["local_identity"] == "not_met"


def test_producer_api_searches_by_tax_code(staff_client, world):
    ProducerFactory(commune=world.other_commune, tax_code="1300777888", name="Cơ sở bánh tráng")
    response = staff_client.get(reverse("registrations:api-producer-list"), {"q": "1300777"})
    assert [row["name"] for row in response.json()["results"]] == ["Cơ sở bánh tráng"]


def test_api_is_read_only(staff_client, world):
    response = staff_client.post(reverse("registrations:api-dossier-list"), {"product_name": "x"})
    assert response.status_code == 405


def test_dossier_list_rows_are_what_the_serializer_fields_give_one_by_one(staff_client, world):
    """The list's row-by-row representation (issue 13) says exactly what DossierSerializer's fields say."""
    from registrations.api import DossierViewSet
    from registrations.confidential import label_statuses
    from registrations.selectors import dossiers_listed_for
    from registrations.serializers import DossierListSerializer, DossierSerializer

    dossier = world.complete_dossier()
    dossier_transition(dossier=dossier, to="submitted", by=world.officer)
    commune_assessment_record(dossier=dossier, by=world.officer, origin_and_raw_material="met", local_labour="met",
                              idea_origin="met", local_identity="met", conclusion="forward")
    dossier_transition(dossier=dossier, to="forwarded", by=world.officer)
    DossierFactory(producer=ProducerFactory(commune=world.other_commune), kind="upgrade",
                   previous_certificate="12/GCN-86-2024", product_set=ProductSetFactory(group=ProductGroupFactory()))
    DossierFactory(producer=world.producer, product_set=None)
    view = DossierViewSet(action="list", request=staff_client.get("/").wsgi_request)
    view.request.user = world.province_staff
    rows = label_statuses(world.province_staff, view.get_queryset())
    assert len(rows) == 3
    listed = DossierSerializer(rows, many=True)
    assert isinstance(listed, DossierListSerializer)
    assert listed.data == [DossierSerializer(d).data for d in rows]
    assert [d.pk for d in rows] == [d.pk for d in dossiers_listed_for(world.province_staff).order_by("-updated_at", "-pk")]
    response = staff_client.get(reverse("registrations:api-dossier-list"))
    assert response.json()["results"] == [dict(DossierSerializer(d).data) for d in rows]
