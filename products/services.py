"""Writes of products: recognition decisions and their one transition service, product codes, certificates
(issue, supersede, expire, revoke), inspections and legacy certificates. Each write is atomic, locks what
users race for, logs its activity and queues its notifications through the outbox."""
import datetime
import secrets

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from accounts.enums import OrganisationKind, Role
from accounts.models import RoleAssignment, User
from accounts.selectors import organisation_on
from activity.services import activity_record, effect_record, notify
from activity.services import in_vietnamese as _vi
from evaluations.enums import RecognisingLevel, RoundPhase
from evaluations.models import AuthorityRule, Result, Round
from registrations.enums import DossierKind, DossierStatus
from registrations.services import dossier_transition, producer_accounts

from .enums import (
    CERTIFICATE_TRANSITIONS, DECISION_TRANSITIONS, GRACE_DAYS, REVOCATION_DUE_DAYS, VALIDITY_MONTHS, CertificateStatus,
    DecisionStatus, InspectionConclusion, RevocationGround,
)
from .models import Certificate, CounterKind, Decision, DecisionItem, Inspection, Product, ProductCounter, Revocation


class ProductsError(ValidationError):
    """A domain refusal (illegal transition, no authority, not allowed); views show its message."""


def _deny(message):
    raise ProductsError(message)


def _require(user, perm, obj):
    if user is not None and not user.has_perm(perm, obj):
        _deny(_("Bạn không có quyền thực hiện thao tác này."))



def _d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


# --- dates ---------------------------------------------------------------------------------------
def validity_end(issued_on: datetime.date) -> datetime.date:
    """36 months from the decision date; 29 Feb 2028 + 36 months → 28 Feb 2031."""
    return issued_on + relativedelta(months=VALIDITY_MONTHS)


def revocation_due(finding_on: datetime.date) -> datetime.date:
    return finding_on + datetime.timedelta(days=REVOCATION_DUE_DAYS)


# --- numbers -------------------------------------------------------------------------------------
def counter_next(*, kind: str, unit, year: int) -> int:
    """The next number for (kind, province, year). Call it inside the transaction that uses the number:
    the counter row stays locked until that transaction ends, and a rollback gives the number back."""
    try:
        with transaction.atomic():
            ProductCounter.objects.get_or_create(kind=kind, unit=unit, year=year)
    except IntegrityError:  # another transaction created the row first
        pass
    counter = ProductCounter.objects.select_for_update(of=("self",)).get(kind=kind, unit=unit, year=year)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return counter.last_value


def product_code(*, province_code: str, commune_code: str, seq: int, year: int) -> str:
    """(Mã tỉnh)-(Mã xã)-(STT)-(Năm), with the administrative codes of QĐ 19/2025/QĐ-TTg."""
    return f"{province_code}-{commune_code}-{seq}-{year}"


def _province_of(unit):
    return unit.current_province or unit.province or unit


@transaction.atomic
def product_create(*, producer, product_set, name: str, commune, year: int) -> Product:
    """A new OCOP product with the next code of its province and year (gap-free under concurrency)."""
    province = _province_of(commune)
    seq = counter_next(kind=CounterKind.PRODUCT, unit=province, year=year)
    product = Product(producer=producer, product_set=product_set, name=name.strip(), commune=commune,
                      province=province, year=year, seq=seq,
                      code=product_code(province_code=province.code, commune_code=commune.code, seq=seq, year=year))
    product.full_clean()
    product.save()
    return product


# --- authority -----------------------------------------------------------------------------------
def authority_level(*, star: int, day: datetime.date) -> str | None:
    """Who recognised `star` on `day` (district / province / ministry), per the AuthorityRule table."""
    rule = AuthorityRule.objects.in_force_on(day).filter(star=star).order_by("-effective_from").first()
    return rule.level if rule else None


def _check_authority(*, level: str, star: int, day: datetime.date, name: str) -> None:
    allowed = authority_level(star=star, day=day)
    if allowed != level:
        _deny(_("“%(name)s” (%(star)s sao) không thuộc thẩm quyền công nhận của %(level)s vào ngày %(day)s.") % {
            "name": name, "star": star, "level": RecognisingLevel(level).label, "day": _d(day)})


_ISSUER_KIND = {
    RecognisingLevel.PROVINCE: OrganisationKind.PROVINCIAL_PEOPLES_COMMITTEE,
    RecognisingLevel.DISTRICT: OrganisationKind.DISTRICT_PEOPLES_COMMITTEE,
    RecognisingLevel.MINISTRY: OrganisationKind.MINISTRY,
}


def issuer_on(*, level: str, unit, day: datetime.date):
    """The issuing organisation as it was named on `day` (a 2023 district committee for a 2023 decision)."""
    return organisation_on(kind=_ISSUER_KIND[level], unit=None if level == RecognisingLevel.MINISTRY else unit, day=day)


