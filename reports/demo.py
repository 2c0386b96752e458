"""Demo data for reports: the department (an organisation) subscribed to the quarterly progress report as PDF,
with the department's report viewer holding their role in it so they receive it; one finished report run for
the report viewer (so.nnmt); and the province's OCOP history the dashboard charts draw: certificates entered from
before the portal, one or more each year since 2019 (those past their validity expired), and a few whose validity
ends in the coming months, some with their filing window still open and some past it. Idempotent. (The demo plans
are made by plans/demo.py.)"""
import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from .enums import Frequency, Grouping, PeriodKind, RunFormat, RunStatus
from .models import ReportRun, Subscription
from .periods import Params

# tax code of the producer, product, product set slug, star, decided on (a date, or months before
# today: a certificate of 36 months then ends that many months from now), decision number, commune index
HISTORY = [
    ("1300891234", "Sầu riêng Ri6 sấy khô", "che-bien-tu-rau-cu-qua-hat", 3, datetime.date(2019, 6, 20), "1021/QĐ-UBND", 0),
    ("1301023456", "Bưởi da xanh Thành Thới", "rau-cu-qua-hat-tuoi", 3, datetime.date(2019, 11, 5), "2544/QĐ-UBND", 1),
    ("1300456789", "Kẹo dừa lá dứa Chợ Lách", "che-bien-tu-rau-cu-qua-hat", 3, datetime.date(2020, 8, 14), "1730/QĐ-UBND", 0),
    ("1300678912", "Bánh phồng sữa Mỏ Cày", "che-bien-tu-gao-ngu-coc", 3, datetime.date(2020, 12, 1), "2811/QĐ-UBND", 1),
    ("1300912345", "Mai vàng Cái Mơn", "cay-canh", 4, datetime.date(2020, 12, 1), "2812/QĐ-UBND", 0),
    ("1301134567", "Dầu dừa tinh luyện Bảy Hiền", "che-bien-tu-rau-cu-qua-hat", 3, datetime.date(2021, 9, 8), "1966/QĐ-UBND", 1),
    ("1300789123", "Thảm xơ dừa Dừa Việt", "thu-cong-my-nghe", 4, datetime.date(2022, 5, 17), "1103/QĐ-UBND", 1),
    ("1300891234", "Chôm chôm Java Sơn Định", "rau-cu-qua-hat-tuoi", 3, datetime.date(2022, 10, 3), "2290/QĐ-UBND", 0),
    ("1300567891", "Kẹo chuối dừa Thanh Long", "che-bien-tu-rau-cu-qua-hat", 3, 35, "3015/QĐ-UBND", 0),
    ("1300678912", "Bánh tráng sữa Mỏ Cày", "che-bien-tu-gao-ngu-coc", 3, 33, "3016/QĐ-UBND", 1),
    ("1300912345", "Kiểng lá Cái Mơn", "cay-canh", 3, 31, "3017/QĐ-UBND", 0),
]


def _history(ctx) -> None:
    """The OCOP history before the portal, rolled up by the reports to today's province and communes."""
    from products import services as product_services
    from products.demo import _legacy
    from products.enums import CertificateStatus

    today = timezone.localdate()
    staff = ctx.users.get("province_staff")
    for n, (tax_code, name, slug, star, when, number, commune_index) in enumerate(HISTORY, start=1):
        decided_on = when if isinstance(when, datetime.date) else today - relativedelta(months=when)
        cert = _legacy(ctx, tax_code=tax_code, product_name=name, slug=slug, star=star, decided_on=decided_on,
                       number=number, certificate_number=f"{60 + n}/{decided_on.year}/GCN-OCOP-BT",
                       commune_index=commune_index)
        if cert is not None and cert.status == CertificateStatus.ACTIVE and cert.valid_until < today:
            product_services.certificate_transition(certificate=cert, to=CertificateStatus.EXPIRED, by=staff,
                                                    on=cert.valid_until + datetime.timedelta(days=1))


def demo_extend(ctx) -> None:
    from accounts.models import RoleAssignment

    from . import services

    _history(ctx)
    viewer = ctx.users.get("report_viewer")
    department = ctx.organisations.get("department")
    if viewer is not None and department is not None:
        RoleAssignment.objects.filter(user=viewer, unit=ctx.province, organisation__isnull=True).update(
            organisation=department)
        Subscription.objects.get_or_create(organisation=department, code="periodic_progress", province=ctx.province,
                                           frequency=Frequency.QUARTERLY,
                                           defaults={"format": RunFormat.PDF, "created_by": ctx.users.get("province_staff")})
    if viewer is None or ReportRun.objects.filter(requested_by=viewer, status=RunStatus.DONE).exists():
        return
    params = Params(province=ctx.province, year=2026, period=PeriodKind.YEAR, grouping=Grouping.CURRENT_COMMUNE)
    run, _created = services.report_run_request(code="dossier_progress", params=params, fmt=RunFormat.XLSX, by=viewer)
    services.report_run_execute(run_id=run.pk)  # render now; the queued task then finds it done
