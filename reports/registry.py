"""The report registry: every report is a class with a code, a Vietnamese title, the groupings and periods
it accepts, column headers and `rows(params)`, computed from one aggregate query per source (never a query
per row). Formatters (HTML, CSV, XLSX) live in formatters.py and work on any report's Table.

Tables add up: a report declares in `sums` which columns are the parts of which total (every state of the
records it counts, so no part is left out), and its total row is the sum of its rows.

Roll-up across the 2025 reform: a record keeps the unit it was made in. Grouping "by current commune"
maps a pre-reform commune through UnitLineage to its successor (the one with the lowest code when it was
split); grouping "by old province / old district" uses a legacy unit's own province / district, and for a
current commune the province / district of its predecessor with the lowest code. Both choices are stated
in the report's notes when they touched the data.
"""
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registrations.enums import BusinessPlanStatus, DossierKind, DossierStatus, IdeaStatus, ProducerKind

from .enums import Grouping, PeriodKind
from .periods import Params

TEXT, INT, PCT, DEC, VND = "text", "int", "pct", "dec", "vnd"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = INT


@dataclass
class Table:
    title: str
    columns: list
    rows: list  # lists of cell values, in column order
    total: list | None = None
    notes: list = field(default_factory=list)
    subtitle: str = ""
    as_of: object = None  # the moment the rows were read (an aware datetime), stated on every file and preview

    @property
    def headers(self) -> list:
        return [c.label for c in self.columns]


# --- roll-up ------------------------------------------------------------------------------------------
def _lineage():
    from units.models import UnitLineage

    return UnitLineage.objects


def group_key(grouping: str, unit_path: str, product_group_path: str | None = None):
    """An expression giving the group id of each record (`unit_path` is its commune FK path)."""
    if grouping == Grouping.CURRENT_COMMUNE:
        successor = _lineage().filter(old=OuterRef(unit_path)).order_by("new__code", "new_id").values("new_id")[:1]
        return Case(When(**{f"{unit_path}__valid_to__isnull": True}, then=F(unit_path)),
                    default=Subquery(successor), output_field=IntegerField())
    if grouping in (Grouping.OLD_PROVINCE, Grouping.OLD_DISTRICT):
        attr = "province" if grouping == Grouping.OLD_PROVINCE else "parent"
        predecessor = (_lineage().filter(new=OuterRef(unit_path)).order_by("old__code", "old_id")
                       .values(f"old__{attr}_id")[:1])
        return Case(When(**{f"{unit_path}__valid_to__isnull": False}, then=F(f"{unit_path}__{attr}")),
                    default=Subquery(predecessor), output_field=IntegerField())
    if grouping == Grouping.PRODUCT_GROUP and product_group_path:
        # A set of a classification no longer in force (1048/2019) counts in the group of today's set it maps to.
        set_path = product_group_path.removesuffix("__group")
        return Coalesce(F(f"{set_path}__current_set__group"), F(product_group_path), output_field=IntegerField())
    return Value(0, output_field=IntegerField())


def group_labels(grouping: str, keys) -> dict:
    """{group id: label} in one query (a legacy unit is marked "(cũ)", a legacy district or commune also with
    its old province, so same-name old districts differ)."""
    keys = {k for k in keys if k is not None}
    if grouping == Grouping.NONE:
        return {0: _("Toàn tỉnh")}
    if not keys:
        return {}
    if grouping == Grouping.PRODUCT_GROUP:
        from registrations.models import ProductGroup

        return {pk: f"{code}. {name}" for pk, code, name in
                ProductGroup.objects.filter(pk__in=keys).values_list("pk", "code", "name")}
    from units.models import AdministrativeUnit

    def label(name, valid_to, level, province):
        if valid_to is None:
            return name
        if level == "province" or not province:
            return _("%(name)s (cũ)") % {"name": name}
        # Same-name old districts ("Huyện Châu Thành") lay in several old provinces: name the province.
        return _("%(name)s (cũ, %(province)s)") % {"name": name, "province": province}

    return {pk: label(name, valid_to, level, province) for pk, name, valid_to, level, province in
            AdministrativeUnit.objects.filter(pk__in=keys).values_list("pk", "name", "valid_to", "level",
                                                                        "province__name")}


def rollup_notes(grouping: str, *unit_querysets) -> list:
    """Say when the roll-up had to choose (one query): split legacy communes, or merged communes whose
    predecessors lay in several old provinces / districts. `unit_querysets` give the records' unit ids."""
    if grouping not in (Grouping.CURRENT_COMMUNE, Grouping.OLD_PROVINCE, Grouping.OLD_DISTRICT):
        return []
    within = Q()
    for qs in unit_querysets:
        within |= Q(**{"old__in" if grouping == Grouping.CURRENT_COMMUNE else "new__in": qs})
    if grouping == Grouping.CURRENT_COMMUNE:
        n = (_lineage().filter(within, old__valid_to__isnull=False).values("old")
             .annotate(n=Count("new", distinct=True)).filter(n__gt=1).count())
        if n:
            return [_("%(n)s xã cũ được chia cho nhiều xã, phường mới: số liệu của các xã này được tính vào xã, "
                      "phường mới có mã nhỏ nhất.") % {"n": n}]
    elif grouping in (Grouping.OLD_PROVINCE, Grouping.OLD_DISTRICT):
        attr = "old__province" if grouping == Grouping.OLD_PROVINCE else "old__parent"
        n = (_lineage().filter(within, new__valid_to__isnull=True).values("new")
             .annotate(n=Count(attr, distinct=True)).filter(n__gt=1).count())
        if n:
            what = _("tỉnh cũ") if grouping == Grouping.OLD_PROVINCE else _("huyện cũ")
            return [_("%(n)s xã, phường hiện nay được hợp thành từ các xã thuộc nhiều %(what)s: số liệu của các xã, "
                      "phường này được tính vào %(what)s của xã cũ có mã nhỏ nhất.") % {"n": n, "what": what}]
    return []


