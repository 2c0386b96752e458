"""Writes of the registrations app: producers, support steps, dossiers, evidence, Form 03, transitions.

Every change of a dossier's status goes through `dossier_transition`, which checks the transition
table (enums.DOSSIER_TRANSITIONS) and the permission (rules.may_transition), writes the activity log
and queues the notifications.
"""
import datetime
import hashlib
import re
import unicodedata
import zipfile
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from accounts.models import RoleAssignment, User
from accounts.selectors import unit_in_scope
from activity.services import activity_record, notify
from activity.services import in_vietnamese as _vi
from units.models import AdministrativeUnit

from .enums import (
    BUSINESS_PLAN_TRANSITIONS,
    DOSSIER_TRANSITIONS,
    IDEA_TRANSITIONS,
    REQUIRED_EVIDENCE,
    AssessmentConclusion,
    CounterKind,
    DossierKind,
    DossierStatus,
    EvidenceKind,
)
from .models import (
    BusinessPlan,
    CommuneAssessment,
    Dossier,
    DossierRevision,
    EvidenceFile,
    Holiday,
    Producer,
    ProductIdea,
    RegistrationCounter,
)
from .previous_certificate import previous_certificate_refusals
from .rules import can_assess_dossier, can_change_producer, can_edit_dossier, may_move_support_step, may_transition
from .workdays import COMMUNE_ASSESSMENT_WORKING_DAYS, add_working_days, holiday_rows_from_file

# Sent inside the transaction after every dossier transition: higher layers (evaluations) listen here.
dossier_transitioned = Signal()  # kwargs: dossier, before, after, by, note


class TransitionNotAllowed(Exception):
    """An illegal move for the dossier's current state, or one the user may not make."""


class DossierIncomplete(ValidationError):
    """The dossier lacks what the next step needs (Form 01 fields, required evidence, Form 03)."""



def _previous_certificate_check(dossier: Dossier, *, filing: bool, field_error: bool = False) -> None:
    """Refuse a dossier naming a certificate it may not build on (the products app's check, see
    previous_certificate.py): as an error of the previous_certificate field while it is being edited, as
    DossierIncomplete at a later step."""
    reasons = previous_certificate_refusals(dossier, filing=filing)
    if reasons and field_error:
        raise ValidationError({"previous_certificate": reasons}, code="previous_certificate")
    if reasons:
        raise DossierIncomplete(reasons)


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value or "")


# --- producers ----------------------------------------------------------------------------------------
PRODUCER_FIELDS = (
    "kind", "name", "tax_code", "registered_on", "commune", "address", "representative_name",
    "representative_position", "representative_gender", "representative_ethnicity", "phone", "email", "website",
    "workforce_total", "workforce_local", "sales_channels", "certificates", "craft_village", "in_value_chain",
)


def _changes(instance: Model, data: dict) -> tuple[dict, dict]:
    before, after = {}, {}
    for name, value in data.items():
        old = getattr(instance, name)
        if old != value:
            before[name], after[name] = old, value
    return before, after


def _producer_save(producer: Producer) -> None:
    """Save; a tax code taken by a concurrent request (after full_clean looked) is a form error, not a 500."""
    try:
        with transaction.atomic():
            producer.save()
    except IntegrityError:
        if Producer.objects.filter(tax_code=producer.tax_code).exclude(pk=producer.pk).exists():
            raise ValidationError({"tax_code": _vi(_("Chủ thể có mã số thuế này đã có."))}, code="duplicate") from None
        raise


@transaction.atomic
def producer_create(*, by: User, **data) -> Producer:
    producer = Producer(created_by=by, **{k: v for k, v in data.items() if k in PRODUCER_FIELDS})
    producer.full_clean()
    _producer_save(producer)
    activity_record(actor=by, verb=_vi(_("Tạo chủ thể")), target=producer, after={"tax_code": producer.tax_code})
    return producer


@transaction.atomic
def producer_update(*, producer: Producer, by: User, authorised: bool = False, **data) -> Producer:
    """`authorised`: the caller has checked the user's right itself (an import by the province's staff)."""
    if not authorised and not can_change_producer.test(by, producer):
        raise TransitionNotAllowed(_vi(_("Bạn không có quyền sửa chủ thể này.")))
    data = {k: v for k, v in data.items() if k in PRODUCER_FIELDS}
    before, after = _changes(producer, data)
    for name, value in data.items():
        setattr(producer, name, value)
    producer.full_clean()
    _producer_save(producer)
    if after:
        activity_record(actor=by, verb=_vi(_("Sửa chủ thể")), target=producer, before=before, after=after)
    return producer