def renewal_authority(certificate: Certificate):
    """Who recognises the product again today: for a legacy district 3★ this is now the province."""
    today = timezone.localdate()
    level = authority_level(star=certificate.star, day=today)
    return issuer_on(level=level, unit=certificate.product.province, day=today) if level else None


# --- decisions -----------------------------------------------------------------------------------
def eligible_results(*, round_, level: str = RecognisingLevel.PROVINCE) -> list[tuple[Result, int]]:
    """Results of a closed round that a decision of `level` may recognise, with the star it would give:
    the province 3★/4★ (and 3★/4★ on a central result under 90); the ministry 5★ on a recorded central
    result. 1★/2★ and results already in a decision are never eligible."""
    qs = (Result.objects.filter(round=round_, decision_item__isnull=True, knocked_out=False)
          .select_related("dossier").order_by("-mean", "pk"))
    out = []
    for result in qs:
        if level == RecognisingLevel.MINISTRY:
            if result.for_ministry and result.central_star == 5 and (result.central_mean or 0) >= 90:
                out.append((result, 5))
        elif result.for_ministry:
            star = result.province_may_recognise_star
            if star:
                out.append((result, star))
        elif result.final_star in (3, 4):
            out.append((result, result.final_star))
    return out


@transaction.atomic
def decision_create_from_round(*, round_, by, level: str = RecognisingLevel.PROVINCE) -> Decision:
    """A draft decision listing every result of the closed round the level may recognise. The round is locked
    while the draft is made, and the database holds one draft per round and level: of many concurrent
    requests one makes the draft, the others are told the round has none left to list."""
    level = RecognisingLevel(level)
    if level == RecognisingLevel.DISTRICT:
        _deny(_("Từ ngày 01/07/2025 cấp huyện không còn công nhận sản phẩm OCOP."))
    round_ = Round.objects.select_for_update(of=("self",)).select_related("province").get(pk=round_.pk)
    if round_.phase != RoundPhase.CLOSED:
        _deny(_("Chỉ lập quyết định từ kỳ đánh giá đã kết thúc."))
    decision = Decision(province=round_.province, issuing_unit=None if level == RecognisingLevel.MINISTRY
                        else round_.province, level=level, round=round_, created_by=by,
                        title=_("Công nhận kết quả đánh giá, phân hạng sản phẩm OCOP — %(round)s") % {"round": round_})
    _require(by, "products.manage_decision", decision)
    if Decision.objects.filter(round=round_, level=level, status=DecisionStatus.DRAFT).exists():
        _deny(DRAFT_EXISTS)
    eligible = eligible_results(round_=round_, level=level)
    if not eligible:
        _deny(_("Kỳ đánh giá không còn sản phẩm nào đủ điều kiện để %(level)s công nhận.") % {"level": level.label})
    today = timezone.localdate()
    for result, star in eligible:
        _check_authority(level=level, star=star, day=today, name=result.dossier.product_name)
        _check_previous_certificate(result.dossier)
    try:
        with transaction.atomic():
            decision.save()
            DecisionItem.objects.bulk_create([
                DecisionItem(decision=decision, result=result, dossier=result.dossier,
                             product_name=result.dossier.product_name, star=star, position=i)
                for i, (result, star) in enumerate(eligible, start=1)
            ])
    except IntegrityError:  # a concurrent request made the draft first (SQLite has no row lock)
        _deny(DRAFT_EXISTS)
    activity_record(actor=by, verb=_vi(_l("Lập dự thảo quyết định công nhận")), target=decision,
                    after={"status": _vi(DecisionStatus.DRAFT.label), "items": len(eligible)})
    return decision


DRAFT_EXISTS = _l("Kỳ đánh giá này đã có dự thảo quyết định (có thể do người khác vừa lập): hãy mở dự thảo đó trong "
                  "danh sách quyết định.")


def decision_item_remove(*, item: DecisionItem, by) -> None:
    with transaction.atomic():
        decision = Decision.objects.select_for_update(of=("self",)).get(pk=item.decision_id)
        _require(by, "products.manage_decision", decision)
        if decision.status != DecisionStatus.DRAFT:
            _deny(_("Chỉ sửa danh sách sản phẩm khi quyết định còn là dự thảo."))
        activity_record(actor=by, verb=_vi(_l("Bỏ sản phẩm khỏi dự thảo")), target=decision, before={"item": str(item)})
        item.delete()


