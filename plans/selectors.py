"""Reads of plans: the plans a user may see, the units a plan may target, and the plan's progress — target,
actual and % per indicator × unit × period (each year, each stage, the whole period) — with the records behind
each actual. Queries: the plan's targets, stages and hand-entered actuals, then one aggregate per record source
the plan's indicators use; never one per record, cell or indicator."""
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet

from accounts.enums import Role
from accounts.selectors import user_scope
from units.enums import Level
from units.models import AdministrativeUnit
from units.selectors import area_communes, shared_successors

from .enums import STATE_BUDGET_SOURCES, FundingSource, SubunitLevel, TargetKind
from .indicators import get_indicator
from .models import Plan, Target

WHOLE = "all"


def plans_visible_to(user) -> QuerySet:
    """Plans whose issuing unit lies in the user's province (province staff, department viewer) or is the
    user's commune or one it was formed from (commune officer); all for an administrator."""
    scope = user_scope(user)
    qs = Plan.objects.select_related("issuing_unit", "issuing_unit__province")
    if scope.is_admin:
        return qs
    q = Q(issuing_unit__current_province__in=scope.unit_ids(Role.PROVINCE_STAFF, Role.REPORT_VIEWER))
    communes = scope.unit_ids(Role.COMMUNE_OFFICER)
    if communes:
        q |= Q(issuing_unit__in=communes, issuing_unit__level=Level.COMMUNE)
    return qs.filter(q)


def showrooms_visible_to(user) -> QuerySet:
    """Showrooms in the communes (old and current) of the user's province, or of their commune."""
    from accounts.selectors import scope_filter

    from .models import Showroom

    qs = Showroom.objects.select_related("commune", "commune__province")
    return scope_filter(qs, user, commune_field="commune", province_roles=(Role.PROVINCE_STAFF, Role.REPORT_VIEWER))


def trainings_visible_to(user) -> QuerySet:
    """Training courses held in the communes (old and current) of the user's province, or of their commune."""
    from accounts.selectors import scope_filter

    from .models import Training

    qs = Training.objects.select_related("commune", "commune__province")
    return scope_filter(qs, user, commune_field="commune", province_roles=(Role.PROVINCE_STAFF, Role.REPORT_VIEWER))


def community_organisations_visible_to(user) -> QuerySet:
    """Community organisations in the communes (old and current) of the user's province, or of their commune."""
    from accounts.selectors import scope_filter

    from .models import CommunityOrganisation

    qs = CommunityOrganisation.objects.select_related("commune", "commune__province")
    return scope_filter(qs, user, commune_field="commune", province_roles=(Role.PROVINCE_STAFF, Role.REPORT_VIEWER))


def new_rural_recognitions_visible_to(user) -> QuerySet:
    """New-rural recognitions of the communes (old and current) of the user's province, or of their commune."""
    from accounts.selectors import scope_filter

    from .models import NewRuralRecognition

    qs = NewRuralRecognition.objects.select_related("commune", "commune__province")
    return scope_filter(qs, user, commune_field="commune", province_roles=(Role.PROVINCE_STAFF, Role.REPORT_VIEWER))


def showroom_communes_for(user) -> QuerySet:
    """Communes a user may record a showroom in: their province's current and pre-reform communes, or their own."""
    from accounts.selectors import scope_filter

    qs = AdministrativeUnit.objects.filter(level=Level.COMMUNE).select_related("province").order_by(
        "valid_to", "name", "code")
    return scope_filter(qs, user, commune_field="")


def issuing_units_for(user) -> QuerySet:
    """Units a user may issue plans for: provinces and districts, current and pre-reform, of their provinces
    (province staff), and their commune with its predecessors (commune officer)."""
    scope = user_scope(user)
    units = AdministrativeUnit.objects.select_related("province").order_by("level", "valid_to", "name", "code")
    big = Q(level__in=[Level.PROVINCE, Level.DISTRICT])
    if scope.is_admin:
        return units.filter(big)
    return units.filter((big & Q(current_province__in=scope.unit_ids(Role.PROVINCE_STAFF)))
                        | Q(pk__in=scope.unit_ids(Role.COMMUNE_OFFICER), level=Level.COMMUNE))