@transaction.atomic
def producer_account_link(*, producer: Producer, user: User, by: User | None = None) -> None:
    producer.accounts.add(user)
    activity_record(actor=by, verb=_vi(_("Gắn tài khoản chủ thể")), target=producer, after={"user": user.username})


# --- support steps: product ideas and business plans --------------------------------------------------------
SUPPORT_STEP_FIELDS = ("producer", "commune", "year", "title", "description", "summary", "idea")


def _support_step_save(*, model, instance, by: User, verb: str, data: dict):
    """Create or update a product idea or business plan (the same shape), logging what changed.

    Its status is not among the fields: it moves only through `support_step_transition` (issue 8, item 10).
    """
    if "status" in data:
        raise TransitionNotAllowed(_vi(_("Trạng thái chỉ được đổi bằng thao tác chuyển trạng thái.")))
    data = {k: v for k, v in data.items() if k in SUPPORT_STEP_FIELDS}
    created = instance is None
    instance = instance or model(created_by=by)
    before, after = _changes(model.objects.get(pk=instance.pk), data) if not created else ({}, data)
    for name, value in data.items():
        setattr(instance, name, value)
    if instance.producer_id and not instance.commune_id:
        instance.commune = instance.producer.commune
    instance.full_clean()
    instance.save()
    activity_record(actor=by, verb=verb, target=instance, before=before, after=after)
    return instance


@transaction.atomic
def product_idea_save(*, by: User, idea: ProductIdea | None = None, **data) -> ProductIdea:
    return _support_step_save(model=ProductIdea, instance=idea, by=by, verb=_vi(_("Ghi ý tưởng sản phẩm")), data=data)


@transaction.atomic
def business_plan_save(*, by: User, plan: BusinessPlan | None = None, **data) -> BusinessPlan:
    return _support_step_save(model=BusinessPlan, instance=plan, by=by, verb=_vi(_("Ghi phương án kinh doanh")), data=data)


@transaction.atomic
def support_step_transition(*, item: ProductIdea | BusinessPlan, to: str, by: User, note: str = "") -> ProductIdea | BusinessPlan:
    """Move a product idea or business plan to another status: the table in enums says where it may go,
    rules.may_move_support_step who may move it (the commune or province decides; the producer hands in)."""
    model = type(item)
    table = IDEA_TRANSITIONS if model is ProductIdea else BUSINESS_PLAN_TRANSITIONS
    locked = model.objects.select_for_update().select_related("producer__commune").get(pk=item.pk)
    if to not in table.get(locked.status, set()):
        raise TransitionNotAllowed(_vi(_("Không thể chuyển từ “%(a)s” sang “%(b)s”.")) % {
            "a": locked.get_status_display(), "b": dict(model._meta.get_field("status").choices).get(to, to)})
    if not may_move_support_step(by, locked.producer, to):
        raise TransitionNotAllowed(_vi(_("Bạn không có quyền chuyển trạng thái này.")))
    before = locked.status
    locked.status = to
    locked.full_clean()
    locked.save(update_fields=["status"])
    verb = _("Chuyển trạng thái ý tưởng sản phẩm") if model is ProductIdea else _("Chuyển trạng thái phương án kinh doanh")
    activity_record(actor=by, verb=_vi(verb), target=locked, before={"status": before}, after={"status": to},
                    message=_nfc(note).strip())
    item.status = locked.status
    return locked


# --- dossiers -------------------------------------------------------------------------------------------------
DOSSIER_FIELDS = ("kind", "product_name", "product_set", "previous_certificate")


def _form01_defaults(producer: Producer) -> dict:
    return {
        "representative_name": producer.representative_name,
        "representative_position": producer.representative_position,
        "contact_address": producer.address,
        "phone": producer.phone,
        "email": producer.email,
    }


