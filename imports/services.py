"""Writes of imports: a batch is uploaded, previewed (every row judged, nothing written), confirmed (every valid
row written in one transaction through each app's own services: producers, legacy certificates, trainings,
showrooms) and may be undone while nothing made later depends on its rows. One transition service for the
batch; every step is in the activity log."""
import csv
import datetime
import hashlib
import io
import re

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _l

from activity.services import activity_record, effect_record
from activity.services import in_vietnamese as _vi
from plans.models import Showroom, Training
from plans.services import showroom_record, training_record
from products.models import Certificate, Decision, Product
from products.services import certificate_chain_settle, legacy_certificate_record
from registrations.models import Producer
from registrations.services import producer_create, producer_update

from ocop_portal.text import fold

from .checks import verdicts
from .enums import BATCH_TRANSITIONS, BatchState, RowStatus, Sheet
from .layout import read_file
from .models import ImportBatch, ImportRow

PROGRESS_EVERY = 200


class ImportError_(ValidationError):
    """A refusal the pages and the command show as it is (Vietnamese)."""


def _transition(batch: ImportBatch, to: str, **fields) -> None:
    before = batch.state
    if to not in BATCH_TRANSITIONS[before]:
        raise ImportError_(_("Không thể chuyển lần nhập từ “%(a)s” sang “%(b)s”.")
                           % {"a": BatchState(before).label, "b": BatchState(to).label})
    batch.state = to
    for name, value in fields.items():
        setattr(batch, name, value)
    batch.save(update_fields=["state", *fields])


def _progress_key(batch_id: int) -> str:
    return f"imports:batch:{batch_id}:done"


def batch_progress(batch: ImportBatch) -> int:
    """Rows done: while a confirmed import runs inside its one transaction, its count lives in the cache."""
    if batch.state == BatchState.APPLYING:
        return min(int(cache.get(_progress_key(batch.pk)) or 0), batch.rows_total)
    return batch.rows_done


@transaction.atomic
def batch_create(*, province, file_name: str, content: bytes, by, queue: bool = True) -> ImportBatch:
    """Store the uploaded file (checked readable) and queue its preview (`queue=False`: the caller previews it
    itself, as the command, the one-certificate form and the demo do)."""
    sheets = read_file(file_name, content)  # ValueError with a Vietnamese message
    digest = hashlib.sha256(content).hexdigest()
    batch = ImportBatch(province=province, created_by=by, file_name=file_name[:255], file_hash=digest,
                        rows_total=sum(len(s.rows) for s in sheets))
    batch.file.save(f"{digest}{batch.suffix}", ContentFile(content), save=False)
    batch.full_clean(exclude=["created_by"])  # None when an operator runs import_ocop
    batch.save()
    activity_record(actor=by, verb=_vi(_l("Tải lên tệp nhập dữ liệu")), target=batch,
                    after={"file": batch.file_name, "sha256": digest, "rows": batch.rows_total})
    if queue:
        from .tasks import import_preview

        effect_record(task=import_preview, kwargs={"batch_id": batch.pk})
    return batch


def _sheets(batch: ImportBatch):
    with batch.file.open("rb") as handle:
        return read_file(batch.file_name, handle.read())


def _counts(statuses) -> dict:
    counts = {s: 0 for s in RowStatus.values}
    for status in statuses:
        counts[status] += 1
    return counts