def in_province(unit_path: str, province) -> Q:
    """Records made in any unit (old or current) whose area now belongs to `province`."""
    from units.models import AdministrativeUnit

    return Q(**{f"{unit_path}__in": AdministrativeUnit.objects.filter(current_province=province).values("pk")})


def pct(part, whole):
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


# --- the base class -----------------------------------------------------------------------------------
class Report:
    code: str = ""
    title = ""
    description = ""
    groupings: tuple = (Grouping.NONE, Grouping.CURRENT_COMMUNE, Grouping.OLD_DISTRICT, Grouping.OLD_PROVINCE)
    default_grouping = Grouping.CURRENT_COMMUNE
    periods: tuple = tuple(PeriodKind.values)
    position = 100
    # Which columns are the parts of which total: ((total key, (part keys…)), …); a total may be split more
    # than one way (by status and by kind). Every row, and the total row, must add up; a test checks each
    # report × grouping × period on data in every state (tests/reports/test_registry.py). No parts: ().
    sums: tuple | None = None
    # A standing order (Subscription) names a province and a frequency only; a report needing more cannot be one.
    subscribable = True

    @property
    def form_class(self):
        """The parameter form (province of the user, period, grouping), limited to this report's choices."""
        from .forms import ReportParamsForm

        return ReportParamsForm

    def columns(self, params: Params) -> list:
        raise NotImplementedError

    def tables(self, params: Params) -> list:
        """Every table of the report's document (the PDF): most reports have one, their rows."""
        return [self.rows(params)]

    def subject(self, params: Params) -> str:
        """The document's subject line (trích yếu) under "BÁO CÁO"."""
        return _("%(title)s %(period)s") % {"title": self.title, "period": params.period_phrase}

    def rows(self, params: Params) -> Table:
        raise NotImplementedError

    def group_column(self, params: Params) -> Column:
        label = {Grouping.NONE: _("Phạm vi"), Grouping.CURRENT_COMMUNE: _("Xã, phường"),
                 Grouping.OLD_DISTRICT: _("Huyện cũ"), Grouping.OLD_PROVINCE: _("Tỉnh cũ"),
                 Grouping.PRODUCT_GROUP: _("Nhóm sản phẩm")}[params.grouping]
        return Column("group", label, TEXT)

    # Aggregated rows → a table with labels, sorted by label, and a total row.
    def _grouped_table(self, params, aggregated: list, value_columns: list, *, notes=(), derive=None) -> Table:
        labels = group_labels(params.grouping, [r["group"] for r in aggregated])
        rows = []
        for r in aggregated:
            values = {c.key: r.get(c.key) for c in value_columns}
            if derive:
                values.update(derive(values))
            rows.append([labels.get(r["group"], _("Chưa xác định"))] + [values[c.key] for c in value_columns])
        rows.sort(key=lambda row: str(row[0]))
        total_values = {c.key: sum(r.get(c.key) or 0 for r in aggregated) for c in value_columns
                        if c.kind in (INT, VND)}
        if derive:
            total_values.update(derive(total_values))
        total = [_("Tổng cộng")] + [total_values.get(c.key) for c in value_columns]
        return Table(title=str(self.title), columns=[self.group_column(params)] + value_columns, rows=rows,
                     total=total, notes=list(notes), subtitle=f"{params.province_label} · {params.period_label}")


REPORTS: dict = {}


def register(cls):
    REPORTS[cls.code] = cls()
    return cls


def get_report(code: str) -> Report | None:
    return REPORTS.get(code)


def all_reports() -> list:
    return sorted(REPORTS.values(), key=lambda r: r.position)


# --- a. Tiến độ hồ sơ OCOP ----------------------------------------------------------------------------
@register
class DossierProgressReport(Report):
    code = "dossier_progress"
    position = 10
    title = gettext_lazy("Tiến độ hồ sơ OCOP")
    description = gettext_lazy("Hồ sơ theo trạng thái và loại đăng ký, số hồ sơ quá hạn đánh giá cấp xã.")
    groupings = tuple(Grouping.values)
    # Every state of the lifecycle, in its order (the end states last), so the status columns add up to the total.
    statuses = (DossierStatus.DRAFT, DossierStatus.SUBMITTED, DossierStatus.COMMUNE_REVIEW, DossierStatus.FORWARDED,
                DossierStatus.INTAKE, DossierStatus.ACCEPTED, DossierStatus.IN_ROUND, DossierStatus.SCORED,
                DossierStatus.RECOMMENDED, DossierStatus.RECOGNISED, DossierStatus.NOT_RECOGNISED,
                DossierStatus.RETURNED, DossierStatus.WITHDRAWN)
    sums = (("total", tuple(f"status_{s.value}" for s in statuses)),
            ("total", tuple(f"kind_{k.value}" for k in DossierKind)))

    def _columns(self):
        cols = [Column(f"status_{s.value}", str(s.label)) for s in self.statuses]
        cols.append(Column("total", _("Tổng số hồ sơ")))
        cols.append(Column("overdue", _("Quá hạn đánh giá cấp xã")))
        cols += [Column(f"kind_{k.value}", str(k.label)) for k in DossierKind]
        return cols

    def rows(self, params):
        from registrations.enums import COMMUNE_CLOCK_STATES
        from registrations.models import Dossier

        qs = Dossier.objects.filter(in_province("commune", params.province))
        if params.period == PeriodKind.ROUND and params.round is not None:
            qs = qs.filter(round_entries__round=params.round)
        elif params.is_whole_year:
            qs = qs.filter(year=params.year)
        else:
            start, end = params.datetime_range()
            qs = qs.filter(created_at__gte=start, created_at__lt=end)
        today = timezone.localdate()
        aggregates = {f"status_{s.value}": Count("pk", filter=Q(status=s)) for s in DossierStatus}
        aggregates["total"] = Count("pk")
        aggregates["overdue"] = Count("pk", filter=Q(status__in=COMMUNE_CLOCK_STATES, commune_due_on__lt=today))
        aggregates.update({f"kind_{k.value}": Count("pk", filter=Q(kind=k)) for k in DossierKind})
        aggregated = list(qs.annotate(group=group_key(params.grouping, "commune", "product_set__group"))
                          .values("group").annotate(**aggregates).order_by())
        notes = rollup_notes(params.grouping, qs.values("commune"))
        return self._grouped_table(params, aggregated, self._columns(), notes=notes)


