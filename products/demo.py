"""Demo records for products: a recorded and published decision from the demo round (closed here through
the evaluations services when the evaluations demo left it open), the certificates it issues, and certificates
entered from before the portal — a 3★ issued in 2023 by the Chợ Lách district People's Committee on the old
communes, a 4★ of old Bến Tre now in its renewal window, and one revoked. Idempotent; adds no producers or
dossiers (the registrations demo owns those)."""
import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from evaluations.enums import RecognisingLevel, RoundPhase, SheetStatus
from evaluations.models import Result, Round, ScoreChoice, ScoreSheet
from registrations.models import Producer, ProductSet
from units.enums import REFORM_DATE
from units.models import AdministrativeUnit, UnitLineage

from . import services
from .enums import DecisionStatus, RevocationGround
from .models import Certificate, Decision


def _close_demo_round(ctx, round_: Round) -> None:
    """Every council member scores like the chair did, the secretariat opens the meeting, the chair closes."""
    from evaluations import services as ev

    chair = ctx.users["council_chair"]
    staff = ctx.users["province_staff"]
    for entry in round_.entries.select_related("dossier"):
        chair_sheet = ScoreSheet.objects.filter(round=round_, dossier=entry.dossier, member__user=chair,
                                                status=SheetStatus.SUBMITTED).first()
        if chair_sheet is None:
            return
        choices = dict(ScoreChoice.objects.filter(sheet=chair_sheet).values_list("criterion_id", "option_id"))
        for key in ("council_secretary", "council_member", "council_member_2"):
            user = ctx.users.get(key)
            if user is None or ScoreSheet.objects.filter(round=round_, dossier=entry.dossier, member__user=user,
                                                         status=SheetStatus.SUBMITTED).exists():
                continue
            if not round_.assignments.filter(dossier=entry.dossier, member__user=user).exists():
                continue
            ev.score_sheet_submit(entry=entry, by=user, choices=choices)
    if round_.phase == RoundPhase.SCORING:
        ev.round_transition(round=round_, to=RoundPhase.COUNCIL_MEETING, by=staff)
    ev.round_transition(round=round_, to=RoundPhase.CLOSED, by=chair)


def _decision_from_round(ctx) -> None:
    from evaluations import services as ev

    round_ = Round.objects.filter(province=ctx.province, kind="regular", year=timezone.localdate().year,
                                  number=2).first()
    if round_ is None or not round_.entries.exists() or Decision.objects.filter(round=round_).exists():
        return
    staff = ctx.users["province_staff"]
    if round_.phase in (RoundPhase.SCORING, RoundPhase.COUNCIL_MEETING):
        _close_demo_round(ctx, round_)
    if round_.phase != RoundPhase.CLOSED:
        return
    # A 5★ proposal came back from the central council under 90: the province recognises 4★ on its basis.
    for result in Result.objects.filter(round=round_, for_ministry=True, central_recorded_at__isnull=True):
        ev.result_central_record(result=result, central_mean=Decimal("86.50"), central_star=4, by=staff)
    if not services.eligible_results(round_=round_):
        return
    decision = services.decision_create_from_round(round_=round_, by=staff)
    today = timezone.localdate()
    services.decision_transition(decision=decision, to=DecisionStatus.RECORDED, by=staff,
                                 number=f"{2000 + round_.pk}/QĐ-UBND", decided_on=today,
                                 signer_name="Nguyễn Văn Hưng", signer_title="KT. CHỦ TỊCH — PHÓ CHỦ TỊCH")
    services.decision_transition(decision=decision, to=DecisionStatus.PUBLISHED, by=staff)


def _old_commune_and_district(commune):
    old_ids = UnitLineage.objects.filter(new=commune).values("old_id")
    old = (AdministrativeUnit.objects.filter(pk__in=old_ids, parent__level="district").select_related("parent")
           .order_by("code").first())
    return (old, old.parent) if old else (None, None)