def batch_preview(*, batch_id: int) -> ImportBatch:
    """Judge every row and store the verdicts; nothing else is written. Idempotent (a re-run does nothing)."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        if batch.state != BatchState.UPLOADED:
            return batch
        _transition(batch, BatchState.PREVIEWING, rows_done=0)
    try:
        sheets = _sheets(batch)
        rows, statuses = [], []

        def progress(done):
            if done % PROGRESS_EVERY == 0:
                ImportBatch.objects.filter(pk=batch.pk).update(rows_done=done)

        for v in verdicts(batch.province, sheets, progress):
            rows.append(ImportRow(batch=batch, sheet=v.sheet, line=v.line, key=v.key[:255], status=v.status,
                                  reasons=v.reasons, values=v.values, changes=v.changes))
            statuses.append(v.status)
        with transaction.atomic():
            ImportRow.objects.bulk_create(rows, batch_size=2000)
            _transition(batch, BatchState.PREVIEWED, rows_total=len(rows), rows_done=len(rows),
                        counts=_counts(statuses))
    except (ValueError, OSError) as exc:
        _transition(batch, BatchState.FAILED, message=str(exc))
    return batch


# --- writing -----------------------------------------------------------------------------------------
def _made(obj) -> list:
    return [obj._meta.label_lower, obj.pk]


def _write(v, *, by, province) -> tuple[list, dict]:
    """Write one valid row through its app's service; returns what it made and the changes it made."""
    d = v.data
    if v.sheet == Sheet.PRODUCERS:
        fields = {k: val for k, val in d.items() if val is not None}
        if v.status == RowStatus.UPDATED:
            producer_update(producer=v.target, by=by, authorised=True,
                            **{k: fields[k] for k in v.changes})
            return [[*_made(v.target), "changed"]], v.changes
        producer = producer_create(by=by, **fields)
        return [_made(producer)], {}
    if v.sheet == Sheet.PRODUCTS:
        producer = Producer.objects.get(tax_code=d["producer_tax_code"])
        product_existed = Product.objects.filter(code=d["product_code"]).exists()
        decision_before = set(Decision.objects.filter(number=d["decision_number"]).values_list("pk", flat=True))
        cert = legacy_certificate_record(
            producer=producer, product_set=d["product_set"], product_name=d["product_name"],
            product_code=d["product_code"], commune=d["commune"], star=d["star"], level=d["level"],
            issuing_unit=d["issuing_unit"], decision_number=d["decision_number"], decided_on=d["decided_on"],
            certificate_number=d["certificate_number"], signer_name=d["signer_name"], valid_until=d["valid_until"],
            render=False, by=by)
        made = [_made(cert), ["products.decisionitem", cert.item_id]]
        if not product_existed:
            made.append(["products.product", cert.product_id])
        if cert.decision_id not in decision_before:
            made.append(["products.decision", cert.decision_id])
        return made, {}
    if v.sheet == Sheet.TRAININGS:
        training = v.target or Training()
        for name in ("title", "commune", "held_on", "participants", "managers", "organiser"):
            if v.target is None or name in v.changes:
                setattr(training, name, d[name])
        training_record(training=training, by=by)
        return [[*_made(training), "changed"] if v.target else _made(training)], v.changes
    showroom = v.target or Showroom()
    for name in ("name", "commune", "opened_on", "closed_on", "owner_name", "address"):
        if v.target is None or name in v.changes:
            setattr(showroom, name, d[name])
    if v.target is None and d["owner_tax_code"]:
        showroom.owner = Producer.objects.get(tax_code=d["owner_tax_code"])
    showroom_record(showroom=showroom, by=by)
    return [[*_made(showroom), "changed"] if v.target else _made(showroom)], v.changes


