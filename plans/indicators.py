"""The indicator catalogue: what a plan's targets measure and how the actual figure is counted.

Each indicator is a small class with a code, a label, a definition (what is counted, by which date, how it
rolls up) and one aggregate query over its source records, registered like a report. Indicators of the same
source share one SQL query per progress report (`aggregates()` returns the expressions the query adds), so
the number of queries grows neither with the records nor with the indicators.

Every source keeps the commune a record was made in (pre-reform or current) and its own date: a certificate
its decision date, a producer its registration date, a showroom its opening date. Roll-up to the plan's unit
goes through units.selectors.area_communes, across the 2025 reform both ways.
"""
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext_lazy as _


# --- sources --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Source:
    """Records an indicator counts: a queryset with `_day` (the record's own date) and the commune path."""

    code: str
    commune: str
    label: str
    # The drill-down: (column label, field path) per shown column; the first names the record.
    display: tuple = ()

    def queryset(self):
        return SOURCE_QUERYSETS[self.code]()

    def within(self, *, area, start: datetime.date | None, end: datetime.date) -> Q:
        q = Q(_day__lt=end) & Q(**{f"{self.commune}__in": area})
        return q & Q(_day__gte=start) if start else q


def _certificates():
    from products.models import Certificate

    return Certificate.objects.annotate(_day=F("issued_on"))


def _certificates_ended():
    from products.models import Certificate

    return Certificate.objects.filter(ended_on__isnull=False).annotate(_day=F("ended_on"))


def _units():
    from units.models import AdministrativeUnit

    # A commune's own date is the day it began (pre-reform communes have none: they count from the start).
    return AdministrativeUnit.objects.filter(level="commune").annotate(
        _day=Coalesce("valid_from", Value(datetime.date(1900, 1, 1))))


def _results():
    from evaluations.enums import RoundPhase
    from evaluations.models import Result

    return Result.objects.filter(round__phase=RoundPhase.CLOSED).annotate(_day=TruncDate("round__closed_at"))


def _dossiers():
    from registrations.models import Dossier

    return Dossier.objects.filter(accepted_at__isnull=False).annotate(_day=TruncDate("accepted_at"))


def _ideas():
    from registrations.models import ProductIdea

    return ProductIdea.objects.annotate(_day=TruncDate("created_at"))


def _business_plans():
    from registrations.models import BusinessPlan

    return BusinessPlan.objects.annotate(_day=TruncDate("created_at"))


def _producers():
    from registrations.models import Producer

    # The day the producer was registered; a producer entered without it counts from the day it was typed.
    return Producer.objects.annotate(_day=Coalesce("registered_on", TruncDate("created_at")))


def _showrooms():
    from .models import Showroom

    return Showroom.objects.annotate(_day=F("opened_on"))


def _community_organisations():
    from .models import CommunityOrganisation

    return CommunityOrganisation.objects.annotate(_day=F("happened_on"))


def _new_rural():
    from django.db.models import CharField, DateField
    from django.db.models.functions import Cast, Concat

    from .models import NewRuralRecognition

    # Recognised for a year: its own date is 1 January of that year, so it counts in that year.
    return NewRuralRecognition.objects.annotate(
        _day=Cast(Concat(Cast("year", CharField()), Value("-01-01")), DateField()))


def _trainings():
    from .models import Training

    return Training.objects.annotate(_day=F("held_on"))


SOURCE_QUERYSETS = {"trainings": _trainings, "units": _units, "certificates": _certificates, "certificates_ended": _certificates_ended, "results": _results, "dossiers": _dossiers, "ideas": _ideas,
                    "business_plans": _business_plans,
                    "producers": _producers, "showrooms": _showrooms,
                    "community_organisations": _community_organisations, "new_rural": _new_rural}
CERTIFICATES = Source("certificates", "product__commune", _("Giấy chứng nhận OCOP (ngày quyết định)"), (
    (_("Sản phẩm"), "product__name"), (_("Số giấy chứng nhận"), "number"), (_("Hạng sao"), "star"),
    (_("Quyết định"), "decision__number")))