def plan_subunits(unit: AdministrativeUnit) -> QuerySet:
    """The unit and the units a plan of it may set targets for: a province's districts (pre-reform) or communes
    (current), the pre-reform provinces merged into a current province, a district's communes."""
    units = AdministrativeUnit.objects.select_related("province")
    if unit.level == Level.COMMUNE:
        inside = Q(pk__in=[])
    elif unit.level == Level.DISTRICT:
        inside = Q(parent=unit)
    elif unit.is_current:
        inside = Q(parent=unit) | Q(current_province=unit, valid_to__isnull=False,
                                    level__in=[Level.PROVINCE, Level.DISTRICT])
    else:
        inside = Q(parent=unit)
    return units.filter(Q(pk=unit.pk) | inside).order_by("level", "valid_to", "name", "code")


def unit_label(unit: AdministrativeUnit) -> str:
    """A unit's name; a pre-reform one marked "(cũ)" with its old province, so same-name old districts differ."""
    from django.utils.translation import gettext as _

    if unit.is_current:
        return unit.name
    if unit.level == Level.PROVINCE or unit.province is None:
        return _("%(name)s (cũ)") % {"name": unit.name}
    return _("%(name)s (cũ, %(province)s)") % {"name": unit.name, "province": unit.province.name}


# --- periods ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    key: str  # "all", "y2023", "s12"
    label: str
    start: datetime.date
    end: datetime.date  # exclusive

    @property
    def last_day(self) -> datetime.date:
        return self.end - datetime.timedelta(days=1)


def _years(a: int, b: int) -> tuple:
    return datetime.date(a, 1, 1), datetime.date(b + 1, 1, 1)


def plan_periods(plan: Plan, stages: list) -> list:
    """Each year of the plan, each stage, then the whole period."""
    from django.utils.translation import gettext as _

    periods = [Period(f"y{y}", _("Năm %(y)s") % {"y": y}, *_years(y, y)) for y in plan.years]
    periods += [Period(f"s{s.pk}", str(s), *_years(s.year_from, s.year_to)) for s in stages]
    periods.append(Period(WHOLE, _("Cả kỳ %(a)s–%(b)s") % {"a": plan.year_from, "b": plan.year_to},
                          *_years(plan.year_from, plan.year_to)))
    return periods


def period_key(row) -> str:
    """The period key of a Target, BudgetLine or ManualActual."""
    if row.year:
        return f"y{row.year}"
    return f"s{row.stage_id}" if row.stage_id else WHOLE


# --- progress --------------------------------------------------------------------------------------------
@dataclass
class Cell:
    indicator: object
    unit: AdministrativeUnit
    period: Period
    target: object = None  # Target
    computed: Decimal | None = None
    manual: object = None  # ManualActual, preferred to the computed figure

    @property
    def actual(self) -> Decimal | None:
        return self.manual.value if self.manual is not None else self.computed

    @property
    def entered(self) -> bool:
        return self.manual is not None

    @property
    def rate(self) -> Decimal | None:
        """Actual as % of the target (of its lower bound for a range): 23 of 20 → 115.0."""
        if self.target is None or self.actual is None or not self.target.value:
            return None
        return (Decimal(self.actual) * 100 / self.target.value).quantize(Decimal("0.1"))

    @property
    def met(self) -> bool | None:
        if self.target is None or self.actual is None:
            return None
        return self.actual >= self.target.value


@dataclass
class Progress:
    plan: Plan
    periods: list
    cells: list  # Cell, ordered indicator → unit → period
    notes: list = field(default_factory=list)


def _within(indicator, unit, period):
    start = None if indicator.cumulative else period.start
    return indicator.source.within(area=area_communes(unit), start=start, end=period.end)


