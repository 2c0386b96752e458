"""The star rule, table-driven: band edges, per-star minimums, knock-outs, recusals, quorum."""
from decimal import Decimal as D

import pytest

from evaluations.ranking import (
    RankingInput, RankingPolicy, SheetTotal, StarMinimum, consensus_points, format_points, minima_star_of, rank,
)

# The marks of set 1 (fresh produce) on five criteria, as in ocop-rules.md §2.5.
SET1_MINIMUMS = (
    StarMinimum("1.5", 4, D("2")), StarMinimum("1.5", 5, D("3")),
    StarMinimum("3.5", 3, D("1")), StarMinimum("3.5", 4, D("2")),
    StarMinimum("4.1", 3, D("2")), StarMinimum("4.1", 4, D("3")), StarMinimum("4.1", 5, D("5")),
    StarMinimum("9", 3, D("2")),
    StarMinimum("10", 3, D("1")), StarMinimum("10", 4, D("3")),
)
NO_MARKS = None  # a sheet without star marks: no minimums at all
ALL_MET = {"1.5": D("3"), "3.5": D("3"), "4.1": D("5"), "9": D("5"), "10": D("5")}


def with_(**changes):
    out = dict(ALL_MET)
    out.update({k.replace("_", "."): D(v) for k, v in changes.items()})
    return out


def members(*totals, recused=(), missing=(), chair=0):
    """Sheets for members 0..n-1 with these totals; indexes in `recused`/`missing` did not score."""
    return tuple(
        SheetTotal(
            member_id=i, total=None if i in missing or i in recused else D(str(t)), is_chair=(i == chair),
            submitted=i not in missing and i not in recused, recused=i in recused,
        )
        for i, t in enumerate(totals)
    )


CASES = [
    # id, sheets, council size, consensus, knockouts, policy, expected (band, minima, final, quorum, counted)
    ("49.99 is 2 stars", members("49.99", "49.99", "49.99"), 3, ALL_MET, (), None, (2, 5, 2, True, 3)),
    ("50 is 3 stars", members(50, 50, 50), 3, ALL_MET, (), None, (3, 5, 3, True, 3)),
    ("69.99 is 3 stars", members("69.99", "69.99", "69.99"), 3, ALL_MET, (), None, (3, 5, 3, True, 3)),
    ("70 is 4 stars", members(70, 70, 70), 3, ALL_MET, (), None, (4, 5, 4, True, 3)),
    ("89.99 is 4 stars", members("89.99", "89.99", "89.99"), 3, ALL_MET, (), None, (4, 5, 4, True, 3)),
    ("90 is 5 stars", members(90, 90, 90), 3, ALL_MET, (), None, (5, 5, 5, True, 3)),
    ("100 is 5 stars", members(100, 100, 100), 3, ALL_MET, (), None, (5, 5, 5, True, 3)),
    ("29.99 is 1 star", members("29.99", "29.99", "29.99"), 3, ALL_MET, (), None, (1, 5, 1, True, 3)),
    ("30 is 2 stars", members(30, 30, 30), 3, ALL_MET, (), None, (2, 5, 2, True, 3)),
    ("mean of 69.99 and 70 stays 3 stars", members("69.99", "70.00"), 2, ALL_MET, (), None, (3, 5, 3, True, 2)),
    ("4-star minimum missed caps at 3", members("74.6", "74.6", "74.6"), 3, with_(**{"1_5": "1"}), (), None, (4, 3, 3, True, 3)),
    ("5-star minimum missed caps at 4", members(95, 95, 95), 3, with_(**{"4_1": "3"}), (), None, (5, 4, 4, True, 3)),
    ("5-star minimum on 1.5 missed caps at 4", members(92, 94, 96), 3, with_(**{"1_5": "2"}), (), None, (5, 4, 4, True, 3)),
    ("3-star minimum missed: not recognised", members(80, 80, 80), 3, with_(**{"3_5": "0"}), (), None, (4, None, 2, True, 3)),
    ("3-star minimum on quality declaration missed", members(60, 60, 60), 3, with_(**{"9": "0"}), (), None, (3, None, 2, True, 3)),
    ("a higher star's minimum does not lower 3 stars", members(60, 60, 60), 3, with_(**{"1_5": "0"}), (), None, (3, 3, 3, True, 3)),
    ("knock-out gives no star", members(85, 85, 85), 3, ALL_MET, ("Hồ sơ giả mạo",), None, (4, 5, None, True, 3)),
    ("recused member left out of the mean", members(80, 82, 40, recused=(2,)), 3, ALL_MET, (), None, (4, 5, 4, True, 2)),
    ("member who did not submit: 3 of 4 is quorum", members(75, 76, 77, 0, missing=(3,)), 4, ALL_MET, (), None, (4, 5, 4, True, 3)),
    ("quorum not met: 2 of 4", members(75, 76, 0, 0, missing=(2, 3)), 4, ALL_MET, (), None, (4, 5, None, False, 2)),
    ("quorum needs the chair", members(75, 76, 77, 78, missing=(0,)), 4, ALL_MET, (), None, (4, 5, None, False, 3)),
    ("chair not required by this council's rules", members(75, 76, 77, 78, missing=(0,)), 4, ALL_MET, (),
     RankingPolicy(chair_required=False), (4, 5, 4, True, 3)),
    ("no marks at all (tourism set) leaves every star open", members(91, 92, 93), 3, NO_MARKS, (), None, (5, 5, 5, True, 3)),
    ("recused chair still makes the quorum", members(80, 80, 80, 80, recused=(0,)), 4, ALL_MET, (), None, (4, 5, 4, True, 3)),
]