def _legacy(ctx, *, tax_code, product_name, slug, star, decided_on, number, certificate_number, commune_index):
    producer = Producer.objects.filter(tax_code=tax_code).first()
    product_set = ProductSet.objects.filter(slug=slug).order_by("-classification").first() or ProductSet.objects.first()
    old_commune, district = _old_commune_and_district(ctx.communes[commune_index])
    if producer is None or product_set is None or old_commune is None:
        return None
    level = services.authority_level(star=star, day=decided_on)
    if level == RecognisingLevel.DISTRICT:
        issuing_unit = district
    else:  # the old province before the 1 July 2025 reform, the merged one after it
        issuing_unit = old_commune.province if decided_on < REFORM_DATE else ctx.province
    code = f"{old_commune.province.code}-{district.code}-{old_commune.code}-{certificate_number.split('/')[0]}-{decided_on.year}"
    return services.legacy_certificate_record(
        producer=producer, product_set=product_set, product_name=product_name, product_code=code,
        commune=old_commune, star=star, level=level, issuing_unit=issuing_unit, decision_number=number,
        decided_on=decided_on, certificate_number=certificate_number, signer_name="Trần Văn Bình",
        signer_title="CHỦ TỊCH" if level == RecognisingLevel.DISTRICT else "KT. CHỦ TỊCH — PHÓ CHỦ TỊCH")


def demo_legacy_certificates(ctx) -> None:
    """Certificates from before the portal that the registrations demo's re-evaluation dossiers name: 4★ of old
    Bến Tre (provincial, 148 era) whose re-evaluation window (T-180 … T-120 days) is open now. Run before the
    dossiers are filed (ocop_portal/demo.py)."""
    from registrations.demo import renewed_certificate_issued_on, renewed_certificate_number

    today = timezone.localdate()
    for key, tax_code, name, slug, number, commune_index in [
        ("renewed", "1300456789", "Mật hoa dừa Chợ Lách", "che-bien-tu-rau-cu-qua-hat", "745/QĐ-UBND", 0),
        ("renewed_grapefruit", "1301023456", "Bưởi da xanh Mỏ Cày", "rau-cu-qua-hat-tuoi", "612/QĐ-UBND", 1),
    ]:
        _legacy(ctx, tax_code=tax_code, product_name=name, slug=slug, star=4,
                decided_on=renewed_certificate_issued_on(today, key), number=number,
                certificate_number=renewed_certificate_number(today, key), commune_index=commune_index)


def demo_extend(ctx) -> None:
    _decision_from_round(ctx)
    today = timezone.localdate()
    # A 3★ recognised by the Chợ Lách district People's Committee under Decision 148, still valid into 2026.
    _legacy(ctx, tax_code="1300567891", product_name="Kẹo dừa truyền thống Thanh Long", slug="che-bien-tu-rau-cu-qua-hat",
            star=3, decided_on=datetime.date(2023, 12, 15), number="2871/QĐ-UBND",
            certificate_number="12/2023/GCN-OCOP-CL", commune_index=0)
    demo_legacy_certificates(ctx)
    # A 3★ of 2021, recognised by old Bến Tre under Decision 1048 in that decision's own sub-group ("Chế biến từ
    # thủy, hải sản"); it expired in 2024. Reports by product group count it in today's group I (set 8).
    _legacy(ctx, tax_code="1300567891", product_name="Bánh phồng tôm Chợ Lách", slug="1048-che-bien-tu-thuy-hai-san",
            star=3, decided_on=datetime.date(2021, 3, 18), number="596/QĐ-UBND",
            certificate_number="27/2021/GCN-OCOP-BT", commune_index=0)
    # A 4★ handicraft whose maker misused the OCOP mark: revoked by the province (Art. 8.1.d). Its
    # certificate must still be valid when the misuse is found, whatever day the demo is loaded.
    misuse_decided = max(datetime.date(2024, 10, 10), today - relativedelta(months=30))
    revoked = _legacy(ctx, tax_code="1300789123", product_name="Giỏ xách sợi dừa", slug="thu-cong-my-nghe",
                      star=4, decided_on=misuse_decided, number="2210/QĐ-UBND",
                      certificate_number=f"58/{misuse_decided.year}/GCN-OCOP-BT", commune_index=1)
    staff = ctx.users.get("province_staff")
    if revoked is not None and staff is not None and not hasattr(Certificate.objects.get(pk=revoked.pk), "revocation"):
        finding = today - datetime.timedelta(days=20)
        services.certificate_revoke(certificate=revoked, ground=RevocationGround.MARK_MISUSE, by=staff,
                                    finding_on=finding, decision_number="1187/QĐ-UBND",
                                    decided_on=finding + datetime.timedelta(days=10),
                                    note="Sử dụng nhãn OCOP 5 sao trên bao bì trong khi sản phẩm đạt 4 sao.")
