import pytest
from django.urls import reverse

from reports.rules import may_run_reports
from reports.selectors import reports_for, runs_visible_to
from tests.factories import PASSWORD

from .factories import ReportRunFactory

URL = reverse("reports:report_detail", args=["dossier_progress"])


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_who_may_run_reports(world):
    from tests.factories import UserFactory

    admin = UserFactory(is_superuser=True)
    assert [bool(may_run_reports(u)) for u in (world.viewer, world.staff, world.other_viewer, world.officer, admin)] == [
        True, True, True, False, True]
    assert len(reports_for(world.viewer)) == 11 and reports_for(world.officer) == []


def test_a_commune_officer_gets_404_on_report_pages(client, world):
    login(client, world.officer)
    assert [client.get(u).status_code for u in (reverse("reports:report_list"), URL)] == [404, 404]


def test_runs_of_another_province_are_404(client, world):
    run = ReportRunFactory(province=world.province, status="done")
    run.file.save("a.xlsx", __import__("django.core.files.base", fromlist=["ContentFile"]).ContentFile(b"x"))
    login(client, world.other_viewer)
    assert client.get(reverse("reports:run_detail", args=[run.pk])).status_code == 404
    assert client.get(reverse("reports:run_download", args=[run.pk])).status_code == 404
    assert list(runs_visible_to(world.other_viewer)) == []
    login(client, world.viewer)
    assert client.get(reverse("reports:run_download", args=[run.pk])).status_code == 200
    assert client.get(reverse("reports:run_detail", args=[run.pk])).context["run"] == run


def test_another_province_cannot_be_chosen_and_its_data_never_shows(client, world):
    login(client, world.other_viewer)
    refused = client.get(URL, {"province": world.province.pk, "year": 2026, "period": "year", "grouping": "none"})
    assert refused.context["form"].errors == {"province": ["Bạn không được lập báo cáo của tỉnh này."]}
    assert refused.context["table"] is None
    own = client.get(URL).context["table"]
    assert [r[0] for r in own.rows] == ["Xã Cao Lãnh"] and own.total[14] == 2


def test_export_for_another_province_creates_nothing(client, world):
    from reports.models import ReportRun

    login(client, world.other_viewer)
    client.post(URL, {"province": world.province.pk, "year": 2026, "period": "year", "grouping": "none",
                      "format": "csv"})
    assert ReportRun.objects.count() == 0


@pytest.mark.parametrize("perm, expected", [("reports.view_reportrun", [True, True, False]),
                                            ("plans.change_plan", [False, True, False])])
def test_object_permissions(world, perm, expected):
    obj = ReportRunFactory(province=world.province) if perm.endswith("reportrun") else world.plan
    assert [u.has_perm(perm, obj) for u in (world.viewer, world.staff, world.other_viewer)] == expected