def _recipients(decision: Decision) -> list:
    """Producer accounts and the commune officers of the decision's products."""
    items = list(decision.items.select_related("dossier__producer", "product__producer"))
    producers = {(i.product.producer if i.product else i.dossier.producer) for i in items if i.product or i.dossier}
    communes = {i.product.commune_id if i.product else i.dossier.commune_id for i in items if i.product or i.dossier}
    officers = User.objects.filter(pk__in=RoleAssignment.objects.active_on().filter(
        role=Role.COMMUNE_OFFICER, unit__in=communes).values("user_id"))
    return producer_accounts(producers) + list(officers.distinct())


def decision_transition(*, decision: Decision, to: str, by, number: str | None = None,
                        decided_on: datetime.date | None = None, signer_name: str | None = None,
                        signer_title: str | None = None) -> Decision:
    """Move a decision along DECISION_TRANSITIONS. Recording needs the number, date and signer and checks
    the authority on that date; publishing issues one certificate per item (idempotent)."""
    to = DecisionStatus(to)
    with transaction.atomic():
        locked = Decision.objects.select_for_update(of=("self",)).select_related("province", "issuing_unit").get(pk=decision.pk)
        _require(by, "products.manage_decision", locked)
        before = DecisionStatus(locked.status)
        if to not in DECISION_TRANSITIONS[before]:
            _deny(_("Không thể chuyển quyết định từ “%(a)s” sang “%(b)s”.") % {"a": before.label, "b": to.label})
        if to == DecisionStatus.RECORDED:
            _record(locked, number=number, decided_on=decided_on, signer_name=signer_name, signer_title=signer_title)
        elif to == DecisionStatus.DRAFT:
            locked.recorded_at = None
        locked.status = to
        if to == DecisionStatus.PUBLISHED:
            locked.published_at = timezone.now()
        locked.full_clean()
        locked.save()
        issued = decision_certificates_issue(decision=locked) if to == DecisionStatus.PUBLISHED else []
        if to == DecisionStatus.PUBLISHED:
            # The results it rests on (and the round's unrecognised ones) are no longer confidential.
            from evaluations.services import results_publish

            results_publish(results=[i.result for i in locked.items.select_related("result")], round_=locked.round)
        activity_record(actor=by, verb=_vi(_l("Chuyển trạng thái quyết định công nhận")), target=locked,
                        before={"status": _vi(before.label)},
                        after={"status": _vi(to.label), **({"number": locked.number, "decided_on": locked.decided_on}
                                                     if to == DecisionStatus.RECORDED else {}),
                               **({"certificates": len(issued)} if issued else {})})
        if to == DecisionStatus.PUBLISHED:
            notify(event="decision_published", recipients=[u for u in _recipients(locked) if u != by], target=locked,
                   context={"decision": locked, "items": list(locked.items.select_related("product")),
                            "base_url": _base_url()})
    for field in ("status", "number", "decided_on", "signer_name", "signer_title", "issuer_id", "issuer_name",
                  "recorded_at", "published_at"):
        setattr(decision, field, getattr(locked, field))
    return decision


def _base_url() -> str:
    from django.conf import settings

    return settings.OCOP_PUBLIC_BASE_URL.rstrip("/")


def _record(decision: Decision, *, number, decided_on, signer_name, signer_title) -> None:
    number = (number if number is not None else decision.number).strip()
    decided_on = decided_on or decision.decided_on
    signer_name = (signer_name if signer_name is not None else decision.signer_name).strip()
    signer_title = (signer_title if signer_title is not None else decision.signer_title).strip()
    if not number or decided_on is None or not signer_name:
        _deny(_("Cần nhập số quyết định, ngày quyết định và người ký."))
    if decided_on > timezone.localdate():
        _deny(_("Ngày quyết định không được sau ngày hôm nay."))
    if decision.round_id and decision.round.closed_at and decided_on < timezone.localtime(decision.round.closed_at).date():
        _deny(_("Ngày quyết định không được trước ngày kết thúc kỳ đánh giá (%(d)s).")
              % {"d": _d(timezone.localtime(decision.round.closed_at).date())})
    items = list(decision.items.all())
    if not items:
        _deny(_("Quyết định chưa có sản phẩm nào."))
    for item in items:
        _check_authority(level=decision.level, star=item.star, day=decided_on, name=item.product_name)
    issuer = issuer_on(level=decision.level, unit=decision.issuing_unit, day=decided_on)
    if issuer is None:
        _deny(_("Chưa khai báo cơ quan ban hành (%(level)s) có hiệu lực vào ngày %(day)s.")
              % {"level": RecognisingLevel(decision.level).label, "day": _d(decided_on)})
    clash = Decision.objects.filter(issuer_name=issuer.name, number=number).exclude(pk=decision.pk).exists()
    if clash:
        _deny(_("Số quyết định %(n)s của %(o)s đã được dùng.") % {"n": number, "o": issuer.name})
    decision.number, decision.decided_on = number, decided_on
    decision.signer_name, decision.signer_title = signer_name, signer_title
    decision.issuer, decision.issuer_name = issuer, issuer.name
    decision.recorded_at = timezone.now()