def _subunit_filter(target: Target) -> Q:
    """The sub-units a target "for each sub-unit" stands for: its unit's direct children, or, by
    `subunit_level`, every commune (a pre-reform province's old communes, a current province's communes) or every
    district (a pre-reform province's districts, the pre-reform districts now inside a current province)."""
    unit = target.unit
    if target.subunit_level == SubunitLevel.COMMUNE and unit.level == Level.PROVINCE:
        return Q(level=Level.COMMUNE, province=unit, valid_to__isnull=unit.is_current)
    if target.subunit_level == SubunitLevel.DISTRICT and unit.level == Level.PROVINCE and unit.is_current:
        return Q(level=Level.DISTRICT, current_province=unit, valid_to__isnull=False)
    return Q(parent=unit)


def _is_subunit(target: Target, child: AdministrativeUnit) -> bool:
    unit = target.unit
    if target.subunit_level == SubunitLevel.COMMUNE and unit.level == Level.PROVINCE:
        return child.level == Level.COMMUNE and child.province_id == unit.pk and child.is_current == unit.is_current
    if target.subunit_level == SubunitLevel.DISTRICT and unit.level == Level.PROVINCE and unit.is_current:
        return child.level == Level.DISTRICT and child.current_province_id == unit.pk and not child.is_current
    return child.parent_id == unit.pk


def each_subunit_rows(each: list) -> list:
    """(target, sub-unit) for every target "for each sub-unit", in one query whatever the number of targets."""
    if not each:
        return []
    within = Q(pk__in=[])
    for t in each:
        within |= _subunit_filter(t)
    subunits = list(AdministrativeUnit.objects.filter(within).select_related("province").order_by("name", "code"))
    return [(t, child) for t in each for child in subunits if _is_subunit(t, child)]


def _by_year(indicator) -> bool:
    """Whether the indicator counts its condition over records, whatever the period (its own `aggregates` not
    overridden): then a period's figure is the sum of its years' figures (every period starts on 1 January)."""
    from .indicators import Indicator, ShareIndicator

    return type(indicator).aggregates in (Indicator.aggregates, ShareIndicator.aggregates)


def _compute(cells: list) -> None:
    """Fill `computed` of the cells of one source in one query: the source's records of the cells' areas,
    grouped by, per unit, whether the record's commune lies in the unit's area (a hashed subquery per unit, not
    per cell); each cell adds up the groups of its unit. Every aggregate adds up over disjoint sets of communes
    (counts, sums, and distinct counts of the commune itself). When every indicator of the source counts the
    same records whatever the period, the records are also grouped by year, with one aggregate per indicator
    (not per indicator × period), and each cell adds up the years of its period."""
    from functools import reduce
    from operator import or_

    from django.db.models import BooleanField, Case, Value, When
    from django.db.models.functions import ExtractYear

    source = cells[0].indicator.source
    units = {}
    for cell in cells:
        units.setdefault(cell.unit.pk, cell.unit)
    areas = {pk: area_communes(unit) for pk, unit in units.items()}
    flags = {f"u{pk}": Case(When(**{f"{source.commune}__in": area}, then=Value(True)), default=Value(False),
                            output_field=BooleanField()) for pk, area in areas.items()}
    yearly = all(_by_year(cell.indicator) for cell in cells)
    expressions, aliases = {}, {}
    for cell in cells:
        at = cell.indicator.code if yearly else (cell.indicator.code, cell.period.key)
        if at in aliases:
            continue
        key = f"e{len(aliases)}"
        if yearly:
            made = cell.indicator.aggregates(key, Q(), cell.period.end)
        else:
            start = None if cell.indicator.cumulative else cell.period.start
            within = Q(_day__lt=cell.period.end) & Q(_day__gte=start) if start else Q(_day__lt=cell.period.end)
            made = cell.indicator.aggregates(key, within, cell.period.end)
        expressions.update(made)
        aliases[at] = (key, list(made))
    everywhere = (next(iter(areas.values())) if len(areas) == 1 else
                  AdministrativeUnit.objects.filter(reduce(or_, (Q(pk__in=area) for area in areas.values()))).values("pk"))
    qs = source.queryset().order_by().filter(**{f"{source.commune}__in": everywhere}).annotate(**flags)
    if yearly:
        qs = qs.annotate(_y=ExtractYear("_day"))
    # Grouped by the flags (the communes with the same units, disjoint sets), not by commune: a distinct count of
    # communes adds up over disjoint sets too.
    grouped = list(qs.values(*flags, *(["_y"] if yearly else [])).annotate(**expressions))
    # {(unit flag, year or None): {alias: total}}: the communes of each unit's area added up once.
    totals: dict = {}
    for r in grouped:
        year = r["_y"] if yearly else None
        if yearly and year is None:
            continue  # a record without its date counts in no period
        for flag in flags:
            if r[flag]:
                sums = totals.setdefault((flag, year), dict.fromkeys(expressions, 0))
                for name in expressions:
                    sums[name] += r[name] or 0
    by_flag: dict = {}
    for (flag, year), sums in totals.items():
        by_flag.setdefault(flag, []).append((year, sums))
    for cell in cells:
        key, names = aliases[cell.indicator.code if yearly else (cell.indicator.code, cell.period.key)]
        parts = by_flag.get(f"u{cell.unit.pk}", [])
        if yearly:
            first = None if cell.indicator.cumulative else cell.period.start.year
            last = cell.period.end.year  # exclusive: periods end on 1 January
            parts = [(y, sums) for y, sums in parts if y < last and (first is None or y >= first)]
        row = {name: sum(sums[name] for _y, sums in parts) for name in names}
        cell.computed = cell.indicator.value(key, row)