# --- b. Hỗ trợ ý tưởng và phương án -----------------------------------------------------------------
@register
class SupportStepsReport(Report):
    code = "support_steps"
    position = 20
    title = gettext_lazy("Hỗ trợ ý tưởng và phương án")
    description = gettext_lazy("Ý tưởng sản phẩm và phương án kinh doanh theo trạng thái (bước 2–4 của chu trình).")
    periods = (PeriodKind.YEAR, PeriodKind.HALF, PeriodKind.QUARTER, PeriodKind.MONTH)
    sums = (("idea_total", tuple(f"idea_{s.value}" for s in IdeaStatus)),
            ("plan_total", tuple(f"plan_{s.value}" for s in BusinessPlanStatus)))

    def rows(self, params):
        from registrations.models import BusinessPlan, ProductIdea

        def scoped(model):
            qs = model.objects.filter(in_province("commune", params.province))
            if params.is_whole_year:
                return qs.filter(year=params.year)
            start, end = params.datetime_range()
            return qs.filter(created_at__gte=start, created_at__lt=end)

        idea_cols = [Column(f"idea_{s.value}", _("Ý tưởng: %(s)s") % {"s": s.label}) for s in IdeaStatus]
        idea_cols.append(Column("idea_total", _("Tổng số ý tưởng")))
        plan_cols = [Column(f"plan_{s.value}", _("Phương án: %(s)s") % {"s": s.label}) for s in BusinessPlanStatus]
        plan_cols.append(Column("plan_total", _("Tổng số phương án")))
        key = group_key(params.grouping, "commune")
        ideas = scoped(ProductIdea)
        plans = scoped(BusinessPlan)
        merged: dict = {}
        for r in (ideas.annotate(group=key).values("group").order_by()
                  .annotate(idea_total=Count("pk"), **{f"idea_{s.value}": Count("pk", filter=Q(status=s)) for s in IdeaStatus})):
            merged.setdefault(r["group"], {"group": r["group"]}).update(r)
        for r in (plans.annotate(group=key).values("group").order_by()
                  .annotate(plan_total=Count("pk"), **{f"plan_{s.value}": Count("pk", filter=Q(status=s)) for s in BusinessPlanStatus})):
            merged.setdefault(r["group"], {"group": r["group"]}).update(r)
        columns = idea_cols + plan_cols
        aggregated = [{c.key: r.get(c.key) or 0 for c in columns} | {"group": g} for g, r in merged.items()]
        notes = rollup_notes(params.grouping, ideas.values("commune"), plans.values("commune"))
        return self._grouped_table(params, aggregated, columns, notes=notes)


# --- c. Kết quả đánh giá, phân hạng --------------------------------------------------------------------
@register
class ResultsReport(Report):
    code = "evaluation_results"
    position = 30
    title = gettext_lazy("Kết quả đánh giá, phân hạng")
    description = gettext_lazy("Kết quả các kỳ đánh giá đã kết thúc theo hạng sao và nhóm sản phẩm; số sản phẩm "
                               "đề nghị Bộ đánh giá 5 sao.")
    stars = (5, 4, 3, 2, 1)
    sums = (("total", tuple(f"star_{n}" for n in stars) + ("no_star",)),)
    groupings = tuple(Grouping.values)
    default_grouping = Grouping.PRODUCT_GROUP

    def _columns(self):
        cols = [Column(f"star_{n}", _("%(n)s sao") % {"n": n}) for n in self.stars]
        cols += [Column("no_star", _("Không xếp hạng")), Column("total", _("Tổng số sản phẩm")),
                 Column("for_ministry", _("Đề nghị Bộ đánh giá 5 sao")),
                 Column("mean", _("Điểm trung bình"), DEC)]
        return cols

    def rows(self, params):
        from evaluations.enums import RoundPhase
        from evaluations.models import Result

        qs = Result.objects.filter(round__province=params.province, round__phase=RoundPhase.CLOSED)
        if params.period == PeriodKind.ROUND and params.round is not None:
            qs = qs.filter(round=params.round)
        elif params.is_whole_year:
            qs = qs.filter(round__year=params.year)
        else:
            start, end = params.datetime_range()
            qs = qs.filter(round__closed_at__gte=start, round__closed_at__lt=end)
        aggregates = {f"star_{n}": Count("pk", filter=Q(final_star=n)) for n in self.stars}
        aggregates.update(no_star=Count("pk", filter=Q(final_star__isnull=True)), total=Count("pk"),
                          for_ministry=Count("pk", filter=Q(for_ministry=True)), mean=Avg("mean"))
        aggregated = list(qs.annotate(group=group_key(params.grouping, "dossier__commune", "dossier__product_set__group"))
                          .values("group").annotate(**aggregates).order_by())
        for r in aggregated:
            r["mean"] = Decimal(r["mean"]).quantize(Decimal("0.01")) if r["mean"] is not None else None
        table = self._grouped_table(params, aggregated, self._columns(),
                                    notes=rollup_notes(params.grouping, qs.values("dossier__commune")))
        overall = qs.aggregate(mean=Avg("mean"))["mean"] if len(aggregated) > 1 else (aggregated[0]["mean"] if aggregated else None)
        table.total[-1] = Decimal(overall).quantize(Decimal("0.01")) if overall is not None else None
        return table