# --- certificates --------------------------------------------------------------------------------
def _check_previous_certificate(dossier) -> None:
    """Refuse an upgrade or re-evaluation naming a certificate that is not the producer's own, of its province,
    or that was revoked or replaced (the same check registrations makes at every step of the dossier)."""
    from .selectors import previous_certificate_refusals

    reasons = previous_certificate_refusals(dossier, filing=False)
    if reasons:
        _deny([_("Hồ sơ “%(name)s”: %(reason)s") % {"name": dossier.product_name, "reason": r} for r in reasons])


def _product_for(item: DecisionItem, year: int) -> Product:
    """The product an item recognises: for an upgrade or re-evaluation, the product of the certificate it
    renews (the producer's own, checked first; else by producer and name); otherwise a new product."""
    if item.product_id:
        return item.product
    dossier = item.dossier
    if dossier.kind in (DossierKind.UPGRADE, DossierKind.RE_EVALUATION):
        _check_previous_certificate(dossier)
        previous = None
        if dossier.previous_certificate.strip():
            previous = (Certificate.objects.filter(number=dossier.previous_certificate.strip(),
                                                   product__producer=dossier.producer)
                        .select_related("product").first())
        product = previous.product if previous else (
            Product.objects.filter(producer=dossier.producer, name__iexact=dossier.product_name.strip())
            .order_by("-pk").first())
        if product is not None:
            return product
    return product_create(producer=dossier.producer, product_set=dossier.product_set, name=dossier.product_name,
                          commune=dossier.commune, year=year)


def _certificate_number(decision: Decision, year: int) -> str:
    seq = counter_next(kind=CounterKind.CERTIFICATE, unit=decision.province, year=year)
    return f"{seq:03d}/{year}/GCN-OCOP-{decision.province.code}"


def decision_certificates_issue(*, decision: Decision) -> list[Certificate]:
    """One certificate per item of a published decision. Idempotent: an item that has its certificate is
    skipped, so publishing again or a task re-run never issues a second one."""
    from .tasks import certificate_render

    issued = []
    with transaction.atomic():
        decision = Decision.objects.select_for_update(of=("self",)).select_related("province").get(pk=decision.pk)
        if decision.status != DecisionStatus.PUBLISHED:
            _deny(_("Chỉ cấp giấy chứng nhận theo quyết định đã công bố."))
        items = decision.items.select_related("dossier__producer", "dossier__product_set", "dossier__commune",
                                              "product").filter(certificate__isnull=True)
        for item in items:
            issued.append(_certificate_issue(decision=decision, item=item))
        for cert in issued:
            effect_record(task=certificate_render, kwargs={"certificate_id": cert.pk})
    return issued


def _certificate_issue(*, decision: Decision, item: DecisionItem, number: str = "", verify_code: str = "",
                       valid_until: datetime.date | None = None) -> Certificate:
    year = decision.decided_on.year
    product = _product_for(item, year)
    if item.product_id != product.pk:
        item.product = product
        item.save(update_fields=["product"])
    # Lock the product's chain: two certificates of one product entered at once settle one after the other.
    Product.objects.select_for_update(of=("self",)).filter(pk=product.pk).first()
    cert = Certificate(
        number=number or _certificate_number(decision, year), product=product, decision=decision, item=item,
        star=item.star, issued_on=decision.decided_on, valid_until=valid_until or validity_end(decision.decided_on),
        verify_code=verify_code or secrets.token_urlsafe(16), status=CertificateStatus.SUPERSEDED,
        ended_on=decision.decided_on,
    )
    cert.full_clean(exclude=["pdf"])
    cert.save()  # parked as ended until the chain is settled (one active certificate per product)
    certificate_chain_settle(product=product, new=cert)
    cert.refresh_from_db()
    if item.dossier_id and item.dossier.status == DossierStatus.RECOMMENDED:
        dossier_transition(dossier=item.dossier, to=DossierStatus.RECOGNISED, by=None,
                           note=_vi(_l("Công nhận theo %(d)s")) % {"d": decision})
    activity_record(actor=None, verb=_vi(_l("Cấp giấy chứng nhận OCOP")), target=cert,
                    after={"number": cert.number, "star": cert.star, "valid_until": cert.valid_until,
                           **({"supersedes": cert.supersedes.number} if cert.supersedes_id else {})})
    return cert


def _in_force_on(cert: Certificate, day: datetime.date) -> bool:
    return cert.valid_until >= day or (cert.grace_until is not None and cert.grace_until >= day)


