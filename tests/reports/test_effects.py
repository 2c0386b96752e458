"""reports/effects.py and the report hand-over: with the broker down an export is still accepted, and the run is
rendered once the sweep hands it over."""
import datetime

from django.urls import reverse

from activity.models import Effect
from activity.services import effects_sweep
from reports.enums import RunStatus
from reports.models import ReportRun
from tests.brokers import broker_down

from .test_views import URL, login


def test_with_the_broker_down_an_export_is_accepted_and_the_sweep_renders_one_file(
        client, world, settings, django_capture_on_commit_callbacks):
    login(client, world.viewer)
    form = {"province": world.province.pk, "year": 2026, "period": "year", "grouping": "current_commune",
            "format": "xlsx"}
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form)
        again = client.post(URL, form)  # a stuck run is not handed back: a second run is requested

    runs = list(ReportRun.objects.order_by("pk"))
    assert [(r.status, r.file.name) for r in runs] == [(RunStatus.QUEUED, ""), (RunStatus.QUEUED, "")]
    assert (response.status_code, response.url, again.url) == (
        302, reverse("reports:run_detail", args=[runs[0].pk]), reverse("reports:run_detail", args=[runs[1].pk]))
    assert list(Effect.objects.order_by("pk").values_list("task", "kwargs", "status")) == [
        ("reports.tasks.report_run_execute", {"run_id": r.pk}, "queued") for r in runs]

    with django_capture_on_commit_callbacks(execute=True):  # the broker is back (tasks run in-process here)
        first = effects_sweep(grace=datetime.timedelta(0))  # (the world's rounds also get their minutes)
    with django_capture_on_commit_callbacks(execute=True):
        second = effects_sweep(grace=datetime.timedelta(0))
    assert (first["redispatched"], second) == (2, {"recorded": 0, "redispatched": 0, "failed": 0, "purged": 0})

    runs = list(ReportRun.objects.order_by("pk"))
    assert [(r.status, r.row_count) for r in runs] == [(RunStatus.DONE, 2), (RunStatus.DONE, 2)]
    stored = sorted(p.name for p in (settings.MEDIA_ROOT / "reports" / "runs").rglob("*.xlsx"))
    assert runs[0].file.name == runs[1].file.name  # the same data: one file, stored once
    assert stored == [runs[0].file.name.rsplit("/", 1)[-1]]
    assert list(Effect.objects.filter(task="reports.tasks.report_run_execute").values_list("status", flat=True)) == [
        "done", "done"]


def test_a_run_left_queued_without_an_effect_is_found_and_rendered(world, django_capture_on_commit_callbacks):
    from .factories import ReportRunFactory

    old = ReportRunFactory(province=world.province)
    fresh = ReportRunFactory(province=world.province)
    ReportRun.objects.filter(pk=old.pk).update(created_at=old.created_at - datetime.timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=True):
        effects_sweep()

    assert dict(ReportRun.objects.values_list("pk", "status")) == {old.pk: RunStatus.DONE, fresh.pk: RunStatus.QUEUED}