def batch_apply(*, batch_id: int, by_id: int | None) -> ImportBatch:
    """Write every valid row of a previewed batch in one transaction: all of them or, if any write fails, none
    (the batch then says which row failed and why). The rows are judged again against today's database, so a
    file confirmed twice writes once. Idempotent, and safe to deliver again after a worker died mid-way."""
    from accounts.models import User

    by = User.objects.filter(pk=by_id).first() if by_id else None
    with transaction.atomic():
        # A run that is writing holds the batch's lock: a second delivery of the task skips it. A batch left
        # "applying" by a worker that died (its transaction rolled back) is taken up again by the next delivery.
        batch = ImportBatch.objects.select_for_update(skip_locked=True).filter(pk=batch_id).first()
        if batch is None:
            return ImportBatch.objects.get(pk=batch_id)
        if batch.state == BatchState.PREVIEWED:
            _transition(batch, BatchState.APPLYING, applied_by=by, rows_done=0)
        elif batch.state != BatchState.APPLYING:
            return batch
    cache.set(_progress_key(batch.pk), 0, 3600)
    sheets = _sheets(batch)
    failure = None
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)  # held until the rows are written
            if batch.state != BatchState.APPLYING:
                return batch
            rows, statuses, done = [], [], 0
            for v in verdicts(batch.province, sheets):
                made, changes = [], v.changes
                if v.status in (RowStatus.NEW, RowStatus.UPDATED):
                    try:
                        with transaction.atomic():
                            made, changes = _write(v, by=by, province=batch.province)
                    except ValidationError as exc:
                        failure = _("Dòng %(line)s (%(sheet)s): %(msg)s") % {
                            "line": v.line, "sheet": Sheet(v.sheet).label, "msg": " ".join(exc.messages)}
                        raise
                rows.append(ImportRow(batch=batch, sheet=v.sheet, line=v.line, key=v.key[:255], status=v.status,
                                      reasons=v.reasons, values=v.values, changes=changes, made=made))
                statuses.append(v.status)
                done += 1
                if done % PROGRESS_EVERY == 0:
                    cache.set(_progress_key(batch.pk), done, 3600)
            batch.rows.all().delete()
            ImportRow.objects.bulk_create(rows, batch_size=2000)
            counts = _counts(statuses)
            _transition(batch, BatchState.APPLIED, rows_done=len(rows), rows_total=len(rows), counts=counts,
                        applied_at=timezone.now(),
                        message=_vi(_l("Đã ghi mọi dòng hợp lệ trong một giao dịch; các dòng lỗi không được ghi.")))
            activity_record(actor=by, verb=_vi(_l("Nhập dữ liệu OCOP từ tệp")), target=batch,
                            after={"file": batch.file_name, "sha256": batch.file_hash, **counts})
    except ValidationError:
        batch.refresh_from_db()
        _transition(batch, BatchState.FAILED, message=failure or "")
        activity_record(actor=by, verb=_vi(_l("Nhập dữ liệu OCOP không thành công, không ghi dòng nào")),
                        target=batch, message=failure or "")
    cache.delete(_progress_key(batch.pk))
    return batch


@transaction.atomic
def batch_confirm(*, batch: ImportBatch, by) -> ImportBatch:
    """The user confirmed the preview: the batch is being written from now on, by the task this queues."""
    from .tasks import import_apply

    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.state != BatchState.PREVIEWED:
        raise ImportError_(_("Lần nhập này không còn chờ xác nhận."))
    # "Writing" from the confirmation on: the page the user is sent back to shows the progress and follows it
    # (it polls while the batch works), whenever the worker takes the task up.
    _transition(locked, BatchState.APPLYING, applied_by=by, rows_done=0)
    effect_record(task=import_apply, kwargs={"batch_id": batch.pk, "by_id": by.pk})
    return locked


# --- undo --------------------------------------------------------------------------------------------
_UNDO_ORDER = ["plans.showroom", "plans.training", "products.certificate", "products.decisionitem",
               "products.decision", "products.product", "registrations.producer"]


def batch_undo(*, batch: ImportBatch, by) -> ImportBatch:
    """Delete what the batch made and put back what it changed, in one transaction, unless something made
    later depends on its rows (a dossier of an imported producer, a certificate that supersedes an imported
    one…): then nothing changes and the reason is given."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.state != BatchState.APPLIED:
            raise ImportError_(_("Chỉ hoàn tác được lần nhập đã ghi."))
        made: dict = {label: [] for label in _UNDO_ORDER}
        updated = []
        for row in batch.rows.exclude(status=RowStatus.ERROR).only("sheet", "made", "changes", "values"):
            for label, pk, *changed in row.made:
                if changed:
                    updated.append((label, pk, row.changes))
                else:
                    made[label].append(pk)
        products = set(Certificate.objects.filter(pk__in=made["products.certificate"])
                       .values_list("product_id", flat=True))
        try:
            with transaction.atomic():
                for label in _UNDO_ORDER:
                    if made[label]:
                        apps.get_model(label).objects.filter(pk__in=made[label]).delete()
        except (ProtectedError, RestrictedError) as exc:
            blocking = sorted({str(o._meta.verbose_name) for o in exc.protected_objects
                               if hasattr(exc, "protected_objects")} if isinstance(exc, ProtectedError)
                              else {str(o._meta.verbose_name) for o in exc.restricted_objects})
            raise ImportError_(_("Không hoàn tác được: đã có bản ghi lập sau dựa vào dữ liệu của lần nhập này (%(what)s).")
                               % {"what": ", ".join(blocking)}) from None
        for label, pk, changes in updated:
            _restore(label, pk, changes, by=by)
        for product in Product.objects.filter(pk__in=products):
            certificate_chain_settle(product=product)
        _transition(batch, BatchState.UNDONE, undone_at=timezone.now())
        activity_record(actor=by, verb=_vi(_l("Hoàn tác lần nhập dữ liệu")), target=batch,
                        after={"deleted": sum(len(v) for v in made.values()), "restored": len(updated)})
    return batch


def _restore(label: str, pk: int, changes: dict, *, by) -> None:
    """Put back the values an import changed, through the record's own service."""
    obj = apps.get_model(label).objects.get(pk=pk)
    before = {}
    for name, (old, _new) in changes.items():
        field = obj._meta.get_field(name)
        before[name] = datetime.date.fromisoformat(old) if old and field.get_internal_type() == "DateField" else old
    if isinstance(obj, Producer):
        producer_update(producer=obj, by=by, authorised=True, **before)
        return
    for name, value in before.items():
        setattr(obj, name, value)
    if isinstance(obj, Training):
        training_record(training=obj, by=by)
    else:
        showroom_record(showroom=obj, by=by)