@transaction.atomic
def dossier_create(*, producer: Producer, by: User, revision_data: dict | None = None, **data) -> Dossier:
    dossier = Dossier(
        producer=producer, commune=producer.commune, created_by=by, year=timezone.localdate().year,
        **{k: v for k, v in data.items() if k in DOSSIER_FIELDS},
    )
    dossier.full_clean()
    _previous_certificate_check(dossier, filing=True, field_error=True)
    dossier.save()
    revision = DossierRevision(dossier=dossier, number=1, created_by=by, **_form01_defaults(producer))
    for name, value in (revision_data or {}).items():
        if name in DossierRevision.DATA_FIELDS:
            setattr(revision, name, value)
    revision.full_clean()
    revision.save()
    activity_record(actor=by, verb=_vi(_("Tạo hồ sơ")), target=dossier, after={"product_name": dossier.product_name})
    return dossier


def current_revision(dossier: Dossier) -> DossierRevision:
    return dossier.revisions.get(number=dossier.revision_number)


@transaction.atomic
def dossier_update(*, dossier: Dossier, by: User, revision_data: dict | None = None, **data) -> Dossier:
    """Save the editable parts of a draft or returned dossier (Form 01, Form 02 parts I, II, IV)."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if not can_edit_dossier.test(by, dossier):
        raise TransitionNotAllowed(_vi(_("Hồ sơ này không còn được sửa.")))
    data = {k: v for k, v in data.items() if k in DOSSIER_FIELDS}
    before, after = _changes(dossier, data)
    for name, value in data.items():
        setattr(dossier, name, value)
    dossier.full_clean()
    filing = dossier.status == DossierStatus.DRAFT or bool({"kind", "previous_certificate"} & set(after))
    _previous_certificate_check(dossier, filing=filing, field_error=True)
    dossier.save()
    revision = current_revision(dossier)
    revision_data = {k: v for k, v in (revision_data or {}).items() if k in DossierRevision.DATA_FIELDS}
    rev_before, rev_after = _changes(revision, revision_data)
    for name, value in revision_data.items():
        setattr(revision, name, value)
    revision.full_clean()
    revision.save()
    before.update(rev_before)
    after.update(rev_after)
    if after:
        activity_record(actor=by, verb=_vi(_("Lưu hồ sơ")), target=dossier, before=before, after=after)
    return dossier


def dossier_missing_items(dossier: Dossier, *, evidence: bool = True) -> list[str]:
    """What keeps the dossier from being submitted, as Vietnamese sentences (empty when complete); without
    the required evidence when `evidence` is False (the edit page lists that as a checklist of its own)."""
    missing = []
    revision = current_revision(dossier)
    if not dossier.product_set_id:
        missing.append(_vi(_("Chưa chọn bộ sản phẩm.")))
    if dossier.kind != DossierKind.FIRST and not dossier.previous_certificate:
        missing.append(_vi(_("Hồ sơ nâng hạng hoặc đánh giá lại phải ghi số giấy chứng nhận đã được cấp.")))
    for name in ("representative_name", "contact_address", "phone"):
        if not getattr(revision, name):
            label = DossierRevision._meta.get_field(name).verbose_name
            missing.append(_vi(_("Phiếu đăng ký (Mẫu 01) thiếu: %(field)s.")) % {"field": _vi(label)})
    kinds = set(revision.evidence_files.values_list("kind", flat=True)) if evidence else set(REQUIRED_EVIDENCE)
    for kind in REQUIRED_EVIDENCE:
        if kind not in kinds:
            missing.append(_vi(_("Thiếu minh chứng bắt buộc: %(kind)s.")) % {"kind": _vi(EvidenceKind(kind).label)})
    return missing


# --- evidence files ---------------------------------------------------------------------------------------
OOXML_PREFIX = {".docx": "word/", ".xlsx": "xl/", ".pptx": "ppt/"}
ALLOWED_TYPES = {
    ".pdf": {"application/pdf"},
    ".jpg": {"image/jpeg"},
    ".jpeg": {"image/jpeg"},
    ".png": {"image/png"},
    ".webp": {"image/webp"},
    ".doc": {"application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"},
    ".xls": {"application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"},
    ".ppt": {"application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"},
    ".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/zip"},
    ".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip"},
    ".pptx": {"application/vnd.openxmlformats-officedocument.presentationml.presentation", "application/zip"},
    ".odt": {"application/vnd.oasis.opendocument.text"},
    ".ods": {"application/vnd.oasis.opendocument.spreadsheet"},
    ".odp": {"application/vnd.oasis.opendocument.presentation"},
}
CANONICAL_TYPE = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_UNSAFE_NAME = re.compile(r"[^\w\s().,\-]+", re.UNICODE)


def sanitise_filename(name: str) -> str:
    """A display name without paths, control characters or shell-significant punctuation."""
    name = _nfc(Path(str(name).replace("\\", "/")).name)
    stem, suffix = Path(name).stem, Path(name).suffix.lower()
    stem = _UNSAFE_NAME.sub("_", stem).strip(" ._") or "tep"
    suffix = re.sub(r"[^a-z0-9.]", "", suffix)
    return f"{stem[:120]}{suffix}"


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def evidence_file_check(uploaded) -> str:
    """Validate an upload by size, extension and its real content; return the content type to store."""
    name = sanitise_filename(uploaded.name or "")
    suffix = Path(name).suffix.lower()
    limit = settings.OCOP_MAX_UPLOAD_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            _vi(_("Tệp %(name)s quá lớn (%(size)s MB); dung lượng tối đa là %(limit)s MB.")),
            code="too_large", params={"name": name, "size": _mb(uploaded.size), "limit": _mb(limit).replace(",0", "")},
        )
    if uploaded.size == 0:
        raise ValidationError(_vi(_("Tệp %(name)s rỗng.")), code="empty", params={"name": name})
    if suffix not in ALLOWED_TYPES:
        raise ValidationError(
            _vi(_("Không nhận loại tệp %(suffix)s. Chỉ nhận PDF, ảnh (JPG, PNG, WebP) và văn bản Office (DOC, DOCX, XLS, XLSX, PPT, PPTX, ODT, ODS, ODP).")),
            code="extension", params={"suffix": suffix or "(không có đuôi)"},
        )
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    kind = filetype.guess(head)
    real = kind.mime if kind else None
    if real not in ALLOWED_TYPES[suffix]:
        raise ValidationError(
            _vi(_("Nội dung tệp %(name)s không phải là %(suffix)s thật (đuôi tệp bị đổi?). Vui lòng tải lên đúng tệp.")),
            code="content_type", params={"name": name, "suffix": suffix.lstrip(".").upper()},
        )
    if suffix in OOXML_PREFIX:
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            names = []
        uploaded.seek(0)
        if "[Content_Types].xml" not in names or not any(n.startswith(OOXML_PREFIX[suffix]) for n in names):
            raise ValidationError(
                _vi(_("Nội dung tệp %(name)s không phải là %(suffix)s thật (đuôi tệp bị đổi?). Vui lòng tải lên đúng tệp.")),
                code="content_type", params={"name": name, "suffix": suffix.lstrip(".").upper()},
            )
        return CANONICAL_TYPE[suffix]
    return CANONICAL_TYPE.get(suffix, real)


@transaction.atomic
def evidence_upload(*, dossier: Dossier, kind: str, uploaded, by: User) -> EvidenceFile:
    """Check and store one evidence file on the dossier's current revision (the draft is saved at once)."""
    if not can_edit_dossier.test(by, dossier):
        raise TransitionNotAllowed(_vi(_("Hồ sơ này không còn được sửa.")))
    if kind not in EvidenceKind.values:
        raise ValidationError(_vi(_("Loại minh chứng không hợp lệ.")), code="kind")
    content_type = evidence_file_check(uploaded)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    name = sanitise_filename(uploaded.name)
    evidence = EvidenceFile(
        revision=current_revision(dossier), kind=kind, original_name=name, content_type=content_type,
        size=uploaded.size, sha256=digest.hexdigest(), uploaded_by=by,
    )
    evidence.file.save(name, uploaded, save=False)
    evidence.save()
    activity_record(
        actor=by, verb=_vi(_("Tải lên minh chứng")), target=dossier,
        after={"kind": _vi(EvidenceKind(kind).label), "file": name},
    )
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: EvidenceFile, by: User) -> None:
    dossier = evidence.revision.dossier
    if not can_edit_dossier.test(by, dossier) or evidence.revision.number != dossier.revision_number:
        raise TransitionNotAllowed(_vi(_("Không thể xóa tệp của phiên bản đã nộp.")))
    name, stored = evidence.original_name, evidence.file.name
    evidence.delete()
    # Earlier revisions may share the stored file: remove it only when nothing refers to it.
    if not EvidenceFile.objects.filter(file=stored).exists():
        transaction.on_commit(lambda: evidence.file.storage.delete(stored))
    activity_record(actor=by, verb=_vi(_("Xóa minh chứng")), target=dossier, before={"file": name})


