"""The star rule, as a pure function of its inputs (no database), so every result can be replayed.

Decision 26/2026/QĐ-TTg Art. 3 §3: the star is the band of the *average* total score
(5★ 90–100, 4★ 70–<90, 3★ 50–<70, 2★ 30–<50, 1★ <30; lower bound inclusive). The sheets' footer adds
per-star minimums: an option marked ***, **** or ***** is the minimum that must be reached for 3★, 4★
or 5★. The reading applied here (ocop-rules.md §2.4, an interpretation [M]): a product may be ranked N★
only if, on every criterion that carries a mark of at most N stars, the council's consensus choice scores
at least the highest such marked option. A knock-out condition ("Hồ sơ bị loại khi") means no star.

Council rules (quorum, spread limit) are provincial and configurable through `RankingPolicy`.
"""
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_DOWN, Decimal

from django.utils.translation import gettext_noop

# The reasoning of a result, one sentence each. A result stores them as Vietnamese text (the minutes, the
# API and the notices are Vietnamese); the `reason` filter (templatetags/evaluations_tags.py) reads a stored
# sentence back against these source texts to show it in the reader's language.
REASON_RECUSED = gettext_noop("%(n)s thành viên tự khai có xung đột lợi ích, không tính vào điểm trung bình")
REASON_NO_SHEETS = gettext_noop("Chưa có phiếu chấm nào được nộp")
REASON_MEAN = gettext_noop("Điểm trung bình %(mean)s của %(n)s phiếu → hạng %(band)s★")
REASON_SPREAD = gettext_noop(
    "Chênh lệch giữa các thành viên %(spread)s điểm vượt mức %(limit)s: hội đồng cần thảo luận và chấm lại")
REASON_NOT_RECOGNISED = gettext_noop(
    "Chưa đạt yêu cầu tối thiểu 3★ ở tiêu chí %(codes)s → không được công nhận (2★)")
REASON_CAPPED = gettext_noop("Chưa đạt yêu cầu tối thiểu %(next)s★ ở tiêu chí %(codes)s → %(star)s★")
REASON_MINIMA_MET = gettext_noop("Đạt các yêu cầu tối thiểu của hạng %(band)s★")
REASON_KNOCKED_OUT = gettext_noop("Hồ sơ bị loại: %(conditions)s")
REASON_NO_QUORUM = gettext_noop("Chưa đủ điều kiện họp: cần %(needed)s/%(size)s thành viên, hiện có %(present)s")
REASON_NO_QUORUM_CHAIR = gettext_noop(
    "Chưa đủ điều kiện họp: cần %(needed)s/%(size)s thành viên có mặt chủ tịch hội đồng, hiện có %(present)s")
REASON_COUNCIL_CONCLUSION = gettext_noop("Hội đồng đã thảo luận và kết luận: %(reason)s")
REASONS = (
    REASON_RECUSED, REASON_NO_SHEETS, REASON_MEAN, REASON_SPREAD, REASON_NOT_RECOGNISED, REASON_CAPPED,
    REASON_MINIMA_MET, REASON_KNOCKED_OUT, REASON_NO_QUORUM_CHAIR, REASON_NO_QUORUM, REASON_COUNCIL_CONCLUSION,
)

RECOGNISED_MIN_STAR = 3  # 1★ and 2★ are recorded but get no decision and no certificate (Art. 4.1.a)


@dataclass(frozen=True)
class StarBand:
    stars: int
    minimum: Decimal  # inclusive


DEFAULT_BANDS = (
    StarBand(5, Decimal("90")),
    StarBand(4, Decimal("70")),
    StarBand(3, Decimal("50")),
    StarBand(2, Decimal("30")),
    StarBand(1, Decimal("0")),
)


@dataclass(frozen=True)
class RankingPolicy:
    spread_limit: Decimal = Decimal("10")
    quorum_ratio: Decimal = Decimal("0.75")
    chair_required: bool = True
    bands: tuple = DEFAULT_BANDS


@dataclass(frozen=True)
class SheetTotal:
    """One council member's standing for one dossier.

    `submitted`: the member submitted a sheet. `recused`: the member declared a conflict of interest;
    a recused member counts as present for the quorum but is left out of the mean.
    """

    member_id: int
    total: Decimal | None
    is_chair: bool = False
    submitted: bool = True
    recused: bool = False


@dataclass(frozen=True)
class StarMinimum:
    """An option marked as the minimum for `min_star` stars on `criterion_code`, worth `points`."""

    criterion_code: str
    min_star: int
    points: Decimal


@dataclass(frozen=True)
class RankingInput:
    sheets: tuple
    council_size: int
    consensus: Mapping = field(default_factory=dict)  # criterion code -> consensus points
    minimums: tuple = ()
    knockouts: tuple = ()  # the knock-out conditions found to hold (their text)