# --- d. Chủ thể OCOP -----------------------------------------------------------------------------------
MODERN_CHANNELS = ("supermarket", "ecommerce")


def _modern_channel_q(prefix: str = "") -> Q:
    q = Q()
    for channel in MODERN_CHANNELS:
        # JSON text search works the same on PostgreSQL and SQLite ("contains" on JSON does not on SQLite).
        q |= Q(**{f"{prefix}sales_channels__icontains": f'"{channel}"'})
    return q


@register
class ProducersReport(Report):
    code = "producers"
    position = 40
    title = gettext_lazy("Chủ thể OCOP")
    description = gettext_lazy("Chủ thể theo loại hình; tỷ lệ hợp tác xã (mục tiêu ≥ 40%), doanh nghiệp (≥ 30%), "
                               "tỷ lệ có kênh phân phối "
                               "hiện đại (mục tiêu ≥ 50%); người đại diện là nữ, là người dân tộc thiểu số. Số liệu "
                               "tính đến hết kỳ báo cáo.")
    # The shares (modern channels, women, minorities) are subsets, not parts: only the kinds add up.
    sums = (("total", tuple(f"kind_{k.value}" for k in ProducerKind)),)

    def _columns(self):
        cols = [Column("total", _("Tổng số chủ thể"))]
        cols += [Column(f"kind_{k.value}", str(k.label)) for k in ProducerKind]
        cols += [Column("cooperative_pct", _("Tỷ lệ hợp tác xã (%)"), PCT),
                 Column("sme_pct", _("Tỷ lệ doanh nghiệp (%)"), PCT),
                 Column("modern", _("Có kênh hiện đại (siêu thị, thương mại điện tử)")),
                 Column("modern_pct", _("Tỷ lệ có kênh hiện đại (%)"), PCT),
                 Column("women", _("Người đại diện là nữ")),
                 Column("women_pct", _("Tỷ lệ nữ (%)"), PCT),
                 Column("minority", _("Người đại diện là người dân tộc thiểu số")),
                 Column("minority_pct", _("Tỷ lệ dân tộc thiểu số (%)"), PCT)]
        return cols

    @staticmethod
    def _derive(values):
        total = values.get("total") or 0
        return {"cooperative_pct": pct(values.get("kind_cooperative") or 0, total),
                "sme_pct": pct(values.get("kind_sme") or 0, total),
                "modern_pct": pct(values.get("modern") or 0, total),
                "women_pct": pct(values.get("women") or 0, total),
                "minority_pct": pct(values.get("minority") or 0, total)}

    def rows(self, params):
        from registrations.enums import Gender
        from registrations.models import Producer

        _start, end = params.datetime_range()
        qs = Producer.objects.filter(in_province("commune", params.province), created_at__lt=end)
        aggregates = {"total": Count("pk")}
        aggregates.update({f"kind_{k.value}": Count("pk", filter=Q(kind=k)) for k in ProducerKind})
        aggregates.update(
            modern=Count("pk", filter=_modern_channel_q()),
            women=Count("pk", filter=Q(representative_gender=Gender.FEMALE)),
            minority=Count("pk", filter=~Q(representative_ethnicity__iexact="Kinh") & ~Q(representative_ethnicity="")),
        )
        aggregated = list(qs.annotate(group=group_key(params.grouping, "commune")).values("group")
                          .annotate(**aggregates).order_by())
        return self._grouped_table(params, aggregated, self._columns(), derive=self._derive,
                                   notes=rollup_notes(params.grouping, qs.values("commune")))