# --- working days and numbers --------------------------------------------------------------------------
def holidays_load() -> int:
    """Load the holiday list (registrations/data/holidays-vn.json) idempotently; return the rows written."""
    count = 0
    for row in holiday_rows_from_file():
        Holiday.objects.update_or_create(date=row["date"], defaults={"name": row["name"], "is_day_off": row["is_day_off"]})
        count += 1
    return count


def commune_due_date(received_on):
    """The commune's deadline: 15 working days after receipt (weekends and public holidays skipped)."""
    if not Holiday.objects.exists():
        holidays_load()
    # 15 working days never span more than a few months; a plain day count (not replace(year=…)) keeps
    # a receipt on 29 February working.
    rows = Holiday.objects.filter(date__gt=received_on, date__lte=received_on + datetime.timedelta(days=366))
    days_off = [r.date for r in rows if r.is_day_off]
    extra = [r.date for r in rows if not r.is_day_off]
    return add_working_days(received_on, COMMUNE_ASSESSMENT_WORKING_DAYS, days_off, extra)


def counter_next(*, kind: str, unit: AdministrativeUnit, year: int) -> int:
    """The next number for (kind, unit, year): the counter row is locked, so concurrent calls never share one."""
    try:
        with transaction.atomic():
            RegistrationCounter.objects.get_or_create(kind=kind, unit=unit, year=year)
    except IntegrityError:  # another transaction created it first
        pass
    with transaction.atomic():
        counter = RegistrationCounter.objects.select_for_update().get(kind=kind, unit=unit, year=year)
        counter.last_value += 1
        counter.save(update_fields=["last_value"])
        return counter.last_value