@dataclass(frozen=True)
class RankingResult:
    mean: Decimal | None
    spread: Decimal | None
    spread_exceeded: bool
    quorum_met: bool
    counted: int
    band_star: int | None
    minima_star: int | None
    final_star: int | None
    knocked_out: bool
    reasons: tuple

    @property
    def recognisable(self) -> bool:
        return self.final_star is not None and self.final_star >= RECOGNISED_MIN_STAR

    def as_dict(self) -> dict:
        return {
            "mean": None if self.mean is None else str(self.mean),
            "spread": None if self.spread is None else str(self.spread),
            "spread_exceeded": self.spread_exceeded,
            "quorum_met": self.quorum_met,
            "counted": self.counted,
            "band_star": self.band_star,
            "minima_star": self.minima_star,
            "final_star": self.final_star,
            "knocked_out": self.knocked_out,
            "reasons": list(self.reasons),
        }


def format_points(value: Decimal) -> str:
    """74.6 → "74,60": two decimals, truncated (never shows 70,00 for a mean of 69.999), Vietnamese comma."""
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_DOWN):.2f}".replace(".", ",")


def band_of(mean: Decimal, bands=DEFAULT_BANDS) -> int:
    for band in sorted(bands, key=lambda b: b.minimum, reverse=True):
        if mean >= band.minimum:
            return band.stars
    return min(b.stars for b in bands)


def consensus_points(choices: Iterable[Mapping]) -> dict:
    """Per criterion, the lower median of the members' points: a majority reached at least that much."""
    by_criterion = defaultdict(list)
    for sheet in choices:
        for code, points in sheet.items():
            by_criterion[code].append(Decimal(points))
    out = {}
    for code, values in by_criterion.items():
        values.sort()
        out[code] = values[(len(values) - 1) // 2]
    return out


def minima_star_of(consensus: Mapping, minimums: Iterable[StarMinimum]) -> tuple[int | None, list[str]]:
    """The highest star whose minimums the consensus meets, and the criteria that block the next star up.

    Returns (None, blockers) when even the 3★ minimums are missed. With no marks at all (the tourism set
    has almost none) every star is open: 5.
    """
    minimums = list(minimums)
    reached = None
    blockers: list[str] = []
    for star in (3, 4, 5):
        required: dict[str, Decimal] = {}
        for m in minimums:
            if m.min_star <= star:
                required[m.criterion_code] = max(required.get(m.criterion_code, Decimal("0")), Decimal(m.points))
        missed = sorted(
            (code for code, points in required.items() if Decimal(consensus.get(code, Decimal("0"))) < points),
            key=_code_key,
        )
        if missed:
            blockers = missed
            break
        reached = star
    return reached, blockers


def _code_key(code: str):
    return tuple(int(p) if p.isdigit() else p for p in code.split("."))


def rank(inp: RankingInput, policy: RankingPolicy = RankingPolicy()) -> RankingResult:
    reasons: list[str] = []
    counted = [s for s in inp.sheets if s.submitted and not s.recused and s.total is not None]
    recused = [s for s in inp.sheets if s.recused]
    present = [s for s in inp.sheets if s.submitted or s.recused]

    needed = int((Decimal(inp.council_size) * policy.quorum_ratio).to_integral_value(rounding=ROUND_CEILING))
    chair_present = any(s.is_chair for s in present)
    quorum_met = len(present) >= needed and bool(counted) and (chair_present or not policy.chair_required)
    if recused:
        reasons.append(REASON_RECUSED % {"n": len(recused)})

    if not counted:
        reasons.append(REASON_NO_SHEETS)
        return RankingResult(None, None, False, False, 0, None, None, None, bool(inp.knockouts), tuple(reasons))

    totals = [Decimal(s.total) for s in counted]
    mean = sum(totals, Decimal("0")) / len(totals)
    spread = max(totals) - min(totals)
    spread_exceeded = spread > policy.spread_limit
    band = band_of(mean, policy.bands)
    reasons.append(REASON_MEAN % {"mean": format_points(mean), "n": len(totals), "band": band})
    if spread_exceeded:
        reasons.append(REASON_SPREAD % {"spread": format_points(spread), "limit": format_points(policy.spread_limit)})

    minima_star, blockers = minima_star_of(inp.consensus, inp.minimums)
    final = band
    if band >= RECOGNISED_MIN_STAR:
        if minima_star is None:
            final = RECOGNISED_MIN_STAR - 1
            reasons.append(REASON_NOT_RECOGNISED % {"codes": ", ".join(blockers)})
        elif minima_star < band:
            final = minima_star
            reasons.append(REASON_CAPPED % {"next": minima_star + 1, "codes": ", ".join(blockers), "star": minima_star})
        else:
            reasons.append(REASON_MINIMA_MET % {"band": band})

    knocked_out = bool(inp.knockouts)
    if knocked_out:
        reasons.append(REASON_KNOCKED_OUT % {"conditions": "; ".join(inp.knockouts)})
        final = None
    if not quorum_met:
        reasons.append((REASON_NO_QUORUM_CHAIR if policy.chair_required else REASON_NO_QUORUM)
                       % {"needed": needed, "size": inp.council_size, "present": len(present)})
        final = None
    return RankingResult(
        mean=mean, spread=spread, spread_exceeded=spread_exceeded, quorum_met=quorum_met, counted=len(totals),
        band_star=band, minima_star=minima_star, final_star=final, knocked_out=knocked_out, reasons=tuple(reasons),
    )