# --- one certificate typed by staff ------------------------------------------------------------------
_TAX_IN_TEXT = re.compile(r"\b(\d{10}(?:-\d{3})?)\b")


def _producer_tax_code(province, text: str) -> tuple[str, str]:
    """(tax code, error): "HTX Dừa — 1300111222", "1300111222" or a name matching one producer of the province."""
    from ocop_portal.text import matching

    found = _TAX_IN_TEXT.search(text)
    if found:
        return found.group(1), ""
    producers = list(matching(Producer.objects.filter(commune__current_province=province), text)
                     .values_list("name", "tax_code")[:6])
    exact = [p for p in producers if fold(p[0]) == fold(text)]
    if len(exact) == 1 or len(producers) == 1:
        return (exact or producers)[0][1], ""
    if not producers:
        return "", _("Không tìm thấy chủ thể “%(v)s” trong tỉnh.") % {"v": text}
    return "", _("“%(v)s” khớp nhiều chủ thể: %(list)s.") % {
        "v": text, "list": "; ".join(f"{n} — {t}" for n, t in producers)}


def certificate_enter(*, province, data: dict, by) -> tuple[ImportBatch | None, list]:
    """Enter one certificate issued before the portal, from the staff's form: the same checks and writes as a
    file (a one-row import, so it is logged and can be undone). Returns (batch, []) or (None, [(field, error)])."""
    from .layout import SHEETS, column_letter

    tax_code, error = _producer_tax_code(province, data["producer"])
    if error:
        return None, [("producer", error)]
    columns = [c for c in SHEETS[Sheet.PRODUCTS][1] if not c.export_only]
    values = {**data, "producer_tax_code": tax_code}
    row = []
    for c in columns:
        value = values.get(c.field)
        row.append(value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else ("" if value is None else str(value)))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in columns])
    writer.writerow(row)
    content = out.getvalue().encode("utf-8")
    name = f"giay-chung-nhan-{slugify(data['certificate_number']) or 'moi'}.csv"
    sheets = read_file(name, content)
    verdict = next(iter(verdicts(province, sheets)))
    if verdict.status == RowStatus.UNCHANGED:
        return None, [("certificate_number", _("Giấy chứng nhận này đã có trong cổng."))]
    if verdict.status == RowStatus.ERROR:
        by_letter = {column_letter(i): field for field, i in sheets[0].fields.items()}
        fields = {"producer_tax_code": "producer", "commune_code": "commune", "district": "commune",
                  "province_name": "commune"}
        errors = []
        for reason in verdict.reasons:
            field = by_letter.get(re.sub(r"\d+$", "", reason["cell"]), "")
            errors.append((fields.get(field, field), reason["message"]))
        return None, errors
    batch = batch_create(province=province, file_name=name, content=content, by=by, queue=False)
    batch_preview(batch_id=batch.pk)
    batch = batch_apply(batch_id=batch.pk, by_id=getattr(by, "pk", None))
    if batch.state != BatchState.APPLIED:
        return None, [(None, batch.message)]
    return batch, []