CERTIFICATES_ENDED = Source("certificates_ended", "product__commune", _("Giấy chứng nhận OCOP (ngày hết hiệu lực)"), (
    (_("Sản phẩm"), "product__name"), (_("Số giấy chứng nhận"), "number"), (_("Hạng sao"), "star"),
    (_("Trạng thái"), "status")))
UNITS = Source("units", "pk", _("Xã, phường (như vào cuối kỳ)"))
TRAININGS = Source("trainings", "commune", _("Lớp tập huấn (ngày khai giảng)"), (
    (_("Tên lớp"), "title"), (_("Số người tham gia"), "participants"), (_("Cán bộ quản lý, chủ thể"), "managers")))
RESULTS = Source("results", "dossier__commune", _("Kết quả kỳ đánh giá (ngày kết thúc kỳ)"), (
    (_("Sản phẩm"), "dossier__product_name"), (_("Hạng sao"), "final_star"), (_("Điểm trung bình"), "mean")))
DOSSIERS = Source("dossiers", "commune", _("Hồ sơ (ngày tỉnh tiếp nhận)"), (
    (_("Sản phẩm"), "product_name"), (_("Chủ thể"), "producer__name")))
IDEAS = Source("ideas", "commune", _("Ý tưởng sản phẩm (ngày đăng ký)"), (
    (_("Ý tưởng sản phẩm"), "title"), (_("Chủ thể"), "producer__name")))
BUSINESS_PLANS = Source("business_plans", "commune", _("Phương án kinh doanh (ngày lập)"), (
    (_("Phương án kinh doanh"), "title"), (_("Chủ thể"), "producer__name")))
PRODUCERS = Source("producers", "commune", _("Chủ thể OCOP (ngày cấp đăng ký)"), (
    (_("Tên chủ thể"), "name"), (_("Loại hình"), "kind")))
SHOWROOMS = Source("showrooms", "commune", _("Điểm giới thiệu, bán sản phẩm (ngày khai trương)"), (
    (_("Tên điểm"), "name"), (_("Chủ sở hữu"), "owner_name")))

COMMUNITY_ORGANISATIONS = Source("community_organisations", "commune", _(
    "Tổ chức kinh tế cộng đồng (ngày thành lập, kiện toàn)"), (
    (_("Tên tổ chức"), "name"), (_("Hình thức"), "kind")))
NEW_RURAL = Source("new_rural", "commune", _("Xã đạt chuẩn nông thôn mới nâng cao, kiểu mẫu (năm đạt chuẩn)"), (
    (_("Mức đạt chuẩn"), "level"), (_("Năm đạt chuẩn"), "year"), (_("Quyết định"), "decision_number")))


# --- the base class -------------------------------------------------------------------------------------
class Indicator:
    code: str = ""
    label = ""
    definition = ""
    unit_label = _("sản phẩm")
    source: Source | None = None  # None: no records hold it, the actual is entered by hand
    cumulative = False  # counts everything up to the end of the period, not only what is new in it
    percent = False
    position = 100
    condition = Q()  # which of the source's records count

    def aggregates(self, key: str, within: Q, end: datetime.date) -> dict:
        """{alias: aggregate expression} for one cell (an area and a period) of the progress report."""
        return {key: Count("pk", filter=within & self.condition)}

    def value(self, key: str, row: dict) -> Decimal | None:
        return Decimal(row[key])

    def records(self, within: Q, end: datetime.date):
        """The records counted for one cell (the drill-down); the same filter as the aggregate."""
        return self.source.queryset().filter(within & self.condition)