def _province_of(commune: AdministrativeUnit) -> AdministrativeUnit:
    return commune.current_province or commune.province or commune.parent


def registration_number_format(*, seq: int, province_code: str, commune_code: str, year: int) -> str:
    return f"{seq}/PĐK-{province_code}-{commune_code}-{year}"


# --- the transition service ------------------------------------------------------------------------------
def _users_with_role(role: str, unit_id) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            pk__in=RoleAssignment.objects.active_on().filter(role=role, unit_id=unit_id).values("user_id"),
        )
    )


def _commune_officers(dossier) -> list[User]:
    return _users_with_role(Role.COMMUNE_OFFICER, dossier.commune_id)


def _province_staff(dossier) -> list[User]:
    province = _province_of(dossier.commune)
    return _users_with_role(Role.PROVINCE_STAFF, province.pk if province else None)


def producer_accounts(producers) -> list[User]:
    """The accounts that act for these producers today: linked to one AND holding the producer role, valid today,
    in that producer's commune. An account whose role has ended is told nothing more (issue 8, item 9).
    Three queries however many producers."""
    commune_of = {p.pk: p.commune_id for p in producers}
    if not commune_of:
        return []
    holders = set(RoleAssignment.objects.active_on().filter(role=Role.PRODUCER, unit_id__in=set(commune_of.values()))
                  .values_list("user_id", "unit_id"))
    links = Producer.accounts.through.objects.filter(producer_id__in=commune_of).values_list("user_id", "producer_id")
    acting = {user_id for user_id, producer_id in links if (user_id, commune_of[producer_id]) in holders}
    return list(User.objects.filter(pk__in=acting, is_active=True).order_by("pk"))


def _producer_accounts(dossier) -> list[User]:
    return producer_accounts([dossier.producer])


def dossier_watchers(dossier) -> list[User]:
    """Those told of a dossier's outcome: its commune officers and the producer's accounts."""
    return _commune_officers(dossier) + _producer_accounts(dossier)


