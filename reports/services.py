"""Writes of the reports app: requesting and executing report runs, delivering subscriptions."""
import datetime
import hashlib
import json
import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activity.services import activity_record, effect_record

from .enums import RunFormat, RunStatus
from .models import ReportRun
from .periods import Params

if TYPE_CHECKING:
    from .registry import Table

logger = logging.getLogger(__name__)

def ascii_slug(text: str) -> str:
    """"Tiến độ hồ sơ" → "tien-do-ho-so" (slugify alone drops đ)."""
    return slugify(text.replace("đ", "d").replace("Đ", "D"))


# Identical requests inside this window share one run and one stored file, as long as the data is the same.
REUSE_WINDOW = datetime.timedelta(minutes=15)
# Generated files are kept this long, then the run shows as expired.
KEEP_FILES = datetime.timedelta(days=30)


def report_table(*, report, params: Params) -> "Table":
    """The report's rows, stamped with the moment the data was read ("Số liệu tính đến ...")."""
    return report_tables(report=report, params=params)[0]


def report_tables(*, report, params: Params) -> list["Table"]:
    """Every table of the report (one for most; a periodic progress report has a summary and a section per
    report it combines), each stamped with the moment the data was read. The first is what CSV, XLSX and the
    preview show; the PDF shows them all."""
    as_of = timezone.now()
    tables = report.tables(params)
    for table in tables:
        table.as_of = as_of
    return tables