def certificate_chain_settle(*, product: Product, new: Certificate | None = None,
                             day: datetime.date | None = None) -> list[Certificate]:
    """Put a product's certificates in the order of their decision dates, whatever order they were entered in:
    each certificate supersedes the previous one from its own decision date if that one was still in force
    then (else the previous one ended by expiry, on its end date); the newest is active while in force, else
    expired from its end date. Revoked certificates keep their end and take no part. `new` is the certificate
    just entered; a change to any other certificate is written to its activity log. Call inside a transaction
    that holds the product's lock; returns the certificates changed."""
    day = day or timezone.localdate()
    chain = list(Certificate.objects.select_for_update(of=("self",)).filter(product=product)
                 .exclude(status=CertificateStatus.REVOKED).order_by("issued_on", "pk"))
    wanted = {}
    for i, cert in enumerate(chain):
        nxt = chain[i + 1] if i + 1 < len(chain) else None
        prev = chain[i - 1] if i else None
        supersedes = prev.pk if prev is not None and _in_force_on(prev, cert.issued_on) else None
        if nxt is not None and _in_force_on(cert, nxt.issued_on):
            state = (CertificateStatus.SUPERSEDED, nxt.issued_on)
        elif nxt is None and _in_force_on(cert, day):
            state = (CertificateStatus.ACTIVE, None)
        elif cert.status == CertificateStatus.EXPIRED and (new is None or cert.pk != new.pk):
            state = (CertificateStatus.EXPIRED, cert.ended_on)  # the daily job's end stays as it was
        else:
            state = (CertificateStatus.EXPIRED, cert.grace_until if cert.grace_until and cert.grace_until < day
                     else cert.valid_until)
        wanted[cert.pk] = (*state, supersedes)
    changed = [c for c in chain if (c.status, c.ended_on, c.supersedes_id) != wanted[c.pk]]
    # Unlink first (supersedes is one-to-one), end before activating (one active certificate per product).
    relinked = [c for c in changed if c.supersedes_id != wanted[c.pk][2]]
    for cert in relinked:
        cert.supersedes_id = None
        cert.save(update_fields=["supersedes"])
    by_pk = {c.pk: c for c in chain}
    for cert in sorted(changed, key=lambda c: wanted[c.pk][0] == CertificateStatus.ACTIVE):
        status, ended_on, supersedes = wanted[cert.pk]
        if cert.status == CertificateStatus.ACTIVE and status != CertificateStatus.ACTIVE:
            successor = next((c for c in chain if c.supersedes_id == cert.pk or wanted[c.pk][2] == cert.pk), None)
            certificate_transition(certificate=cert, to=status, by=None, on=ended_on, message=(
                _vi(_l("Thay thế theo %(d)s")) % {"d": successor.decision} if successor is not None
                else _vi(_l("Hết thời hạn 36 tháng"))))
            if cert.supersedes_id != supersedes:
                cert.supersedes_id = supersedes
                cert.save(update_fields=["supersedes"])
            continue
        before = {"status": _vi(CertificateStatus(cert.status).label), "ended_on": cert.ended_on}
        cert.status, cert.ended_on, cert.supersedes_id = status, ended_on, supersedes
        cert.save(update_fields=["status", "ended_on", "supersedes"])
        if new is None or cert.pk != new.pk:
            activity_record(actor=None, verb=_vi(_l("Giấy chứng nhận: xếp lại theo ngày quyết định")), target=cert,
                            before=before, after={"status": _vi(CertificateStatus(cert.status).label),
                                                  "ended_on": cert.ended_on,
                                                  "supersedes": by_pk[supersedes].number if supersedes else None})
    return changed


def certificate_transition(*, certificate: Certificate, to: str, by, on: datetime.date | None = None,
                           message: str = "") -> Certificate:
    """End an active certificate: superseded, revoked or expired (CERTIFICATE_TRANSITIONS)."""
    to = CertificateStatus(to)
    with transaction.atomic():
        locked = Certificate.objects.select_for_update(of=("self",)).get(pk=certificate.pk)
        before = CertificateStatus(locked.status)
        if to not in CERTIFICATE_TRANSITIONS[before]:
            _deny(_("Không thể chuyển giấy chứng nhận từ “%(a)s” sang “%(b)s”.") % {"a": before.label, "b": to.label})
        locked.status = to
        locked.ended_on = on or timezone.localdate()
        locked.save(update_fields=["status", "ended_on"])
        activity_record(actor=by, verb=_vi(_l("Giấy chứng nhận: %(s)s")) % {"s": _vi(to.label)}, target=locked,
                        before={"status": _vi(before.label)}, after={"status": _vi(to.label), "ended_on": locked.ended_on},
                        message=message)
    certificate.status, certificate.ended_on = locked.status, locked.ended_on
    return certificate