# --- a list: Danh sách chủ thể OCOP (one row per producer) ---------------------------------------------
@register
class ProducerListReport(Report):
    code = "producer_list"
    position = 70
    title = gettext_lazy("Danh sách chủ thể OCOP")
    description = gettext_lazy("Danh sách chủ thể trong tỉnh với loại hình, địa bàn, người đại diện và kênh phân "
                               "phối (xuất Excel cho bảng lớn).")
    groupings = (Grouping.NONE,)
    default_grouping = Grouping.NONE
    periods = (PeriodKind.YEAR,)
    sums = ()  # one row per producer: no parts, the total row sums the workforce

    def rows(self, params):
        from registrations.enums import Gender, SalesChannel
        from registrations.models import Producer

        _start, end = params.datetime_range()
        qs = (Producer.objects.filter(in_province("commune", params.province), created_at__lt=end)
              .order_by("name", "pk")
              .values_list("name", "tax_code", "kind", "commune__name", "commune__valid_to", "representative_name",
                           "representative_gender", "representative_ethnicity", "sales_channels", "workforce_total"))
        kinds, genders, channels = dict(ProducerKind.choices), dict(Gender.choices), dict(SalesChannel.choices)
        rows = []
        for name, tax, kind, commune, commune_ended, rep, gender, ethnicity, sales, workforce in qs:
            commune_label = (_("%(name)s (cũ)") % {"name": commune}) if commune_ended else commune
            rows.append([name, tax, str(kinds.get(kind, kind)), commune_label, rep, str(genders.get(gender, gender)),
                         ethnicity, "; ".join(str(channels.get(c, c)) for c in (sales or [])), workforce])
        columns = [Column("name", _("Tên chủ thể"), TEXT), Column("tax_code", _("Mã số thuế"), TEXT),
                   Column("kind", _("Loại hình"), TEXT), Column("commune", _("Xã, phường"), TEXT),
                   Column("representative", _("Người đại diện"), TEXT), Column("gender", _("Giới tính"), TEXT),
                   Column("ethnicity", _("Dân tộc"), TEXT), Column("channels", _("Kênh phân phối"), TEXT),
                   Column("workforce", _("Số lao động"))]
        total = [_("Tổng cộng: %(n)s chủ thể") % {"n": len(rows)}] + [""] * 7 + [sum(r[-1] for r in rows)]
        return Table(title=str(self.title), columns=columns, rows=rows, total=total,
                     subtitle=f"{params.province_label} · {params.period_label}")


# --- a list: Danh sách giấy chứng nhận OCOP (one row per certificate) -------------------------------------------
@register
class CertificateListReport(Report):
    code = "certificate_list"
    position = 75
    title = gettext_lazy("Danh sách giấy chứng nhận OCOP")
    description = gettext_lazy("Mọi giấy chứng nhận OCOP của tỉnh cấp đến hết năm: số, sản phẩm, chủ thể, hạng sao, "
                               "ngày cấp, hiệu lực, trạng thái (xuất Excel cho bảng lớn).")
    groupings = (Grouping.NONE,)
    default_grouping = Grouping.NONE
    periods = (PeriodKind.YEAR,)
    sums = ()  # one row per certificate: no parts; the total row counts them

    def rows(self, params):
        from products.enums import CertificateStatus
        from products.models import Certificate

        start, end = params.date_range()
        statuses = dict(CertificateStatus.choices)
        qs = (Certificate.objects.filter(in_province("product__commune", params.province), issued_on__lt=end)
              .order_by("issued_on", "number", "pk")
              .values_list("number", "product__name", "product__producer__name", "star", "product__commune__name",
                           "product__commune__valid_to", "issued_on", "valid_until", "status", "ended_on"))
        rows = [[number, product, producer, star, (_("%(name)s (cũ)") % {"name": commune}) if ended else commune,
                 issued, valid, str(statuses.get(status, status)), ended_on]
                # A plain read, not a server-side cursor: a cursor is planned for its first rows (an index walk
                # over every certificate of the country in date order), the rows are all kept anyway.
                for number, product, producer, star, commune, ended, issued, valid, status, ended_on in qs]
        columns = [Column("number", _("Số giấy chứng nhận"), TEXT), Column("product", _("Sản phẩm"), TEXT),
                   Column("producer", _("Chủ thể"), TEXT), Column("star", _("Hạng sao"), DEC),
                   Column("commune", _("Xã, phường"), TEXT), Column("issued_on", _("Ngày cấp"), TEXT),
                   Column("valid_until", _("Hiệu lực đến"), TEXT), Column("status", _("Trạng thái"), TEXT),
                   Column("ended_on", _("Ngày chấm dứt hiệu lực"), TEXT)]
        total = [_("Tổng cộng: %(n)s giấy chứng nhận") % {"n": len(rows)}] + [""] * 8
        return Table(title=str(self.title), columns=columns, rows=rows, total=total,
                     subtitle=f"{params.province_label} · {params.period_label}")


# --- f. Thực hiện kế hoạch --------------------------------------------------------------------------------
MILLION = Decimal(1_000_000)