# to → (activity verb, notification event, recipients)
_TRANSITION_EFFECTS = {
    DossierStatus.SUBMITTED: (_("Nộp hồ sơ cho xã"), "dossier_submitted", lambda d: _commune_officers(d) + _producer_accounts(d)),
    DossierStatus.COMMUNE_REVIEW: (_("Xã tiếp nhận hồ sơ"), "dossier_received", _producer_accounts),
    DossierStatus.FORWARDED: (_("Chuyển hồ sơ lên tỉnh"), "dossier_forwarded", lambda d: _province_staff(d) + _producer_accounts(d)),
    DossierStatus.INTAKE: (_("Tỉnh kiểm tra hồ sơ"), None, None),
    DossierStatus.ACCEPTED: (_("Tỉnh tiếp nhận hồ sơ hợp lệ"), "dossier_accepted", lambda d: _commune_officers(d) + _producer_accounts(d)),
    DossierStatus.RETURNED: (_("Trả lại hồ sơ để hoàn thiện"), "dossier_returned", lambda d: _commune_officers(d) + _producer_accounts(d)),
    DossierStatus.WITHDRAWN: (_("Rút hồ sơ"), "dossier_withdrawn", lambda d: _commune_officers(d) + _producer_accounts(d)),
    DossierStatus.IN_ROUND: (_("Đưa vào kỳ đánh giá"), "dossier_status_changed", _producer_accounts),
    # The result stays confidential until the decision is published: producers and communes are told only that
    # the council has evaluated the dossier; the recommendation (or not) reaches nobody outside the province.
    DossierStatus.SCORED: (_("Đã chấm điểm"), "dossier_scored", lambda d: _commune_officers(d) + _producer_accounts(d)),
    DossierStatus.RECOMMENDED: (_("Đề nghị công nhận"), None, None),
    DossierStatus.NOT_RECOGNISED: (_("Không đạt"), None, None),
    # The products app announces the decision itself (decision_published), so no second mail here.
    DossierStatus.RECOGNISED: (_("Được công nhận sản phẩm OCOP"), None, None),
}


# Province staff restore a dossier withdrawn by mistake to the state it left.
_RESTORE_EFFECTS = (_("Khôi phục hồ sơ đã rút"), "dossier_restored", lambda d: _commune_officers(d) + _producer_accounts(d))


def _new_revision(dossier: Dossier, by: User | None) -> DossierRevision:
    old = current_revision(dossier)
    new = DossierRevision(dossier=dossier, number=old.number + 1, created_by=by)
    for name in DossierRevision.DATA_FIELDS:
        setattr(new, name, getattr(old, name))
    new.save()
    EvidenceFile.objects.bulk_create(
        EvidenceFile(
            revision=new, kind=e.kind, file=e.file.name, original_name=e.original_name, content_type=e.content_type,
            size=e.size, sha256=e.sha256, uploaded_by=e.uploaded_by, uploaded_at=e.uploaded_at,
        )
        for e in old.evidence_files.all()
    )
    return new


PAPER_RECEIPT_MAX_DAYS = 60


def dossier_transition(*, dossier: Dossier, to: str, by: User | None, note: str = "",
                       received_on: datetime.date | None = None) -> Dossier:
    """Move `dossier` to state `to`. `by=None` is the system (no permission check).

    `received_on` (submission only): the day the commune received a paper dossier that the officer
    enters later; the 15 working days and the receipt number count from it. Default: today.

    Raises TransitionNotAllowed for a move the table or the rules refuse, DossierIncomplete when the
    dossier lacks what the next step needs.
    """
    to = DossierStatus(to)
    note = _nfc(note).strip()
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        locked = Dossier.objects.select_related("commune", "producer").get(pk=locked.pk)
        before = DossierStatus(locked.status)
        if before == DossierStatus.WITHDRAWN and to != locked.withdrawn_from:
            raise TransitionNotAllowed(
                _vi(_("Hồ sơ đã rút chỉ được khôi phục về trạng thái trước khi rút (“%(state)s”)."))
                % {"state": _vi(DossierStatus(locked.withdrawn_from).label) if locked.withdrawn_from else "—"}
            )
        if to not in DOSSIER_TRANSITIONS[before]:
            raise TransitionNotAllowed(
                _vi(_("Không thể chuyển hồ sơ từ “%(before)s” sang “%(after)s”."))
                % {"before": _vi(before.label), "after": _vi(to.label)}
            )
        if by is not None and not may_transition(by, locked, to):
            raise TransitionNotAllowed(_vi(_("Bạn không có quyền thực hiện bước này với hồ sơ.")))
        _apply_transition(locked, before, to, by, note, received_on=_paper_receipt_day(received_on, to, by, locked))
        locked.status = to
        locked.save()
        verb, event, recipients = _TRANSITION_EFFECTS[to]
        if before == DossierStatus.WITHDRAWN:
            verb, event, recipients = _RESTORE_EFFECTS
        activity_record(
            actor=by, verb=_vi(verb), target=locked, before={"status": _vi(before.label)},
            after={"status": _vi(to.label), **({"registration_number": locked.registration_number} if to == DossierStatus.FORWARDED else {})},
            message=note,
        )
        if event:
            notify(
                event=event, recipients=[u for u in recipients(locked) if u != by], target=locked,
                context={"dossier": locked, "before": _vi(before.label), "after": _vi(to.label), "note": note,
                         "by": by, "base_url": settings.OCOP_PUBLIC_BASE_URL},
            )
        dossier_transitioned.send(sender=Dossier, dossier=locked, before=before, after=to, by=by, note=note)
    # Keep the caller's instance in step with the database.
    for field in ("status", "returned_from", "revision_number", "registration_number", "commune_receipt_number",
                  "received_on", "commune_due_on", "forwarded_at", "accepted_at", "updated_at"):
        setattr(dossier, field, getattr(locked, field))
    return dossier