def certificates_expire(*, day: datetime.date | None = None) -> int:
    """Mark every active certificate past its validity, and past any grace, as expired. A certificate whose
    re-evaluation was filed before expiry stays in force until its decision, at most GRACE_DAYS past expiry.
    Idempotent (the daily beat task)."""
    day = day or timezone.localdate()
    count = 0
    for cert in Certificate.objects.past_end_on(day).only("pk", "grace_until"):
        certificate_transition(certificate=cert, to=CertificateStatus.EXPIRED, by=None, on=day,
                               message=_vi(_l("Hết thời hạn 36 tháng")) if cert.grace_until is None else
                               _vi(_l("Hết %(n)s ngày chờ quyết định đánh giá lại")) % {"n": GRACE_DAYS})
        count += 1
    return count


# --- the grace: a re-evaluation filed before expiry keeps the certificate in force -----------------
def certificate_grace_open(*, certificate: Certificate, dossier, day: datetime.date | None = None) -> bool:
    """The holder filed `dossier` (a re-evaluation naming `certificate`) on `day`: if the certificate is still
    in force and the filing is on or before its end date, it stays in force after that date until the
    decision, at most GRACE_DAYS (Art. 12). Returns whether the grace is (now) open."""
    day = day or timezone.localdate()
    with transaction.atomic():
        locked = Certificate.objects.select_for_update(of=("self",)).get(pk=certificate.pk)
        if locked.reevaluation_dossier_id == dossier.pk:
            return True
        if locked.status != CertificateStatus.ACTIVE or day > locked.valid_until:
            return False
        locked.reevaluation_dossier = dossier
        locked.grace_until = locked.valid_until + datetime.timedelta(days=GRACE_DAYS)
        locked.full_clean(exclude=["pdf"])
        locked.save(update_fields=["reevaluation_dossier", "grace_until"])
        activity_record(actor=None, verb=_vi(_l("Giấy chứng nhận: chờ quyết định đánh giá lại")), target=locked,
                        after={"dossier": str(dossier), "grace_until": locked.grace_until})
    return True


def certificate_grace_close(*, certificate: Certificate, dossier, day: datetime.date | None = None) -> None:
    """The re-evaluation ended without a new certificate (withdrawn, not recognised): the grace ends; a
    certificate already past its end date expires that day."""
    day = day or timezone.localdate()
    with transaction.atomic():
        locked = Certificate.objects.select_for_update(of=("self",)).get(pk=certificate.pk)
        if locked.reevaluation_dossier_id != dossier.pk:
            return
        locked.reevaluation_dossier, locked.grace_until = None, None
        locked.save(update_fields=["reevaluation_dossier", "grace_until"])
        activity_record(actor=None, verb=_vi(_l("Giấy chứng nhận: kết thúc chờ đánh giá lại")), target=locked,
                        after={"dossier": str(dossier)})
        if locked.status == CertificateStatus.ACTIVE and locked.valid_until < day:
            certificate_transition(certificate=locked, to=CertificateStatus.EXPIRED, by=None, on=day,
                                   message=_vi(_l("Hồ sơ đánh giá lại không dẫn đến công nhận")))


def on_dossier_transitioned(sender, *, dossier, before, after, **kwargs) -> None:
    """Registrations' dossier_transitioned signal: a re-evaluation submitted for the producer's own certificate
    opens its grace; withdrawn or not recognised, it closes it."""
    if dossier.kind != DossierKind.RE_EVALUATION or not dossier.previous_certificate.strip():
        return
    if after == DossierStatus.SUBMITTED:
        from .selectors import previous_certificate_of

        cert = previous_certificate_of(dossier)
        if cert is not None:
            certificate_grace_open(certificate=cert, dossier=dossier)
    elif after in (DossierStatus.WITHDRAWN, DossierStatus.NOT_RECOGNISED):
        for cert in Certificate.objects.filter(reevaluation_dossier=dossier):
            certificate_grace_close(certificate=cert, dossier=dossier)


# --- the 30-day notice ---------------------------------------------------------------------------------
def _holder_and_commune(certificate: Certificate) -> list:
    owners = producer_accounts([certificate.product.producer])
    officers = list(User.objects.filter(is_active=True, pk__in=RoleAssignment.objects.active_on().filter(
        role=Role.COMMUNE_OFFICER, unit=certificate.product.commune_id).values("user_id")))
    return owners + officers