@register
class PlanProgressReport(Report):
    """One plan (any level, any period): per indicator, unit and period (each year, each stage, the whole
    period) the target, the actual from the plans indicator catalogue and the % of target; then the budget
    by source, in millions of đồng as plans write it. The computation is plans.selectors.plan_progress, shared
    with the plan's page (which links each actual to the records counted)."""

    code = "plan_progress"
    position = 60
    title = gettext_lazy("Thực hiện kế hoạch")
    description = gettext_lazy("Chỉ tiêu của một kế hoạch, đề án OCOP (mọi cấp, nhiều năm) so với kết quả thực hiện "
                               "theo năm, giai đoạn và cả kỳ; kinh phí kế hoạch và thực hiện theo nguồn.")
    groupings = (Grouping.NONE,)
    default_grouping = Grouping.NONE
    periods = (PeriodKind.YEAR,)
    sums = ()  # its rows are indicators and budget lines, not parts of a total; it has no total row
    subscribable = False  # it needs a plan (the periodic progress report includes the plans in force)

    @property
    def form_class(self):
        from .forms import PlanProgressForm

        return PlanProgressForm

    def rows(self, params):
        from plans.selectors import budget_summary, plan_progress, unit_label

        plan = params.plan
        columns = [Column("item", _("Chỉ tiêu"), TEXT), Column("unit", _("Đơn vị tính"), TEXT),
                   Column("area", _("Địa bàn"), TEXT), Column("period", _("Kỳ"), TEXT),
                   Column("planned", _("Kế hoạch"), TEXT), Column("actual", _("Thực hiện"), DEC),
                   Column("rate", _("Tỷ lệ so với kế hoạch (%)"), PCT), Column("basis", _("Nguồn số liệu"), TEXT)]
        if plan is None:  # e.g. a standing subscription, which names a province and no plan
            return Table(title=str(self.title), columns=columns, rows=[], notes=[_("Hãy chọn kế hoạch.")],
                         subtitle=params.province_label)
        progress = plan_progress(plan)
        rows = []
        for cell in progress.cells:
            if cell.target is None and cell.manual is None and cell.period.key != "all":
                continue  # a year or stage without a target: the whole-period row carries the figure
            basis = (_("Nhập tay: %(note)s") % {"note": cell.manual.source_note} if cell.entered
                     else (_("Tính từ dữ liệu") if cell.indicator.source is not None else _("Chưa có số liệu")))
            rows.append([str(cell.indicator.label), str(cell.indicator.unit_label), unit_label(cell.unit),
                         cell.period.label, cell.target.value_label if cell.target else "", cell.actual, cell.rate,
                         basis])
        budget = budget_summary(plan, periods=progress.periods)
        from plans.enums import FundingSource

        for group in budget["groups"]:
            for line in group["lines"]:
                rows.append([_("Kinh phí: %(source)s") % {"source": FundingSource(line.source).label},
                             _("triệu đồng"), unit_label(plan.issuing_unit), str(group["label"]),
                             f"{(Decimal(line.planned_vnd) / MILLION).normalize():f}",
                             Decimal(line.actual_vnd) / MILLION, pct(line.actual_vnd, line.planned_vnd),
                             line.note])
            for key, label in (("state", _("Cộng ngân sách nhà nước")), ("total", _("Tổng kinh phí"))):
                planned, actual = group[key]
                rows.append([label, _("triệu đồng"), unit_label(plan.issuing_unit), str(group["label"]),
                             f"{(Decimal(planned) / MILLION).normalize():f}", Decimal(actual) / MILLION,
                             pct(actual, planned), ""])
        notes = [_("Kế hoạch: %(title)s%(ref)s, %(a)s–%(b)s%(orientation)s.") % {
            "title": plan.title, "ref": f" ({plan.reference})" if plan.reference else "",
            "a": plan.year_from, "b": plan.year_to,
            "orientation": (_(", định hướng đến năm %(y)s") % {"y": plan.orientation_year}) if plan.orientation_year else ""}]
        notes += progress.notes
        if budget["reconciles"] is False:
            notes.append(_("Tổng kinh phí theo nguồn (%(sum)s triệu đồng) khác tổng ghi trong văn bản (%(doc)s triệu đồng).")
                         % {"sum": f"{(Decimal(budget['planned_total']) / MILLION).normalize():f}",
                            "doc": f"{(Decimal(budget['stated_total']) / MILLION).normalize():f}"})
        return Table(title=str(self.title), columns=columns, rows=rows, notes=notes,
                     subtitle=f"{unit_label(plan.issuing_unit)} · {plan.year_from}–{plan.year_to}")


# --- e. Sản phẩm OCOP (certificates) --------------------------------------------------------------------
EXPIRING_DAYS = 180


@register
class OcopProductsReport(Report):
    code = "ocop_products"
    position = 50
    title = gettext_lazy("Sản phẩm OCOP")
    description = gettext_lazy("Giấy chứng nhận còn hiệu lực theo hạng sao; cấp mới, nâng hạng, đánh giá lại trong kỳ; "
                               "sắp hết hạn trong 180 ngày; bị thu hồi trong kỳ.")
    groupings = tuple(Grouping.values)
    # A certificate of 3 stars or more (a recognition decision names only those, DecisionItem's constraint).
    # Issued in the period: new (supersedes nothing), an upgrade (supersedes a lower star) or a re-recognition.
    sums = (("active_total", ("active_5", "active_4", "active_3")),
            ("issued", ("new", "upgraded", "re_recognised")))

    def _columns(self):
        cols = [Column(f"active_{n}", _("Còn hiệu lực %(n)s sao") % {"n": n}) for n in (5, 4, 3)]
        cols += [Column("active_total", _("Tổng số còn hiệu lực")),
                 Column("new", _("Cấp mới trong kỳ")), Column("upgraded", _("Nâng hạng trong kỳ")),
                 Column("re_recognised", _("Đánh giá lại đạt trong kỳ")),
                 Column("issued", _("Tổng số cấp trong kỳ")),
                 Column("expiring", _("Sắp hết hạn (180 ngày tới)")), Column("revoked", _("Bị thu hồi trong kỳ"))]
        return cols

    def rows(self, params):
        import datetime

        from products.enums import CertificateStatus
        from products.models import Certificate

        start, end = params.date_range()
        today = timezone.localdate()
        # The state on the last day of the period (today for a period still running).
        as_of = min(today, end - datetime.timedelta(days=1))
        # In force: within validity, or past it in the grace of a filed re-evaluation (≤ 180 days, Art. 12).
        active = (Q(issued_on__lte=as_of) & (Q(valid_until__gte=as_of) | Q(grace_until__gte=as_of))
                  & (Q(ended_on__isnull=True) | Q(ended_on__gt=as_of)))
        issued = Q(issued_on__gte=start, issued_on__lt=end)
        qs = Certificate.objects.filter(in_province("product__commune", params.province))
        aggregates = {f"active_{n}": Count("pk", filter=active & Q(star=n)) for n in (5, 4, 3)}
        aggregates.update(
            active_total=Count("pk", filter=active & Q(star__gte=3)),
            new=Count("pk", filter=issued & Q(supersedes__isnull=True)),
            upgraded=Count("pk", filter=issued & Q(supersedes__star__lt=F("star"))),
            re_recognised=Count("pk", filter=issued & Q(supersedes__star__gte=F("star"))),
            issued=Count("pk", filter=issued),
            expiring=Count("pk", filter=Q(status=CertificateStatus.ACTIVE, valid_until__gte=today,
                                          valid_until__lte=today + datetime.timedelta(days=EXPIRING_DAYS))),
            revoked=Count("pk", filter=Q(status=CertificateStatus.REVOKED, ended_on__gte=start, ended_on__lt=end)),
        )
        aggregated = [r for r in qs.annotate(group=group_key(params.grouping, "product__commune",
                                                             "product__product_set__group"))
                      .values("group").annotate(**aggregates).order_by()
                      if any(r[k] for k in aggregates)]
        notes = rollup_notes(params.grouping, qs.values("product__commune"))
        notes.append(_("Số còn hiệu lực tính đến ngày %(day)s; sắp hết hạn tính từ hôm nay.")
                     % {"day": as_of.strftime("%d/%m/%Y")})
        return self._grouped_table(params, aggregated, self._columns(), notes=notes)