def table_data_version(table: "Table") -> str:
    """A hash of everything a file shows of the data (titles, columns, rows, total, notes; not the moment it was
    read): equal versions mean equal figures. Exact whatever tables, dates ("quá hạn", "sắp hết hạn") or unit
    names a report reads, and costs no query beyond the report's own constant number."""
    payload = json.dumps([str(table.title), str(table.subtitle), [[c.key, str(c.label), c.kind] for c in table.columns],
                          table.rows, table.total, [str(n) for n in table.notes]],
                         default=str, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def tables_data_version(tables: list["Table"]) -> str:
    """The data version of a file made of several tables (one table: its own version)."""
    if len(tables) == 1:
        return table_data_version(tables[0])
    return hashlib.sha256(":".join(table_data_version(t) for t in tables).encode()).hexdigest()


def render_report_file(*, fmt: str, report, params: Params, tables: list["Table"], progress=None) -> bytes:
    """The file's bytes: CSV and XLSX hold the first table, the PDF is the whole document (reports.pdf)."""
    if fmt == RunFormat.PDF:
        from .pdf import letterhead_for, to_pdf

        return to_pdf(tables, subject=report.subject(params), letterhead=letterhead_for(params.province),
                      progress=progress)
    from .formatters import RENDERERS

    return RENDERERS[fmt][0](tables[0], progress=progress)


def file_rows(fmt: str, tables: list["Table"]) -> int:
    """The rows the file will hold: the total of a long job's progress."""
    return sum(len(t.rows) for t in tables) if fmt == RunFormat.PDF else len(tables[0].rows)


def _progress_recorder(run_id: int, total: int):
    """`progress(rows_done)` for a renderer: records the rows written on the run (its page shows the percent)."""
    from .formatters import PROGRESS_STEP

    last = 0

    def progress(done: int):
        nonlocal last
        if done - last >= PROGRESS_STEP or done >= total:
            ReportRun.objects.filter(pk=run_id).update(rows_done=min(done, total))
            last = done

    return progress


@transaction.atomic
def report_run_request(*, code: str, params: Params, fmt: str, by) -> tuple[ReportRun, bool]:
    """Create a run and queue its rendering once the transaction commits; or return an identical run finished
    within REUSE_WINDOW from the same data, so the same file is generated and stored once. The report's rows are
    read here to know the data's version (a constant number of aggregate queries): a record changed since the
    earlier file makes a new run, never a stale file. A run still queued or running is not handed back: it may
    be stuck (its hand-over lost), and the effects sweep re-dispatches it.

    Returns (run, created)."""
    from .registry import get_report
    from .tasks import report_run_execute

    report = get_report(code)
    if report is None:
        raise ValidationError(_("Không có báo cáo này."))
    if fmt not in RunFormat.values:
        raise ValidationError(_("Định dạng không hợp lệ."))
    now = timezone.now()
    fingerprint = params.fingerprint(code, fmt)
    with translation.override(settings.LANGUAGE_CODE):  # the language the file is made in
        data_version = tables_data_version(report_tables(report=report, params=params))
    reusable = (ReportRun.objects.filter(fingerprint=fingerprint, province=params.province, data_version=data_version,
                                         created_at__gte=now - REUSE_WINDOW, expires_at__gt=now,
                                         status=RunStatus.DONE).exclude(file="").order_by("-created_at").first())
    if reusable is not None:
        return reusable, False
    run = ReportRun.objects.create(code=code, parameters=params.to_json(), fingerprint=fingerprint,
                                   province=params.province, format=fmt, requested_by=by,
                                   expires_at=now + KEEP_FILES)
    activity_record(actor=by, verb=gettext_lazy("Yêu cầu lập báo cáo"), target=run,
                    after={"code": code, "format": fmt, **params.to_json()})
    effect_record(task=report_run_execute, kwargs={"run_id": run.pk})
    return run, True


def _stored_run_with_data(run: ReportRun, data_version: str) -> ReportRun | None:
    """A finished run of the same report, parameters and format whose kept file was made from the same data."""
    return (ReportRun.objects.filter(fingerprint=run.fingerprint, province_id=run.province_id,
                                     data_version=data_version, status=RunStatus.DONE, expires_at__gt=timezone.now())
            .exclude(file="").exclude(pk=run.pk).order_by("-finished_at", "-pk").first())


def report_run_execute(*, run_id: int) -> ReportRun | None:
    """Render the run's file. Idempotent: a run that is already done is left alone (one file per run).

    Files are stored once per content: when a finished run of the same report, parameters and format was made
    from the same data (equal data_version), this run shares its stored file and its "Số liệu tính đến"."""
    from .registry import get_report

    with transaction.atomic():
        run = ReportRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status == RunStatus.DONE:
            return run
        run.status, run.started_at, run.error = RunStatus.RUNNING, timezone.now(), ""
        run.save(update_fields=["status", "started_at", "error"])
    try:
        # Files are made in the portal's language (Vietnamese), whoever asked and wherever the task runs: a worker
        # has no request language, and the data version is computed in the same language when a run is requested.
        with translation.override(settings.LANGUAGE_CODE):
            report = get_report(run.code)
            params = Params.from_json(run.parameters)
            tables = report_tables(report=report, params=params)
            table = tables[0]
            data_version = tables_data_version(tables)
            same = _stored_run_with_data(run, data_version)
            content = None
            if same is None:
                total = file_rows(run.format, tables)
                ReportRun.objects.filter(pk=run_id).update(rows_total=total, rows_done=0)
                content = render_report_file(fmt=run.format, report=report, params=params, tables=tables,
                                             progress=_progress_recorder(run_id, total))
    except Exception as exc:  # a failed run shows its error instead of spinning forever
        logger.exception("report run %s failed", run_id)
        ReportRun.objects.filter(pk=run_id).update(status=RunStatus.FAILED, error=str(exc)[:2000],
                                                   finished_at=timezone.now())
        return ReportRun.objects.get(pk=run_id)
    with transaction.atomic():
        # Runs of one report, parameters and format store their files one after the other (the oldest such run
        # is the lock, then the run itself): two identical runs rendered at once keep one file.
        ReportRun.objects.select_for_update().filter(fingerprint=run.fingerprint).order_by("pk").only("pk").first()
        run = ReportRun.objects.select_for_update().get(pk=run_id)
        if run.status == RunStatus.DONE:  # a concurrent execution finished first
            return run
        if same is None:  # an identical run finished while this one rendered: keep its file, not a second copy
            same = _stored_run_with_data(run, data_version)
        if same is not None:
            run.file.name, run.file_size, run.data_as_of = same.file.name, same.file_size, same.data_as_of
        else:
            name = f"{ascii_slug(run.code)}-{run.parameters.get('year', '')}-{run.pk}.{run.format}"
            run.file.save(name, ContentFile(content), save=False)
            run.file_size, run.data_as_of = len(content), table.as_of
        run.data_version = data_version
        run.row_count = len(table.rows)
        run.rows_total = run.rows_done = file_rows(run.format, tables)
        run.status = RunStatus.DONE
        run.finished_at = timezone.now()
        run.save(update_fields=["file", "file_size", "row_count", "status", "finished_at", "data_version",
                                "data_as_of", "rows_done", "rows_total"])
    return run


def run_summary(run: ReportRun) -> dict:
    """The run's period and grouping in words, for its page (an unreadable parameter set shows as "—")."""
    from .enums import Grouping

    try:
        params = Params.from_json(run.parameters)
    except Exception:  # a round or province deleted since: the file is still there
        return {"period": "—", "grouping": "—"}
    return {"period": params.period_label, "grouping": Grouping(params.grouping).label}


def report_file_name(run: ReportRun) -> str:
    """The download name: the Vietnamese title, ASCII-folded, with the year and the run id."""
    from .registry import get_report

    report = get_report(run.code)
    title = ascii_slug(str(report.title) if report else run.code) or "bao-cao"
    # The CSV states "Số liệu tính đến" only here (its content stays a plain table); the other formats too.
    as_of = f"-so-lieu-den-{timezone.localtime(run.data_as_of):%Y-%m-%d-%Hh%M}" if run.data_as_of else ""
    return f"{title}-{run.parameters.get('year', '')}{as_of}-{run.pk}.{run.format}"


def subscription_period(sub, *, today: datetime.date) -> str | None:
    """The key of the delivery due for `sub`: the last period of its frequency that ended ("2026-Q3"); None for a
    report no subscription can name."""
    from .enums import FREQUENCY_PERIOD
    from .periods import last_ended_period
    from .registry import get_report

    report = get_report(sub.code)
    if report is None or not report.subscribable:
        return None
    return last_ended_period(FREQUENCY_PERIOD[sub.frequency], today)[2]


def subscription_params(sub, period: str) -> Params:
    """The run parameters of one delivered period; a report without that kind of period gets its year."""
    from .enums import Grouping, PeriodKind
    from .periods import period_from_key
    from .registry import get_report

    report = get_report(sub.code)
    kind, year, part = period_from_key(period)
    if kind not in report.periods:
        kind, part = PeriodKind.YEAR, None
    grouping = report.default_grouping if report.default_grouping in report.groupings else Grouping.NONE
    return Params(province=sub.province, year=year, period=kind, part=part, grouping=grouping)


def subscriptions_deliver(*, today: datetime.date | None = None) -> int:
    """Beat task body: each active subscription whose last period ended since its last delivery gets a delivery
    (an effect: report_subscription_deliver makes the file, then mails it). Returns the number queued."""
    from .models import Subscription
    from .tasks import report_subscription_deliver

    today = today or timezone.localdate()
    queued = 0
    for sub in Subscription.objects.filter(active=True).select_related("province").order_by("pk"):
        due = subscription_period(sub, today=today)
        if due is None or sub.last_period == due:
            continue
        with transaction.atomic():
            effect_record(task=report_subscription_deliver, kwargs={"subscription_id": sub.pk, "period": due})
        queued += 1
    return queued


def subscription_recipients(sub) -> list:
    from .selectors import organisation_recipients

    if sub.organisation_id:
        return organisation_recipients(sub.organisation)
    return [sub.user] if sub.user and sub.user.is_active else []


def subscription_deliver(*, subscription_id: int, period: str):
    """Deliver one period of a subscription: make the file first (or reuse the one made from the same data), then
    put it in the inbox of every recipient and mail it with the file attached and an absolute link
    (OCOP_PUBLIC_BASE_URL). Idempotent: a period already delivered is not delivered again. Returns the run, or
    None when there was nothing to deliver. A run that fails raises, so the task retries with backoff."""
    from activity.services import notify

    from .models import Subscription
    from .registry import get_report

    sub = Subscription.objects.select_related("province", "organisation", "user").filter(pk=subscription_id).first()
    if sub is None or not sub.active or sub.last_period == period or get_report(sub.code) is None:
        return None  # gone, paused, or this period delivered already
    params = subscription_params(sub, period)
    with transaction.atomic():
        run, _created = report_run_request(code=sub.code, params=params, fmt=sub.format, by=sub.created_by)
    run = report_run_execute(run_id=run.pk)  # the file first; the run's own queued task then finds it done
    if run.status != RunStatus.DONE:
        raise RuntimeError(f"report run {run.pk} failed: {run.error}")
    report = get_report(sub.code)
    with transaction.atomic():
        locked = Subscription.objects.select_for_update().get(pk=sub.pk)
        if locked.last_period == period:  # a concurrent delivery of the same period finished first
            return run
        notify(event="report_delivered", recipients=subscription_recipients(sub), target=run,
               context={"run": run, "report_title": str(report.title), "period": params.period_label,
                        "organisation": sub.organisation, "base_url": settings.OCOP_PUBLIC_BASE_URL.rstrip("/"),
                        "file_name": report_file_name(run)})
        locked.last_period = period
        locked.save(update_fields=["last_period"])
        activity_record(actor=None, verb=gettext_lazy("Gửi báo cáo định kỳ"), target=locked,
                        after={"period": period, "run": run.pk})
    return run


SUBSCRIPTION_LOGGED = ("organisation_id", "code", "province_id", "frequency", "format", "active")


@transaction.atomic
def subscription_save(*, subscription, by):
    """Create or change an organisation's standing order (validated, logged with the fields before and after)."""
    from .models import Subscription

    creating = subscription.pk is None
    before = None
    if creating:
        subscription.created_by = by
    else:
        stored = Subscription.objects.select_for_update().get(pk=subscription.pk)
        before = {f: getattr(stored, f) for f in SUBSCRIPTION_LOGGED}
    subscription.full_clean()
    subscription.save()
    activity_record(actor=by, target=subscription, before=before,
                    verb=gettext_lazy("Đăng ký nhận báo cáo") if creating else gettext_lazy("Sửa đăng ký nhận báo cáo"),
                    after={f: getattr(subscription, f) for f in SUBSCRIPTION_LOGGED})
    return subscription


@transaction.atomic
def subscription_delete(*, subscription, by) -> None:
    activity_record(actor=by, target=subscription, verb=gettext_lazy("Hủy đăng ký nhận báo cáo"),
                    before={"subscription": str(subscription)})
    subscription.delete()


def report_runs_purge(*, now=None) -> int:
    """Delete the stored files of expired runs (the run rows stay as history). Returns how many files went."""
    now = now or timezone.now()
    purged = 0
    for run in ReportRun.objects.filter(expires_at__lt=now).exclude(file=""):
        # A file shared by a run still kept (same content, stored once) stays for that run.
        if not ReportRun.objects.filter(file=run.file.name, expires_at__gte=now).exists():
            run.file.delete(save=False)
        run.file = ""
        run.save(update_fields=["file"])
        purged += 1
    return purged