@pytest.mark.parametrize("sheets,size,consensus,knockouts,policy,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_star_rule(sheets, size, consensus, knockouts, policy, expected):
    result = rank(
        RankingInput(
            sheets=sheets, council_size=size, consensus=consensus or {},
            minimums=() if consensus is NO_MARKS else SET1_MINIMUMS, knockouts=knockouts,
        ),
        policy or RankingPolicy(),
    )

    assert (result.band_star, result.minima_star, result.final_star, result.quorum_met, result.counted) == expected
    assert result.knocked_out == bool(knockouts)


def test_mean_is_an_exact_decimal_and_reasons_explain_the_cap():
    result = rank(RankingInput(sheets=members("74.5", "74.6", "74.7"), council_size=3, consensus=with_(**{"1_5": "1"}),
                               minimums=SET1_MINIMUMS))

    assert result.mean == D("74.6")
    assert result.reasons == (
        "Điểm trung bình 74,60 của 3 phiếu → hạng 4★",
        "Chưa đạt yêu cầu tối thiểu 4★ ở tiêu chí 1.5 → 3★",
    )
    assert result.recognisable is True


def test_spread_over_the_limit_is_flagged_but_the_star_stands():
    result = rank(RankingInput(sheets=members(70, 85), council_size=2, consensus=ALL_MET, minimums=SET1_MINIMUMS))

    assert (result.mean, result.spread, result.spread_exceeded, result.final_star) == (D("77.5"), D("15"), True, 4)
    assert "vượt mức 10,00" in result.reasons[1]


def test_no_submitted_sheet_gives_no_result():
    result = rank(RankingInput(sheets=members(0, 0, missing=(0, 1)), council_size=2))

    assert (result.mean, result.final_star, result.quorum_met) == (None, None, False)


def test_consensus_is_the_lower_median_of_members_choices():
    assert consensus_points([{"1.5": D("3")}, {"1.5": D("1")}, {"1.5": D("2")}, {"1.5": D("3")}]) == {"1.5": D("2")}


def test_minima_star_reports_the_blocking_criteria_in_sheet_order():
    star, blockers = minima_star_of(with_(**{"10": "1", "4_1": "2", "1_5": "1"}), SET1_MINIMUMS)

    assert (star, blockers) == (3, ["1.5", "4.1", "10"])


def test_points_are_truncated_for_display():
    assert format_points(D("69.999")) == "69,99"
    assert rank(RankingInput(sheets=members("69.99", "70.00"), council_size=2)).as_dict()["mean"] == "69.995"


@pytest.mark.parametrize("sheets,size,consensus,knockouts,policy,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_every_reason_reads_back_as_a_translatable_sentence_and_renders_the_same_in_vietnamese(
        sheets, size, consensus, knockouts, policy, expected):
    from django.utils import translation

    from evaluations.templatetags.evaluations_tags import reason, reason_parts

    result = rank(RankingInput(sheets=sheets, council_size=size, consensus=consensus or {},
                               minimums=() if consensus is NO_MARKS else SET1_MINIMUMS, knockouts=knockouts),
                  policy or RankingPolicy())
    assert result.reasons
    with translation.override("vi"):
        for line in result.reasons:
            assert reason_parts(line) is not None, line  # no sentence built outside ranking.REASONS
            assert reason(line) == line


def test_every_reason_has_an_english_line_for_the_catalogue():
    from pathlib import Path

    from evaluations.ranking import REASONS

    root = Path(__file__).resolve().parents[2] / "scripts"
    english = {line.split("\t")[0] for name in ("en_translations.tsv", "en_translations_daily.tsv")
               if (root / name).exists() for line in (root / name).read_text(encoding="utf-8").splitlines() if "\t" in line}
    assert [msgid for msgid in REASONS if msgid not in english] == []


def test_every_stored_reason_reads_in_english_in_the_english_interface():
    """The reasoning is stored in Vietnamese (minutes, API); the `reason` filter shows each kind of sentence in
    the reader's language, with its values, and none stays Vietnamese in English mode."""
    import re

    from django.utils import translation

    from evaluations.ranking import REASONS
    from evaluations.templatetags.evaluations_tags import reason

    vietnamese = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
    for msgid in REASONS:
        names = re.findall(r"%\((\w+)\)s", msgid)
        stored = msgid % {name: "7" for name in names} if names else msgid
        with translation.override("en"):
            shown = reason(stored)
        with translation.override("vi"):
            assert reason(stored) == stored
        assert shown != stored and not vietnamese.search(shown), (msgid, shown)
        assert all("7" in shown for _ in names[:1]), shown