class ShareIndicator(Indicator):
    """A percentage: records meeting `condition` among the records meeting `whole`."""

    percent = True
    unit_label = "%"
    whole = Q()

    def aggregates(self, key, within, end):
        return {f"{key}_n": Count("pk", filter=within & self.condition), f"{key}_d": Count("pk", filter=within & self.whole)}

    def value(self, key, row):
        whole = row[f"{key}_d"]
        if not whole:
            return None
        return (Decimal(row[f"{key}_n"]) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


INDICATORS: dict = {}


def register(cls):
    INDICATORS[cls.code] = cls()
    return cls


def get_indicator(code: str) -> Indicator | None:
    return INDICATORS.get(code)


def all_indicators() -> list:
    return sorted(INDICATORS.values(), key=lambda i: (i.position, i.code))


def indicator_choices() -> list:
    return [(i.code, i.label) for i in all_indicators()]


# --- products recognised --------------------------------------------------------------------------------
FIRST = Q(supersedes__isnull=True)
NOT_RE_RECOGNISED = Q(supersedes__isnull=True) | Q(supersedes__star__lt=F("star"))


@register
class NewProducts(Indicator):
    code = "new_3star"
    position = 10
    label = _("Sản phẩm mới đạt 3 sao trở lên")
    definition = _("Sản phẩm được công nhận lần đầu từ 3 sao trở lên trong kỳ: giấy chứng nhận đầu tiên của sản phẩm, "
                   "tính theo ngày quyết định công nhận; gồm quyết định trên cổng và giấy chứng nhận cấp trước đây "
                   "được nhập lại; tính theo xã nơi làm ra sản phẩm, cộng dồn lên đơn vị của kế hoạch qua sáp nhập.")
    source = CERTIFICATES
    condition = FIRST & Q(star__gte=3)


@register
class ProductsCumulative(Indicator):
    code = "products_cumulative"
    position = 11
    cumulative = True
    label = _("Sản phẩm OCOP lũy kế (từ 3 sao)")
    definition = _("Sản phẩm đã được công nhận từ 3 sao trở lên tính đến cuối kỳ (mỗi sản phẩm một lần, theo ngày "
                   "quyết định công nhận đầu tiên), kể cả sản phẩm nay đã hết hạn hoặc bị thu hồi.")
    source = CERTIFICATES
    condition = FIRST & Q(star__gte=3)


class _StarIndicator(Indicator):
    star = 3
    source = CERTIFICATES

    @property
    def condition(self):
        return NOT_RE_RECOGNISED & Q(star=self.star)


@register
class ThreeStar(_StarIndicator):
    code = "three_star"
    position = 12
    star = 3
    label = _("Sản phẩm đạt 3 sao")
    definition = _("Giấy chứng nhận 3 sao cấp trong kỳ (công nhận lần đầu), theo ngày quyết định.")


@register
class FourStar(_StarIndicator):
    code = "four_star"
    position = 13
    star = 4
    label = _("Sản phẩm đạt 4 sao")
    definition = _("Giấy chứng nhận 4 sao cấp trong kỳ, lần đầu hoặc nâng hạng (không tính đánh giá lại giữ hạng), "
                   "theo ngày quyết định.")


@register
class FiveStar(_StarIndicator):
    code = "five_star"
    position = 14
    star = 5
    label = _("Sản phẩm đạt 5 sao (Bộ công nhận)")
    definition = _("Giấy chứng nhận 5 sao cấp trong kỳ, lần đầu hoặc nâng hạng, theo ngày quyết định của Bộ.")


@register
class PotentialFiveStar(Indicator):
    code = "potential_5star"
    position = 16
    label = _("Sản phẩm tiềm năng 5 sao")
    definition = _("Sản phẩm đạt từ 90 điểm trung bình ở hội đồng cấp tỉnh, không bị loại, và chưa được Bộ công nhận "
                   "5 sao (ngưỡng đề nghị Bộ đánh giá theo Quyết định 1048/QĐ-TTg, 148/QĐ-TTg và 26/2026/QĐ-TTg), "
                   "theo ngày kết thúc kỳ đánh giá, tại xã nơi nộp hồ sơ.")
    source = RESULTS
    condition = Q(mean__gte=90, knocked_out=False) & ~Q(central_star=5)


@register
class FiveStarProposals(Indicator):
    code = "five_star_proposals"
    position = 15
    label = _("Sản phẩm đề nghị Bộ đánh giá 5 sao")
    definition = _("Sản phẩm đạt từ 90 điểm ở cấp tỉnh được đề nghị Bộ đánh giá, theo ngày kết thúc kỳ đánh giá.")
    source = RESULTS
    condition = Q(for_ministry=True)


@register
class Upgraded(Indicator):
    code = "upgraded"
    position = 20
    label = _("Sản phẩm được nâng hạng")
    definition = _("Giấy chứng nhận cấp trong kỳ thay giấy chứng nhận hạng sao thấp hơn của cùng sản phẩm, theo ngày "
                   "quyết định.")
    source = CERTIFICATES
    condition = Q(supersedes__star__lt=F("star"))


@register
class UpgradedShare(ShareIndicator):
    code = "upgraded_share"
    position = 21
    label = _("Tỷ lệ sản phẩm được nâng hạng (%)")
    definition = _("Số giấy chứng nhận nâng hạng trên tổng số giấy chứng nhận cấp trong kỳ (mới, nâng hạng, đánh "
                   "giá lại), theo ngày quyết định.")
    source = CERTIFICATES
    condition = Q(supersedes__star__lt=F("star"))


@register
class ReRecognised(Indicator):
    code = "re_recognised"
    position = 22
    label = _("Sản phẩm được đánh giá lại đạt")
    definition = _("Giấy chứng nhận cấp trong kỳ thay giấy chứng nhận cùng hoặc cao hơn hạng sao (đánh giá lại khi "
                   "hết hạn), theo ngày quyết định.")
    source = CERTIFICATES
    condition = Q(supersedes__star__gte=F("star"))


@register
class CertificatesExpired(Indicator):
    code = "certificates_expired"
    position = 23
    unit_label = _("giấy chứng nhận")
    label = _("Giấy chứng nhận hết hiệu lực")
    definition = _("Giấy chứng nhận hết thời hạn 36 tháng trong kỳ mà không được đánh giá lại kịp, theo ngày hết "
                   "hiệu lực.")
    source = CERTIFICATES_ENDED
    condition = Q(status="expired")


@register
class CertificatesRevoked(Indicator):
    code = "certificates_revoked"
    position = 24
    unit_label = _("giấy chứng nhận")
    label = _("Giấy chứng nhận bị thu hồi")
    definition = _("Giấy chứng nhận bị thu hồi trong kỳ, theo ngày chấm dứt hiệu lực ghi trong quyết định thu hồi.")
    source = CERTIFICATES_ENDED
    condition = Q(status="revoked")


@register
class CommunesWithProduct(Indicator):
    code = "communes_with_product"
    position = 30
    cumulative = True
    unit_label = _("xã")
    label = _("Xã có sản phẩm OCOP")
    definition = _("Số xã (như vào ngày công nhận) có ít nhất một sản phẩm được công nhận từ 3 sao tính đến cuối kỳ.")
    source = CERTIFICATES
    condition = Q(star__gte=3)

    def aggregates(self, key, within, end):
        return {key: Count(CERTIFICATES.commune, distinct=True, filter=within & self.condition)}


@register
class CommuneCoverage(ShareIndicator):
    code = "commune_coverage"
    position = 31
    cumulative = True
    label = _("Tỷ lệ xã có sản phẩm OCOP (%)")
    definition = _("Xã, phường của địa bàn như vào ngày cuối kỳ có ít nhất một sản phẩm được công nhận từ 3 sao "
                   "tính đến cuối kỳ (tại chính xã đó hoặc, với xã, phường hiện nay, tại xã cũ hợp thành nó), trên "
                   "tổng số xã, phường của địa bàn vào ngày đó.")
    source = UNITS

    @staticmethod
    def _valid_and_covered(end):
        from products.models import Certificate
        from units.models import UnitLineage

        last_day = end - datetime.timedelta(days=1)
        certified = Certificate.objects.filter(star__gte=3, issued_on__lt=end).values("product__commune")
        covered = Q(pk__in=certified) | Q(pk__in=UnitLineage.objects.filter(old__in=certified).values("new"))
        return Q(valid_to__isnull=True) | Q(valid_to__gte=last_day), covered

    def aggregates(self, key, within, end):
        valid, covered = self._valid_and_covered(end)
        return {f"{key}_n": Count("pk", filter=within & valid & covered), f"{key}_d": Count("pk", filter=within & valid)}

    def records(self, within, end):
        valid, covered = self._valid_and_covered(end)
        return self.source.queryset().filter(within & valid & covered)


# --- producers ------------------------------------------------------------------------------------------
def _kind(*kinds) -> Q:
    return Q(kind__in=list(kinds))


@register
class Producers(Indicator):
    code = "producers"
    position = 40
    cumulative = True
    unit_label = _("chủ thể")
    label = _("Chủ thể OCOP")
    definition = _("Chủ thể đã đăng ký tính đến cuối kỳ, theo ngày cấp đăng ký (ngày nhập vào cổng nếu chưa có), "
                   "tại xã nơi chủ thể đăng ký.")
    source = PRODUCERS


def _producers_of_kind(kind, label, position):
    """A count of producers of one type (cooperatives, SMEs, ...) registered by the end of the period."""
    return register(type(f"Producers_{kind}", (Indicator,), {
        "code": f"producers_{kind}", "position": position, "cumulative": True, "unit_label": _("chủ thể"),
        "label": label, "source": PRODUCERS, "condition": _kind(kind),
        "definition": _("Chủ thể thuộc loại hình này đã đăng ký tính đến cuối kỳ, theo ngày cấp đăng ký.")}))


for _n, (_kind_code, _kind_label) in enumerate([
        ("cooperative", _("Chủ thể là hợp tác xã")), ("cooperative_group", _("Chủ thể là tổ hợp tác")),
        ("sme", _("Chủ thể là doanh nghiệp nhỏ và vừa")), ("farm", _("Chủ thể là trang trại")),
        ("household", _("Chủ thể là hộ sản xuất có đăng ký kinh doanh"))]):
    _producers_of_kind(_kind_code, _kind_label, 45 + _n)


@register
class CooperativeShare(ShareIndicator):
    code = "cooperative_share"
    position = 41
    cumulative = True
    label = _("Tỷ lệ chủ thể là hợp tác xã (%)")
    definition = _("Hợp tác xã trên tổng số chủ thể đã đăng ký tính đến cuối kỳ (theo ngày cấp đăng ký).")
    source = PRODUCERS
    condition = _kind("cooperative")


@register
class SmeShare(ShareIndicator):
    code = "sme_share"
    position = 42
    cumulative = True
    label = _("Tỷ lệ chủ thể là doanh nghiệp nhỏ và vừa (%)")
    definition = _("Doanh nghiệp nhỏ và vừa trên tổng số chủ thể đã đăng ký tính đến cuối kỳ.")
    source = PRODUCERS
    condition = _kind("sme")


@register
class CooperativeOrSmeShare(ShareIndicator):
    code = "cooperative_or_sme_share"
    position = 43
    cumulative = True
    label = _("Tỷ lệ chủ thể là hợp tác xã hoặc doanh nghiệp (%)")
    definition = _("Hợp tác xã và doanh nghiệp nhỏ và vừa trên tổng số chủ thể đã đăng ký tính đến cuối kỳ.")
    source = PRODUCERS
    condition = _kind("cooperative", "sme")


@register
class ModernChannelShare(ShareIndicator):
    code = "modern_channel_share"
    position = 44
    cumulative = True
    label = _("Tỷ lệ chủ thể có kênh phân phối hiện đại (%)")
    definition = _("Chủ thể bán qua siêu thị hoặc thương mại điện tử trên tổng số chủ thể đã đăng ký tính đến cuối kỳ.")
    source = PRODUCERS
    # JSON text search works the same on PostgreSQL and SQLite.
    condition = Q(sales_channels__icontains='"supermarket"') | Q(sales_channels__icontains='"ecommerce"')


@register
class CraftVillageProducers(Indicator):
    code = "craft_village_producers"
    position = 52
    cumulative = True
    unit_label = _("chủ thể")
    label = _("Chủ thể thuộc làng nghề")
    definition = _("Chủ thể có ghi tên làng nghề (làng nghề, làng nghề truyền thống được công nhận) đã đăng ký tính đến "
                   "cuối kỳ, theo ngày cấp đăng ký, tại xã nơi chủ thể đăng ký.")
    source = PRODUCERS
    condition = ~Q(craft_village="")


@register
class ValueChainProducers(Indicator):
    code = "value_chain_producers"
    position = 53
    cumulative = True
    unit_label = _("chủ thể")
    label = _("Chủ thể tham gia chuỗi giá trị")
    definition = _("Chủ thể được ghi nhận tham gia chuỗi giá trị khép kín (liên kết từ nguyên liệu đến tiêu thụ) đã "
                   "đăng ký tính đến cuối kỳ, theo ngày cấp đăng ký.")
    source = PRODUCERS
    condition = Q(in_value_chain=True)


@register
class ValueChainShare(ShareIndicator):
    code = "value_chain_share"
    position = 54
    cumulative = True
    label = _("Tỷ lệ chủ thể tham gia chuỗi giá trị (%)")
    definition = _("Chủ thể tham gia chuỗi giá trị khép kín trên tổng số chủ thể đã đăng ký tính đến cuối kỳ.")
    source = PRODUCERS
    condition = Q(in_value_chain=True)


@register
class CommunityOrganisations(Indicator):
    code = "community_organisations"
    position = 55
    unit_label = _("tổ chức")
    label = _("Tổ chức kinh tế cộng đồng thành lập mới, củng cố")
    definition = _("Hợp tác xã, tổ hợp tác được thành lập mới hoặc củng cố, kiện toàn trong kỳ, theo ngày thành lập "
                   "hoặc kiện toàn, tại xã nơi đặt trụ sở.")
    source = COMMUNITY_ORGANISATIONS


class _NewRuralWithProduct(Indicator):
    level = ""
    unit_label = _("xã")
    source = NEW_RURAL

    def condition_until(self, end) -> Q:
        from products.models import Certificate
        from units.models import UnitLineage

        certified = Certificate.objects.filter(star__gte=3, issued_on__lt=end).values("product__commune")
        successors = UnitLineage.objects.filter(old__in=certified).values("new")
        has_product = Q(commune__in=certified) | Q(commune__in=successors)
        return Q(level=self.level) & has_product

    def aggregates(self, key, within, end):
        return {key: Count("commune", distinct=True, filter=within & self.condition_until(end))}

    def records(self, within, end):
        return self.source.queryset().filter(within & self.condition_until(end))


@register
class NewRuralAdvancedWithProduct(_NewRuralWithProduct):
    code = "new_rural_advanced_with_product"
    position = 32
    level = "advanced"
    label = _("Xã nông thôn mới nâng cao có sản phẩm OCOP")
    definition = _("Xã đạt chuẩn nông thôn mới nâng cao trong kỳ (theo năm đạt chuẩn) có ít nhất một sản phẩm được "
                   "công nhận từ 3 sao tính đến cuối kỳ, tại chính xã đó hoặc, với xã hiện nay, tại xã cũ hợp thành nó.")


@register
class NewRuralModelWithProduct(_NewRuralWithProduct):
    code = "new_rural_model_with_product"
    position = 33
    level = "model"
    label = _("Xã nông thôn mới kiểu mẫu có sản phẩm OCOP")
    definition = _("Xã đạt chuẩn nông thôn mới kiểu mẫu trong kỳ (theo năm đạt chuẩn) có ít nhất một sản phẩm được "
                   "công nhận từ 3 sao tính đến cuối kỳ, tại chính xã đó hoặc, với xã hiện nay, tại xã cũ hợp thành nó.")


# --- steps of the cycle ---------------------------------------------------------------------------------
@register
class IdeasSupported(Indicator):
    code = "ideas_supported"
    position = 50
    unit_label = _("ý tưởng")
    label = _("Ý tưởng sản phẩm được hỗ trợ")
    definition = _("Ý tưởng sản phẩm được duyệt hoặc đã phát triển thành sản phẩm, theo ngày đăng ký ý tưởng.")
    source = IDEAS
    condition = Q(status__in=["approved", "developed"])


@register
class BusinessPlansSupported(Indicator):
    code = "business_plans_supported"
    position = 50.5
    unit_label = _("phương án")
    label = _("Phương án kinh doanh được hỗ trợ")
    definition = _("Phương án kinh doanh được phê duyệt, đang triển khai hoặc đã hoàn thành, theo ngày lập phương án.")
    source = BUSINESS_PLANS
    condition = Q(status__in=["approved", "implementing", "completed"])


@register
class DossiersAccepted(Indicator):
    code = "dossiers_accepted"
    position = 51
    unit_label = _("hồ sơ")
    label = _("Hồ sơ được tỉnh tiếp nhận")
    definition = _("Hồ sơ đăng ký đánh giá được tỉnh tiếp nhận trong kỳ, theo ngày tiếp nhận.")
    source = DOSSIERS


# --- showrooms and what records do not hold -------------------------------------------------------------
@register
class Showrooms(Indicator):
    code = "showrooms"
    position = 60
    unit_label = _("điểm")
    label = _("Điểm giới thiệu, bán sản phẩm OCOP")
    definition = _("Điểm giới thiệu, bán sản phẩm OCOP khai trương trong kỳ, theo ngày khai trương, tại xã nơi mở điểm.")
    source = SHOWROOMS


@register
class ShowroomsOpen(Indicator):
    code = "showrooms_cumulative"
    position = 61
    cumulative = True
    unit_label = _("điểm")
    label = _("Điểm giới thiệu, bán sản phẩm OCOP đang hoạt động")
    definition = _("Điểm đã khai trương trước cuối kỳ và chưa đóng cửa trước cuối kỳ.")
    source = SHOWROOMS

    def aggregates(self, key, within, end):
        return {key: Count("pk", filter=within & self.open_on(end))}

    @staticmethod
    def open_on(end):
        # Open on the last day of the period: `within` bounds the opening date.
        return Q(closed_on__isnull=True) | Q(closed_on__gte=end)

    def records(self, within, end):
        return self.source.queryset().filter(within & self.open_on(end))


@register
class Trainings(Indicator):
    code = "trainings"
    position = 70
    unit_label = _("lớp")
    label = _("Lớp tập huấn được tổ chức")
    definition = _("Lớp tập huấn, đào tạo khai giảng trong kỳ, theo ngày khai giảng, tại xã nơi tổ chức; với các năm "
                   "chưa ghi nhận lớp trên cổng, cán bộ nhập tay số liệu kèm nguồn.")
    source = TRAININGS


@register
class ManagersTrained(Indicator):
    code = "managers_trained"
    position = 71
    unit_label = _("người")
    label = _("Cán bộ quản lý, chủ thể được đào tạo")
    definition = _("Số cán bộ quản lý, chủ thể (người) tham gia các lớp khai giảng trong kỳ, theo ngày khai giảng; "
                   "nhập tay kèm nguồn cho các năm chưa ghi nhận lớp trên cổng.")
    source = TRAININGS

    def aggregates(self, key, within, end):
        return {key: Sum("managers", filter=within, default=0)}


@register
class ManagersTrainedShare(Indicator):
    code = "managers_trained_share"
    position = 72
    percent = True
    unit_label = "%"
    label = _("Tỷ lệ cán bộ quản lý, chủ thể trong số người được đào tạo (%)")
    definition = _("Số cán bộ quản lý, chủ thể trên tổng số người tham gia các lớp khai giảng trong kỳ, theo ngày "
                   "khai giảng.")
    source = TRAININGS

    def aggregates(self, key, within, end):
        return {f"{key}_n": Sum("managers", filter=within, default=0),
                f"{key}_d": Sum("participants", filter=within, default=0)}

    def value(self, key, row):
        whole = row[f"{key}_d"]
        if not whole:
            return None
        return (Decimal(row[f"{key}_n"]) * 100 / Decimal(whole)).quantize(Decimal("0.1"))