# --- g. Công nhận theo năm (the whole history) --------------------------------------------------------
@register
class RecognitionsByYearReport(Report):
    """Certificates issued each year by their own decision date, from the first year on record to the chosen
    year: those of decisions made on the portal and the legacy certificates entered again alike, in every unit
    (old or current) whose area now lies in the province, so the pre-reform history rolls up to today's units."""

    code = "recognitions_by_year"
    position = 55
    title = gettext_lazy("Công nhận sản phẩm OCOP theo năm")
    description = gettext_lazy("Giấy chứng nhận cấp mỗi năm theo ngày quyết định, từ năm đầu tiên có dữ liệu (kể cả "
                               "giấy chứng nhận cấp trước đây được nhập lại), theo loại và hạng sao.")
    groupings = (Grouping.NONE,)
    default_grouping = Grouping.NONE
    periods = (PeriodKind.YEAR,)
    stars = (5, 4, 3)
    sums = (("issued", ("new", "upgraded", "re_recognised")),
            ("issued", tuple(f"star_{n}" for n in stars)))

    def _columns(self):
        return [Column("new", _("Cấp mới")), Column("upgraded", _("Nâng hạng")),
                Column("re_recognised", _("Đánh giá lại đạt")),
                *[Column(f"star_{n}", _("%(n)s sao") % {"n": n}) for n in self.stars],
                Column("issued", _("Tổng số được công nhận"))]

    def rows(self, params):
        from django.db.models.functions import ExtractYear

        from products.models import Certificate

        _start, end = params.date_range()
        aggregates = {"new": Count("pk", filter=Q(supersedes__isnull=True)),
                      "upgraded": Count("pk", filter=Q(supersedes__star__lt=F("star"))),
                      "re_recognised": Count("pk", filter=Q(supersedes__star__gte=F("star"))),
                      **{f"star_{n}": Count("pk", filter=Q(star=n)) for n in self.stars},
                      "issued": Count("pk")}
        by_year = {r["y"]: r for r in Certificate.objects
                   .filter(in_province("product__commune", params.province), issued_on__lt=end)
                   .annotate(y=ExtractYear("issued_on")).values("y").annotate(**aggregates).order_by()}
        columns = self._columns()
        years = range(min(by_year), params.year + 1) if by_year else ()
        # Every year from the first on record, a year without recognitions included (a line has no gaps).
        rows = [[str(y)] + [by_year.get(y, {}).get(c.key, 0) for c in columns] for y in years]
        total = [_("Tổng cộng")] + [sum(r[k] for r in rows) for k in range(1, len(columns) + 1)]
        return Table(title=str(self.title), columns=[Column("group", _("Năm"), TEXT)] + columns, rows=rows,
                     total=total, subtitle=f"{params.province_label} · " + _("đến hết năm %(year)s") % {"year": params.year},
                     notes=[_("Mỗi giấy chứng nhận tính theo năm của ngày quyết định công nhận, kể cả giấy chứng nhận "
                              "cấp trước đây được nhập lại; đơn vị cũ được tính vào tỉnh hiện nay.")])