def _paper_receipt_day(received_on, to, by, dossier) -> datetime.date | None:
    """Check a paper receipt date: only a commune officer of the dossier's commune enters one, on a
    submission, no later than today and no more than PAPER_RECEIPT_MAX_DAYS back."""
    if received_on is None:
        return None
    if to != DossierStatus.SUBMITTED:
        raise TransitionNotAllowed(_vi(_("Ngày nhận hồ sơ giấy chỉ ghi khi xã tiếp nhận hồ sơ.")))
    if by is not None and not unit_in_scope(by, dossier.commune, province_roles=()):
        raise TransitionNotAllowed(_vi(_("Chỉ cán bộ xã ghi ngày nhận hồ sơ giấy.")))
    today = timezone.localdate()
    if received_on > today:
        raise DossierIncomplete(_vi(_("Ngày nhận hồ sơ không được sau hôm nay.")))
    if received_on < today - datetime.timedelta(days=PAPER_RECEIPT_MAX_DAYS):
        raise DossierIncomplete(_vi(_("Ngày nhận hồ sơ không được sớm hơn %(n)s ngày trước hôm nay.")) % {"n": PAPER_RECEIPT_MAX_DAYS})
    return received_on


# The steps at which the certificate an upgrade or re-evaluation names is checked again (the first
# submission files the dossier: its window is checked then).
_PREVIOUS_CERTIFICATE_STEPS = frozenset({
    DossierStatus.SUBMITTED, DossierStatus.COMMUNE_REVIEW, DossierStatus.FORWARDED, DossierStatus.INTAKE,
    DossierStatus.ACCEPTED, DossierStatus.IN_ROUND,
})