def plan_progress(plan: Plan) -> Progress:
    """Every (indicator, unit) the plan targets or has an entered actual for, in every period of the plan."""
    from django.utils.translation import gettext as _

    stages = list(plan.stages.all())
    periods = plan_periods(plan, stages)
    by_key = {p.key: p for p in periods}
    targets = list(plan.targets.select_related("unit", "unit__province", "stage"))
    manuals = list(plan.manual_actuals.select_related("unit", "unit__province", "stage"))
    # A target "for each sub-unit" stands for one target per sub-unit of its unit (one query for all of them).
    each = [t for t in targets if t.each_subunit]
    rows = [(t, t.unit) for t in targets if not t.each_subunit] + [(m, m.unit) for m in manuals]
    rows += each_subunit_rows(each)
    pairs: dict = {}
    for row, unit in rows:
        indicator = get_indicator(row.indicator)
        if indicator is not None:
            pairs.setdefault((indicator.position, indicator.code, unit.level != plan.issuing_unit.level,
                              unit_label(unit), unit.pk), (indicator, unit))
    target_at = {(t.indicator, unit.pk, period_key(t)): t for t, unit in rows if isinstance(t, Target)}
    manual_at = {(m.indicator, m.unit_id, period_key(m)): m for m in manuals}
    cells = []
    for _key, (indicator, unit) in sorted(pairs.items(), key=lambda kv: kv[0][:4]):
        for period in periods:
            at = (indicator.code, unit.pk, period.key)
            cells.append(Cell(indicator, unit, period, target_at.get(at), manual=manual_at.get(at)))

    # One aggregate per source, every computable cell of that source in it.
    by_source: dict = {}
    for cell in cells:
        if cell.indicator.source is not None:
            by_source.setdefault(cell.indicator.source.code, []).append(cell)
    for source_cells in by_source.values():
        _compute(source_cells)

    notes = [_("Đơn vị ban hành: %(unit)s. Số liệu gồm hồ sơ, quyết định trên cổng và giấy chứng nhận cấp trước đây "
               "được nhập lại, mỗi loại tính theo ngày của chính nó, cộng dồn qua sắp xếp đơn vị hành chính 2025.")
             % {"unit": unit_label(plan.issuing_unit)}]
    shared = shared_successors(plan.issuing_unit)
    if shared:
        notes.append(_("%(n)s xã, phường hiện nay được hợp thành từ xã cũ của %(unit)s và xã cũ của đơn vị khác: số liệu "
                       "phát sinh tại đó từ 1/7/2025 được tính toàn bộ cho kế hoạch này.")
                     % {"n": shared, "unit": unit_label(plan.issuing_unit)})
    for t in each:
        met = [c.met for c in cells if c.target is t]
        each_label = {SubunitLevel.COMMUNE: _("cho từng xã của"), SubunitLevel.DISTRICT: _("cho từng huyện (cũ) của")}
        notes.append(_("“%(indicator)s” (%(period)s) %(each)s %(unit)s: %(met)s/%(n)s đơn vị đạt.")
                     % {"each": each_label.get(t.subunit_level, _("cho từng đơn vị cấp dưới của")), "indicator": get_indicator(t.indicator).label if get_indicator(t.indicator) else t.indicator,
                        "period": by_key[period_key(t)].label if period_key(t) in by_key else "",
                        "unit": unit_label(t.unit), "met": sum(1 for m in met if m), "n": len(met)})
    if any(c.entered for c in cells):
        notes.append(_("Số liệu đánh dấu “nhập tay” do cán bộ nhập theo báo cáo, không tính từ dữ liệu của cổng."))
    if any(c.indicator.source is None and c.manual is None and c.target is not None for c in cells):
        notes.append(_("Chỉ tiêu không có dữ liệu trên cổng để trống phần thực hiện cho đến khi được nhập tay."))
    return Progress(plan=plan, periods=periods, cells=cells, notes=notes)