def certificates_expiry_notify(*, day: datetime.date | None = None) -> int:
    """Tell the holder (producer accounts) and the commune officers that a certificate ends within
    EXPIRY_NOTICE_DAYS (the issuing body's duty, no later than 30 days before expiry). Once per certificate:
    the row is claimed (expiry_notice_sent_at set where still empty) in the transaction that stores the mails,
    so concurrent or repeated runs send one notice."""
    day = day or timezone.localdate()
    sent = 0
    for pk in Certificate.objects.expiry_notice_due(day).values_list("pk", flat=True):
        with transaction.atomic():
            if not Certificate.objects.filter(pk=pk, expiry_notice_sent_at__isnull=True).update(
                    expiry_notice_sent_at=timezone.now()):
                continue
            cert = Certificate.objects.select_related("product__producer", "product__commune").get(pk=pk)
            notify(event="certificate_expiring", recipients=_holder_and_commune(cert), target=cert,
                   context={"certificate": cert, "days": (cert.valid_until - day).days, "base_url": _base_url(),
                            "opens_on": cert.renewal_opens_on, "closes_on": cert.renewal_closes_on,
                            "reevaluation_filed": cert.reevaluation_dossier_id is not None})
            activity_record(actor=None, verb=_vi(_l("Báo giấy chứng nhận sắp hết hạn")), target=cert,
                            after={"valid_until": cert.valid_until})
            sent += 1
    return sent


# --- revocation and inspection -------------------------------------------------------------------
def revocation_level(certificate: Certificate) -> str:
    """Who revokes (Art. 8.2): the Minister a 5★ certificate, the provincial chair a 3★ or 4★ (legacy district
    3★ included, now that districts are gone)."""
    return RecognisingLevel.MINISTRY if certificate.star >= 5 else RecognisingLevel.PROVINCE


def certificate_revoke(*, certificate: Certificate, ground: str, by, finding_on: datetime.date,
                       decision_number: str = "", decided_on: datetime.date | None = None, note: str = "",
                       inspection: Inspection | None = None) -> Revocation:
    """Record a revocation (26/2026 Art. 8). With a decision number and date the certificate is revoked now;
    without them the finding is recorded and the 15-day clock runs until the decision is entered. A 5★ is
    revoked by the Minister: province staff record the Ministry's decision (its number and date required),
    never revoke on their own authority."""
    ground = RevocationGround(ground)
    decision_number = decision_number.strip()
    if bool(decision_number) != bool(decided_on):
        _deny(_("Nhập đủ cả số và ngày quyết định thu hồi, hoặc để trống cả hai."))
    today = timezone.localdate()
    if finding_on > today or (decided_on and decided_on > today):
        _deny(_("Ngày phát hiện và ngày quyết định không được sau ngày hôm nay."))
    if decided_on and decided_on < finding_on:
        _deny(_("Ngày quyết định thu hồi không được trước ngày phát hiện."))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update(of=("self",)).select_related(
            "product__commune", "product__producer", "product__province").get(pk=certificate.pk)
        _require(by, "products.manage_certificate", locked)
        if locked.status != CertificateStatus.ACTIVE:
            _deny(_("Chỉ thu hồi giấy chứng nhận còn hiệu lực."))
        level = revocation_level(locked)
        if level == RecognisingLevel.MINISTRY and not decided_on:
            _deny(MINISTRY_REVOKES)
        revocation = Revocation.objects.filter(certificate=locked).first()
        if revocation is not None and revocation.decided_on:
            _deny(_("Giấy chứng nhận đã bị thu hồi."))
        if revocation is None:
            revocation = Revocation(certificate=locked, recorded_by=by)
        revocation.ground, revocation.finding_on, revocation.due_on = ground, finding_on, revocation_due(finding_on)
        revocation.decision_number, revocation.decided_on = decision_number, decided_on
        revocation.note, revocation.inspection = note.strip(), inspection or revocation.inspection
        revocation.level = level
        if decided_on:
            issuer = issuer_on(level=level, unit=locked.product.province, day=decided_on)
            revocation.issuer_name = issuer.name if issuer else str(RecognisingLevel(level).label)
        revocation.full_clean(exclude=["certificate"])
        revocation.save()
        verb = (_l("Ghi nhận căn cứ thu hồi") if not decided_on else
                _l("Ghi nhận quyết định thu hồi của Bộ") if level == RecognisingLevel.MINISTRY else
                _l("Thu hồi giấy chứng nhận"))
        activity_record(actor=by, verb=_vi(verb),
                        target=locked, after={"ground": _vi(ground.label), "finding_on": finding_on,
                                              "due_on": revocation.due_on, "decision_number": decision_number,
                                              **({"issuer": revocation.issuer_name} if decided_on else {})},
                        message=revocation.note)
        if decided_on:
            certificate_transition(certificate=locked, to=CertificateStatus.REVOKED, by=by, on=decided_on,
                                   message=_vi(ground.label))
            owners = list(User.objects.filter(producers=locked.product.producer_id))
            officers = list(User.objects.filter(pk__in=RoleAssignment.objects.active_on().filter(
                role=Role.COMMUNE_OFFICER, unit=locked.product.commune_id).values("user_id")))
            notify(event="certificate_revoked", recipients=[u for u in owners + officers if u != by], target=locked,
                   context={"certificate": locked, "revocation": revocation, "base_url": _base_url()})
    certificate.status, certificate.ended_on = locked.status, locked.ended_on
    return revocation