# --- h. Giấy chứng nhận sắp hết hạn và tình trạng đánh giá lại ------------------------------------------
@register
class ExpiringCertificatesReport(Report):
    """Certificates in force that expire in the next 180 days (the same as the "expiring" column of the OCOP
    products report), by month of expiry and renewal state: a re-evaluation dossier filed; none yet, the filing
    window (180–120 days before expiry) still open; none, the window missed."""

    code = "expiring_certificates"
    position = 52
    title = gettext_lazy("Giấy chứng nhận sắp hết hạn")
    description = gettext_lazy("Giấy chứng nhận hết hạn trong 180 ngày tới theo tháng hết hạn và tình trạng đánh giá "
                               "lại: đã nộp hồ sơ; chưa nộp, còn trong thời hạn nộp (180–120 ngày trước khi hết hạn); "
                               "chưa nộp, đã quá thời hạn nộp. Tính từ hôm nay.")
    groupings = (Grouping.NONE,)
    default_grouping = Grouping.NONE
    periods = (PeriodKind.YEAR,)
    sums = (("total", ("filed", "window_open", "window_missed")),)

    def _columns(self):
        return [Column("filed", _("Đã nộp hồ sơ đánh giá lại")),
                Column("window_open", _("Chưa nộp, còn trong thời hạn nộp")),
                Column("window_missed", _("Chưa nộp, đã quá thời hạn nộp")),
                Column("total", _("Tổng số sắp hết hạn"))]

    def rows(self, params):
        import datetime

        from django.db.models.functions import TruncMonth

        from products.enums import CertificateStatus
        from products.enums import RENEWAL_CLOSES_DAYS
        from products.models import Certificate

        today = timezone.localdate()
        last = today + datetime.timedelta(days=EXPIRING_DAYS)
        window_closes = today + datetime.timedelta(days=RENEWAL_CLOSES_DAYS)
        no_dossier = Q(reevaluation_dossier__isnull=True)
        by_month = {r["m"]: r for r in Certificate.objects
                    .filter(in_province("product__commune", params.province), status=CertificateStatus.ACTIVE,
                            valid_until__gte=today, valid_until__lte=last)
                    .annotate(m=TruncMonth("valid_until")).values("m").order_by()
                    .annotate(filed=Count("pk", filter=~no_dossier),
                              window_open=Count("pk", filter=no_dossier & Q(valid_until__gte=window_closes)),
                              window_missed=Count("pk", filter=no_dossier & Q(valid_until__lt=window_closes)),
                              total=Count("pk"))}
        columns = self._columns()
        rows, month = [], today.replace(day=1)
        while month <= last:
            found = by_month.get(month, {})
            rows.append([_("Tháng %(m)s/%(y)s") % {"m": month.month, "y": month.year}]
                        + [found.get(c.key, 0) for c in columns])
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        total = [_("Tổng cộng")] + [sum(r[k] for r in rows) for k in range(1, len(columns) + 1)]
        return Table(title=str(self.title), columns=[Column("group", _("Tháng hết hạn"), TEXT)] + columns, rows=rows,
                     total=total, subtitle=f"{params.province_label} · "
                     + _("từ %(a)s đến %(b)s") % {"a": today.strftime("%d/%m/%Y"), "b": last.strftime("%d/%m/%Y")},
                     notes=[_("Thời hạn nộp hồ sơ đánh giá lại: từ 180 đến 120 ngày trước khi giấy chứng nhận hết "
                              "hạn.")])
# --- g. Báo cáo định kỳ: tình hình thực hiện Chương trình OCOP ------------------------------------------------
@register
class PeriodicProgressReport(Report):
    """The month's, quarter's, half-year's or year's progress report the department forwards upward: a summary
    of the headline figures, then each report of the period as a section (same rows, same totals as when run on
    its own), then the progress of the province's plans in force that year."""

    code = "periodic_progress"
    position = 80
    title = gettext_lazy("Báo cáo định kỳ tình hình thực hiện Chương trình OCOP")
    description = gettext_lazy("Báo cáo tháng, quý, 6 tháng, năm gửi cấp trên: tổng hợp các báo cáo của kỳ (hồ sơ, "
                               "hỗ trợ ý tưởng, kết quả phân hạng, chủ thể, sản phẩm OCOP) và tiến độ kế hoạch, "
                               "theo thể thức văn bản hành chính (tải PDF).")
    periods = (PeriodKind.QUARTER, PeriodKind.MONTH, PeriodKind.HALF, PeriodKind.YEAR)
    groupings = (Grouping.NONE, Grouping.CURRENT_COMMUNE, Grouping.OLD_DISTRICT, Grouping.OLD_PROVINCE)
    default_grouping = Grouping.NONE
    sums = ()  # the summary lists headline figures of different reports: no parts, no total row
    # (report code, the column its summary line quotes)
    sections = (("dossier_progress", "total"), ("support_steps", "idea_total"), ("evaluation_results", "total"),
                ("producers", "total"), ("ocop_products", "active_total"))

    def subject(self, params):
        return _("Tình hình thực hiện Chương trình OCOP %(period)s") % {"period": params.period_phrase}

    def _plans(self, params):
        from plans.enums import PlanStatus
        from plans.models import Plan

        return list(Plan.objects.filter(issuing_unit=params.province, status=PlanStatus.IN_FORCE,
                                        year_from__lte=params.year, year_to__gte=params.year)
                    .select_related("issuing_unit", "issuing_unit__province").order_by("year_from", "pk")[:3])

    def tables(self, params):
        from dataclasses import replace

        sections = []
        lines = []
        for code, key in self.sections:
            report = get_report(code)
            table = report.rows(params if params.period in report.periods
                                else replace(params, period=PeriodKind.YEAR, part=None))
            sections.append(table)
            keys = [c.key for c in table.columns]
            figure = table.total[keys.index(key)] if table.total else None
            lines.append([table.title, table.columns[keys.index(key)].label, figure])
        plan_report = get_report("plan_progress")
        for plan in self._plans(params):
            table = plan_report.rows(replace(params, plan=plan, grouping=Grouping.NONE))
            table.title = _("%(title)s: %(plan)s") % {"title": plan_report.title, "plan": plan.title}
            sections.append(table)
        summary = Table(title=_("Tổng hợp số liệu chính"),
                        columns=[Column("report", _("Nội dung"), TEXT), Column("figure_label", _("Chỉ tiêu"), TEXT),
                                 Column("figure", _("Số liệu"))],
                        rows=lines, subtitle=f"{params.province_label} · {params.period_label}")
        return [summary, *sections]

    def rows(self, params):
        return self.tables(params)[0]
