from django.urls import reverse

from reports.enums import RunStatus
from reports.models import ReportRun
from tests.factories import PASSWORD

from .factories import ReportRunFactory


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_report_list_api_gives_the_codes_the_user_may_run(client, world):
    login(client, world.viewer)
    data = client.get("/api/reports/").json()
    assert [r["code"] for r in data] == ["dossier_progress", "support_steps", "evaluation_results", "producers",
                                         "ocop_products", "expiring_certificates", "recognitions_by_year",
                                         "plan_progress", "producer_list", "certificate_list", "periodic_progress"]
    assert data[0]["title"] == "Tiến độ hồ sơ OCOP"
    login(client, world.officer)
    assert client.get("/api/reports/").json() == []


def test_create_and_retrieve_a_run(client, world, django_capture_on_commit_callbacks):
    login(client, world.viewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/report-runs/", {"code": "producers", "format": "csv", "province": world.province.pk,
                                                     "year": 2026, "grouping": "old_province"},
                               content_type="application/json")
    assert response.status_code == 201
    run_id = response.json()["id"]
    data = client.get(f"/api/report-runs/{run_id}/").json()
    assert (data["status"], data["row_count"], data["parameters"]["grouping"], data["download_url"]) == (
        RunStatus.DONE, 2, "old_province", reverse("reports:run_download", args=[run_id]))
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post("/api/report-runs/", {"code": "producers", "format": "csv", "province": world.province.pk,
                                                  "year": 2026, "grouping": "old_province"},
                            content_type="application/json")
    assert (again.status_code, again.json()["id"], ReportRun.objects.count()) == (200, run_id, 1)


def test_bad_parameters_are_a_400_with_messages(client, world):
    login(client, world.viewer)
    response = client.post("/api/report-runs/", {"code": "dossier_progress", "format": "csv",
                                                 "province": world.province.pk, "year": 2026, "period": "month"},
                           content_type="application/json")
    assert response.status_code == 400 and response.json() == {"part": ["Hãy nhập số của kỳ (6 tháng, quý hoặc tháng)."]}


def test_another_province_is_404_on_the_api(client, world):
    run = ReportRunFactory(province=world.province)
    login(client, world.other_viewer)
    assert client.get(f"/api/report-runs/{run.pk}/").status_code == 404
    listing = client.get("/api/report-runs/").json()
    assert listing["results"] == [] and listing["count"] == 0
    created = client.post("/api/report-runs/", {"code": "dossier_progress", "format": "csv",
                                                "province": world.province.pk, "year": 2026},
                          content_type="application/json")
    assert created.status_code == 404 and ReportRun.objects.count() == 1
    assert client.post("/api/report-runs/", {"code": "khong-co", "format": "csv", "province": world.other_province.pk,
                                             "year": 2026}, content_type="application/json").status_code == 404


def test_bad_api_input_is_a_4xx_never_a_500(client, world):
    login(client, world.viewer)
    for body in ({"code": "dossier_progress", "format": "csv", "province": 99999999999, "year": 2026},
                 {"code": "dossier_progress", "format": "csv", "province": world.province.pk, "year": 99999999999},
                 {"code": "dossier_progress", "format": "csv", "province": world.province.pk, "year": 2026,
                  "period": "round", "round": 99999999999},
                 {"code": "x" * 5000, "format": "csv", "province": world.province.pk, "year": 2026},
                 {"code": "dossier_progress", "format": "doc", "province": world.province.pk, "year": 2026},
                 {}):
        response = client.post("/api/report-runs/", body, content_type="application/json")
        assert 400 <= response.status_code < 500, (body, response.status_code)
    assert ReportRun.objects.count() == 0


def test_an_overlong_id_is_a_404(client, world):
    login(client, world.viewer)
    huge = "9" * 25
    assert client.get(f"/api/report-runs/{huge}/").status_code == 404
    assert client.get(f"/bao-cao/lan-chay/{huge}/").status_code == 404
    assert client.get(f"/bao-cao/lan-chay/{huge}/tai-ve/").status_code == 404
    assert client.get(f"/bao-cao/ke-hoach/{huge}/").status_code == 404


def test_a_plan_progress_run_names_its_plan_and_another_province_s_plan_is_a_404(client, world,
                                                                                 django_capture_on_commit_callbacks):
    login(client, world.viewer)
    body = {"code": "plan_progress", "format": "csv", "province": world.province.pk, "year": 2026,
            "plan": world.plan.pk}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/report-runs/", body, content_type="application/json")
    run = client.get(f"/api/report-runs/{response.json()['id']}/").json()
    assert (response.status_code, run["parameters"]["plan"], run["status"], run["row_count"]) == (
        201, world.plan.pk, RunStatus.DONE, 8)
    login(client, world.other_viewer)
    assert client.post("/api/report-runs/", body, content_type="application/json").status_code == 404


def test_a_changed_record_makes_a_new_run_on_the_api_and_the_run_says_when_its_figures_were_read(
        client, world, django_capture_on_commit_callbacks):
    from django.utils.dateparse import parse_datetime

    from tests.registrations.factories import ProducerFactory

    login(client, world.viewer)
    body = {"code": "producers", "format": "csv", "province": world.province.pk, "year": 2026, "grouping": "none"}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/api/report-runs/", body, content_type="application/json").json()
    ProducerFactory(commune=world.b, name="HTX Dừa Sáp Cầu Kè")
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post("/api/report-runs/", body, content_type="application/json")
    data = client.get(f"/api/report-runs/{second.json()['id']}/").json()
    run = ReportRun.objects.get(pk=data["id"])
    assert (second.status_code, data["id"] != first["id"], parse_datetime(data["data_as_of"])) == (
        201, True, run.data_as_of)
    lines = run.file.read().decode("utf-8-sig").splitlines()
    run.file.close()
    assert (lines[-1].split(",")[1], len(lines)) == ("6", 3)  # Toàn tỉnh + the total: 6 producers, was 5