def cell_records(*, plan: Plan, indicator_code: str, unit: AdministrativeUnit, period_key_: str, limit: int = 500):
    """The records counted in one cell of the plan's progress: (indicator, period, columns, rows, total)."""
    from django.utils.translation import gettext as _

    indicator = get_indicator(indicator_code)
    periods = {p.key: p for p in plan_periods(plan, list(plan.stages.all()))}
    period = periods.get(period_key_)
    if indicator is None or indicator.source is None or period is None:
        return None
    qs = indicator.records(_within(indicator, unit, period), period.end)
    source = indicator.source
    fields = [path for _label, path in source.display]
    columns = [str(label) for label, _path in source.display] + [_("Ngày"), _("Xã, phường")]
    prefix = "" if source.commune == "pk" else f"{source.commune}__"  # the units source is the communes themselves
    total = qs.count()
    rows = []
    for values in qs.order_by("_day", "pk").values_list(*fields, "_day", f"{prefix}name", f"{prefix}valid_to",
                                                        f"{prefix}province__name")[:limit]:
        *shown, day, name, ended, province = values
        where = name if ended is None else _("%(name)s (cũ, %(province)s)") % {"name": name, "province": province}
        rows.append([*shown, day, where])
    return {"indicator": indicator, "period": period, "columns": columns, "rows": rows, "total": total}


# --- budget ----------------------------------------------------------------------------------------------
def budget_summary(plan: Plan, *, periods: list | None = None) -> dict:
    """Budget lines by period with the state-budget subtotal, counterpart, credit, other and the total; and
    whether the whole-period lines (or, without them, all lines) reconcile to the total stated in the document.
    `periods`: the plan's periods when the caller has them (its progress), else read again."""
    labels = {p.key: p.label for p in (periods if periods is not None else plan_periods(plan, list(plan.stages.all())))}
    lines = sorted(plan.budget_lines.all(), key=lambda b: (b.year or 0, b.stage_id or 0, list(FundingSource.values).index(b.source)))
    groups: dict = {}
    for line in lines:
        g = groups.setdefault(period_key(line), {"label": labels.get(period_key(line), line.period_label), "lines": [], "state": [0, 0],
                                                 "total": [0, 0]})
        g["lines"].append(line)
        if line.source in STATE_BUDGET_SOURCES:
            g["state"][0] += line.planned_vnd
            g["state"][1] += line.actual_vnd
        g["total"][0] += line.planned_vnd
        g["total"][1] += line.actual_vnd
    whole = groups.get(WHOLE)
    yearly_total = sum(g["total"][0] for k, g in groups.items() if k.startswith("y"))
    planned = whole["total"][0] if whole else yearly_total
    stated = plan.document_total_vnd
    return {"groups": list(groups.values()), "planned_total": planned,
            "reconciles": None if stated is None else stated == planned, "stated_total": stated}