def _apply_transition(dossier: Dossier, before: str, to: str, by, note: str, received_on=None) -> None:
    now = timezone.now()
    today = timezone.localdate()
    if to in _PREVIOUS_CERTIFICATE_STEPS:
        _previous_certificate_check(dossier, filing=to == DossierStatus.SUBMITTED and before == DossierStatus.DRAFT)
    if before == DossierStatus.WITHDRAWN:
        # A restore puts the dossier back as it was: its numbers, dates and revision are kept.
        if not note:
            raise DossierIncomplete(_vi(_("Hãy ghi lý do khôi phục hồ sơ.")))
        dossier.withdrawn_from = ""
        return
    if to == DossierStatus.WITHDRAWN:
        if not note:
            raise DossierIncomplete(_vi(_("Hãy ghi lý do rút hồ sơ.")))
        dossier.withdrawn_from = before
        return
    if to == DossierStatus.SUBMITTED:
        if before == DossierStatus.RETURNED and dossier.returned_from != DossierStatus.COMMUNE_REVIEW:
            raise TransitionNotAllowed(_vi(_("Hồ sơ do tỉnh trả lại được xã hoàn thiện và chuyển lại lên tỉnh.")))
        _require_complete(dossier)
        received = received_on or today
        dossier.received_on = received
        dossier.commune_due_on = commune_due_date(received)
        if not dossier.commune_receipt_number:
            seq = counter_next(kind=CounterKind.COMMUNE_RECEIPT, unit=dossier.commune, year=received.year)
            dossier.commune_receipt_number = f"{seq}/TN-{dossier.commune.code}-{received.year}"
    elif to == DossierStatus.FORWARDED:
        if before == DossierStatus.RETURNED and dossier.returned_from != DossierStatus.INTAKE:
            raise TransitionNotAllowed(_vi(_("Hồ sơ do xã trả lại phải được nộp lại cho xã.")))
        _require_complete(dossier)
        assessment = CommuneAssessment.objects.filter(dossier=dossier, revision__number=dossier.revision_number).first()
        if assessment is None:
            raise DossierIncomplete(_vi(_("Cần lập báo cáo đánh giá cấp xã (Mẫu 03) cho phiên bản hiện tại trước khi chuyển lên tỉnh.")))
        if assessment.conclusion != AssessmentConclusion.FORWARD:
            raise DossierIncomplete(_vi(_("Báo cáo Mẫu 03 kết luận hồ sơ chưa đủ điều kiện; hãy trả lại để hoàn thiện.")))
        dossier.forwarded_at = now
        if not dossier.registration_number:
            province = _province_of(dossier.commune)
            year = timezone.localdate(now).year
            seq = counter_next(kind=CounterKind.PROVINCE_REGISTRATION, unit=province, year=year)
            dossier.registration_number = registration_number_format(
                seq=seq, province_code=province.code, commune_code=dossier.commune.code, year=year
            )
    elif to == DossierStatus.RETURNED:
        if not note:
            raise DossierIncomplete(_vi(_("Hãy ghi rõ những nội dung cần hoàn thiện.")))
        dossier.returned_from = before
        _new_revision(dossier, by)
        dossier.revision_number += 1
    elif to == DossierStatus.ACCEPTED:
        # The province's completeness check: Form 01, the required evidence and a forwarding Form 03 on
        # the revision the province holds.
        _require_complete(dossier)
        assessment = CommuneAssessment.objects.filter(dossier=dossier, revision__number=dossier.revision_number).first()
        if assessment is None or assessment.conclusion != AssessmentConclusion.FORWARD:
            raise DossierIncomplete(_vi(_("Hồ sơ thiếu báo cáo đánh giá cấp xã (Mẫu 03) đề nghị tỉnh đánh giá cho phiên bản hiện tại.")))
        dossier.accepted_at = now


def _require_complete(dossier: Dossier) -> None:
    missing = dossier_missing_items(dossier)
    if missing:
        raise DossierIncomplete(missing)


# --- Form 03: the commune assessment --------------------------------------------------------------------------
ASSESSMENT_FIELDS = (
    "origin_and_raw_material", "origin_and_raw_material_note", "local_labour", "local_labour_note",
    "idea_origin", "idea_origin_note", "local_identity", "local_identity_note", "conclusion", "conclusion_note",
)


def commune_assessment_record(*, dossier: Dossier, by: User, **data) -> CommuneAssessment:
    """Record (or correct) Form 03 on the dossier's current revision. A submitted dossier is received first."""
    if not can_assess_dossier.test(by, dossier):
        raise TransitionNotAllowed(_vi(_("Bạn không có quyền đánh giá hồ sơ này.")))
    with transaction.atomic():
        if dossier.status == DossierStatus.SUBMITTED:
            dossier_transition(dossier=dossier, to=DossierStatus.COMMUNE_REVIEW, by=by)
        dossier.refresh_from_db()
        allowed = dossier.status == DossierStatus.COMMUNE_REVIEW or (
            dossier.status == DossierStatus.RETURNED and dossier.returned_from == DossierStatus.INTAKE
        )
        if not allowed:
            raise TransitionNotAllowed(_vi(_("Chỉ lập Mẫu 03 khi hồ sơ đang ở cấp xã.")))
        revision = current_revision(dossier)
        received_on = dossier.received_on or timezone.localdate()
        assessment = CommuneAssessment.objects.filter(dossier=dossier, revision=revision).first()
        created = assessment is None
        assessment = assessment or CommuneAssessment(dossier=dossier, revision=revision)
        for name in ASSESSMENT_FIELDS:
            if name in data:
                setattr(assessment, name, data[name])
        assessment.received_on = received_on
        assessment.due_on = dossier.commune_due_on or commune_due_date(received_on)
        assessment.completed_at = timezone.now()
        assessment.assessed_by = by
        assessment.full_clean()
        assessment.save()
        activity_record(
            actor=by, verb=_vi(_("Lập báo cáo đánh giá cấp xã (Mẫu 03)") if created else _("Sửa báo cáo Mẫu 03")),
            target=dossier, after={"revision": revision.number, "conclusion": _vi(AssessmentConclusion(assessment.conclusion).label)},
        )
    return assessment
