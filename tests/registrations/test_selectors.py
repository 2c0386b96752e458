import datetime

from registrations.models import Dossier
from registrations.selectors import dossier_list, revision_diff, support_step_counts
from registrations.services import dossier_transition
from tests.registrations.factories import BusinessPlanFactory, DossierFactory, ProducerFactory, ProductIdeaFactory


def test_dossier_list_overdue_filter_counts_only_commune_stages(world):
    late = world.complete_dossier(product_name="Trễ hạn")
    dossier_transition(dossier=late, to="submitted", by=world.officer)
    Dossier.objects.filter(pk=late.pk).update(commune_due_on=datetime.date(2026, 1, 5))
    DossierFactory(producer=world.producer, product_name="Nháp")
    dossiers, _ = dossier_list(user=world.province_staff, filters={"overdue": "true"})
    assert [d.product_name for d in dossiers] == ["Trễ hạn"]


def test_old_communes_merged_into_the_officers_commune_stay_visible(world):
    from tests.factories import CommuneFactory
    from units.models import UnitLineage

    old = CommuneFactory(parent=world.province, name="Xã Hòa Nghĩa (cũ)", valid_from=datetime.date(2008, 1, 1), valid_to=datetime.date(2025, 6, 30))
    UnitLineage.objects.create(old=old, new=world.commune, effective_on=datetime.date(2025, 7, 1))
    legacy = DossierFactory(producer=ProducerFactory(commune=old), product_name="Hồ sơ xã cũ")
    dossiers, _ = dossier_list(user=world.officer, filters={})
    assert legacy in list(dossiers)


def test_revision_diff_names_changed_fields_and_files(world):
    dossier = world.complete_dossier()
    first = dossier.revisions.get()
    from registrations.services import _new_revision

    second = _new_revision(dossier, world.officer)
    second.markets = "Sàn Tiki"
    second.save()
    second.evidence_files.filter(kind="quality_declaration").delete()
    diff = revision_diff(first, second)
    assert [(f["name"], f["old"], f["new"]) for f in diff["fields"]] == [("markets", "", "Sàn Tiki")]
    assert [e.original_name for e in diff["removed"]] == ["cong-bo.pdf"] and diff["added"] == []


def test_support_steps_are_counted_by_status_for_the_province(world):
    ProductIdeaFactory(producer=world.producer, status="approved")
    ProductIdeaFactory(producer=world.producer, status="registered")
    ProductIdeaFactory(producer=ProducerFactory(commune=world.far_commune), status="approved")
    BusinessPlanFactory(producer=world.producer, status="implementing")
    counts = support_step_counts(user=world.province_staff, year=2026)
    assert counts == {"ideas": {"approved": 1, "registered": 1}, "plans": {"implementing": 1}}