MINISTRY_REVOKES = _l("Giấy chứng nhận 5 sao do Bộ trưởng Bộ Nông nghiệp và Môi trường thu hồi. Cán bộ tỉnh chỉ ghi "
                      "nhận quyết định thu hồi của Bộ: nhập số và ngày quyết định của Bộ.")


def inspection_record(*, certificate: Certificate, kind: str, inspected_on: datetime.date, inspectors: str,
                      conclusion: str, findings: str, by) -> Inspection:
    """Hậu kiểm. A conclusion that the product no longer meets the criteria opens a revocation on ground (b)."""
    if inspected_on > timezone.localdate():
        _deny(_("Ngày kiểm tra không được sau ngày hôm nay."))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update(of=("self",)).select_related("product__commune").get(pk=certificate.pk)
        _require(by, "products.manage_certificate", locked)
        inspection = Inspection(certificate=locked, kind=kind, inspected_on=inspected_on, inspectors=inspectors.strip(),
                                conclusion=conclusion, findings=findings.strip(), recorded_by=by)
        inspection.full_clean()
        inspection.save()
        activity_record(actor=by, verb=_vi(_l("Ghi nhận hậu kiểm")), target=locked,
                        after={"kind": inspection.get_kind_display(), "conclusion": inspection.get_conclusion_display()},
                        message=inspection.findings)
        # A 5★ is the Minister's to revoke: the conclusion goes to the Ministry, whose decision is recorded later.
        if (conclusion == InspectionConclusion.NOT_MET and locked.status == CertificateStatus.ACTIVE
                and revocation_level(locked) == RecognisingLevel.PROVINCE
                and not Revocation.objects.filter(certificate=locked).exists()):
            certificate_revoke(certificate=locked, ground=RevocationGround.CRITERIA_NOT_MET, by=by,
                               finding_on=inspected_on, inspection=inspection, note=inspection.findings)
    return inspection


# --- legacy certificates -------------------------------------------------------------------------
@transaction.atomic
def legacy_certificate_record(*, producer, product_set, product_name: str, product_code: str, commune, star: int,
                              level: str, issuing_unit, decision_number: str, decided_on: datetime.date,
                              certificate_number: str, signer_name: str = "", signer_title: str = "",
                              valid_until: datetime.date | None = None, render: bool = True,
                              by=None) -> Certificate:
    """Enter a certificate issued before the portal (e.g. a 3★ by a district People's Committee in 2023 on the
    old communes). The issuer is the organisation as named on the decision date; the authority is checked
    against the rules of that date. Idempotent on the certificate number. Certificates of one product may come
    in any order: the chain is settled by decision date (certificate_chain_settle), and one whose validity
    ended before it was entered is expired from its end date. `render=False` leaves the PDF to the effects
    sweep (an import of thousands)."""
    existing = Certificate.objects.filter(number=certificate_number).first()
    if existing is not None:
        return existing
    level = RecognisingLevel(level)
    _check_authority(level=level, star=star, day=decided_on, name=product_name)
    issuer = issuer_on(level=level, unit=issuing_unit, day=decided_on)
    if issuer is None:
        _deny(_("Chưa khai báo cơ quan ban hành (%(level)s) có hiệu lực vào ngày %(day)s.")
              % {"level": level.label, "day": _d(decided_on)})
    province = _province_of(commune)
    decision = Decision.objects.filter(issuer_name=issuer.name, number=decision_number).first()
    if decision is None:
        decision = Decision.objects.create(
            status=DecisionStatus.PUBLISHED, level=level, province=province, issuing_unit=issuing_unit,
            number=decision_number, decided_on=decided_on, signer_name=signer_name, signer_title=signer_title,
            issuer=issuer, issuer_name=issuer.name, is_legacy=True, created_by=by,
            recorded_at=timezone.now(), published_at=timezone.now(),
        )
    product = Product.objects.filter(code=product_code).first() or Product.objects.create(
        code=product_code, producer=producer, product_set=product_set, name=product_name, commune=commune,
        province=province, year=decided_on.year, seq=None)
    item = DecisionItem.objects.create(decision=decision, product=product, product_name=product_name, star=star,
                                       position=decision.items.count() + 1)
    cert = _certificate_issue(decision=decision, item=item, number=certificate_number, valid_until=valid_until)
    activity_record(actor=by, verb=_vi(_l("Nhập giấy chứng nhận cấp trước đây")), target=cert,
                    after={"issuer": issuer.name, "decision": decision_number})
    if render:
        from .tasks import certificate_render

        effect_record(task=certificate_render, kwargs={"certificate_id": cert.pk})
    return cert
