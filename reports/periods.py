"""Report parameters: the province, the period (year, half-year, quarter, month or a round) and the grouping."""
import calendar
import datetime
import hashlib
import json
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from .enums import Grouping, PeriodKind

MONTHS_PER_PART = {PeriodKind.HALF: 6, PeriodKind.QUARTER: 3, PeriodKind.MONTH: 1}
PARTS = {PeriodKind.HALF: 2, PeriodKind.QUARTER: 4, PeriodKind.MONTH: 12}


def _month_start(year: int, month: int) -> datetime.date:
    while month > 12:
        year, month = year + 1, month - 12
    return datetime.date(year, month, 1)


@dataclass(frozen=True)
class Params:
    """Everything a report needs to compute its rows; JSON-able for a ReportRun (ids only)."""

    province: object  # AdministrativeUnit (a current province)
    year: int
    period: str = PeriodKind.YEAR
    part: int | None = None
    round: object = None  # evaluations.Round when period == "round"
    grouping: str = Grouping.CURRENT_COMMUNE
    plan: object = None  # plans.Plan, for the plan progress report

    # --- dates -------------------------------------------------------------------------------
    def date_range(self) -> tuple[datetime.date, datetime.date]:
        """[start, end) of the period as dates; a round spans from its opening to its closing day."""
        if self.period == PeriodKind.ROUND and self.round is not None:
            return self.round.opens_on, self.round.closes_on + datetime.timedelta(days=1)
        if self.period in MONTHS_PER_PART and self.part:
            span = MONTHS_PER_PART[self.period]
            first = 1 + (self.part - 1) * span
            return _month_start(self.year, first), _month_start(self.year, first + span)
        return datetime.date(self.year, 1, 1), datetime.date(self.year + 1, 1, 1)

    def datetime_range(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The same range as aware datetimes at local (Asia/Ho_Chi_Minh) midnight."""
        tz = timezone.get_current_timezone()
        start, end = self.date_range()
        return (datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
                datetime.datetime.combine(end, datetime.time.min, tzinfo=tz))

    @property
    def is_whole_year(self) -> bool:
        return self.period == PeriodKind.YEAR

    @property
    def period_label(self) -> str:
        if self.period == PeriodKind.ROUND and self.round is not None:
            return _("Kỳ đánh giá: %(round)s") % {"round": self.round}
        if self.period == PeriodKind.HALF:
            return (_("6 tháng đầu năm %(year)s") if self.part == 1 else _("6 tháng cuối năm %(year)s")) % {"year": self.year}
        if self.period == PeriodKind.QUARTER:
            return _("Quý %(part)s/%(year)s") % {"part": self.part, "year": self.year}
        if self.period == PeriodKind.MONTH:
            last = calendar.monthrange(self.year, self.part)[1]
            return _("Tháng %(part)s/%(year)s (đến ngày %(last)s)") % {"part": self.part, "year": self.year, "last": last}
        return _("Năm %(year)s") % {"year": self.year}

    @property
    def period_phrase(self) -> str:
        """The period as a document's subject says it: "quý IV năm 2026", "tháng 11 năm 2026", "năm 2026"."""
        if self.period == PeriodKind.QUARTER:
            return _("quý %(roman)s năm %(year)s") % {"roman": ("I", "II", "III", "IV")[self.part - 1], "year": self.year}
        if self.period == PeriodKind.MONTH:
            return _("tháng %(part)s năm %(year)s") % {"part": self.part, "year": self.year}
        if self.period == PeriodKind.HALF:
            return (_("6 tháng đầu năm %(year)s") if self.part == 1 else _("6 tháng cuối năm %(year)s")) % {"year": self.year}
        if self.period == PeriodKind.ROUND and self.round is not None:
            return self.period_label
        return _("năm %(year)s") % {"year": self.year}

    @property
    def province_label(self) -> str:
        return str(self.province)

    # --- serialisation -----------------------------------------------------------------------
    def to_json(self) -> dict:
        return {
            "province": self.province.pk,
            "year": self.year,
            "period": str(self.period),
            "part": self.part,
            "round": self.round.pk if self.round is not None else None,
            "grouping": str(self.grouping),
        } | ({"plan": self.plan.pk} if self.plan is not None else {})

    def fingerprint(self, code: str, fmt: str) -> str:
        payload = json.dumps({"code": code, "format": fmt, **self.to_json()}, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()

    @classmethod
    def from_json(cls, data: dict) -> "Params":
        from evaluations.models import Round
        from units.models import AdministrativeUnit

        round_ = Round.objects.get(pk=data["round"]) if data.get("round") else None
        plan = None
        if data.get("plan"):
            from plans.models import Plan

            plan = Plan.objects.select_related("issuing_unit", "issuing_unit__province").get(pk=data["plan"])
        return cls(
            province=AdministrativeUnit.objects.get(pk=data["province"]),
            year=int(data["year"]),
            period=data.get("period") or PeriodKind.YEAR,
            part=data.get("part"),
            round=round_,
            grouping=data.get("grouping") or Grouping.NONE,
            plan=plan,
        )


def last_ended_period(period: str, today: datetime.date) -> tuple[int, int | None, str]:
    """The last month, quarter, half-year or year that ended before `today`: (year, part, key), the key naming it
    once ("2026-11", "2026-Q3", "2026-H1", "2025")."""
    if period == PeriodKind.YEAR:
        return today.year - 1, None, str(today.year - 1)
    span = MONTHS_PER_PART[period]
    current = (today.month - 1) // span + 1
    year, part = (today.year, current - 1) if current > 1 else (today.year - 1, PARTS[period])
    key = {PeriodKind.MONTH: f"{year}-{part:02d}", PeriodKind.QUARTER: f"{year}-Q{part}",
           PeriodKind.HALF: f"{year}-H{part}"}[period]
    return year, part, key


def period_from_key(key: str) -> tuple[str, int, int | None]:
    """The inverse of last_ended_period's key: "2026-11" → (month, 2026, 11), "2026-Q3", "2026-H1", "2025"."""
    if "-" not in key:
        return PeriodKind.YEAR, int(key), None
    year, rest = key.split("-", 1)
    if rest.startswith("Q"):
        return PeriodKind.QUARTER, int(year), int(rest[1:])
    if rest.startswith("H"):
        return PeriodKind.HALF, int(year), int(rest[1:])
    return PeriodKind.MONTH, int(year), int(rest)
