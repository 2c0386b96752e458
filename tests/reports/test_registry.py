"""Each report's numbers on the small world, computed by hand (see ReportWorld's docstring)."""
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from reports.enums import Grouping, PeriodKind
from reports.formatters import csv_safe, display, to_csv, to_xlsx
from reports.periods import Params
from reports.registry import INT, VND, all_reports, get_report

from .factories import every_state


def table_of(world, code, grouping=Grouping.CURRENT_COMMUNE, year=2026, **kw):
    return get_report(code).rows(Params(province=world.province, year=year, grouping=grouping, **kw))


def as_dict(table):
    keys = [c.key for c in table.columns]
    out = {row[0]: dict(zip(keys, row)) for row in table.rows}
    out["__total__"] = dict(zip(keys, table.total))
    return out


def test_dossier_progress_by_current_commune_rolls_legacy_communes_into_their_successor(world):
    table = table_of(world, "dossier_progress")
    rows = as_dict(table)
    assert [r[0] for r in table.rows] == ["Xã Chợ Lách", "Xã Mỏ Cày"]
    a, b, total = rows["Xã Chợ Lách"], rows["Xã Mỏ Cày"], rows["__total__"]
    assert (a["status_draft"], a["status_submitted"], a["status_accepted"], a["status_recommended"],
            a["status_not_recognised"], a["status_withdrawn"], a["total"]) == (2, 1, 1, 1, 1, 1, 7)
    assert (a["overdue"], a["kind_first"], a["kind_upgrade"], a["kind_re_evaluation"]) == (1, 5, 2, 0)
    assert (b["status_returned"], b["status_recommended"], b["total"], b["overdue"]) == (1, 1, 2, 0)
    assert (total["total"], total["status_draft"], total["status_recommended"], total["overdue"]) == (9, 2, 2, 1)
    assert table.notes == ["1 xã cũ được chia cho nhiều xã, phường mới: số liệu của các xã này được tính vào xã, "
                           "phường mới có mã nhỏ nhất."]


def test_dossier_progress_by_old_province_and_old_district(world):
    by_province = as_dict(table_of(world, "dossier_progress", Grouping.OLD_PROVINCE))
    assert {k: v["total"] for k, v in by_province.items()} == {
        "Tỉnh Bến Tre (cũ)": 7, "Tỉnh Vĩnh Long (cũ)": 2, "__total__": 9}
    by_district = as_dict(table_of(world, "dossier_progress", Grouping.OLD_DISTRICT))
    assert {k: v["total"] for k, v in by_district.items()} == {
        "Huyện Chợ Lách (cũ, Tỉnh Bến Tre)": 7, "Huyện Mang Thít (cũ, Tỉnh Vĩnh Long)": 2, "__total__": 9}
    notes = table_of(world, "dossier_progress", Grouping.OLD_PROVINCE).notes
    assert notes == ["1 xã, phường hiện nay được hợp thành từ các xã thuộc nhiều tỉnh cũ: số liệu của các xã, "
                     "phường này được tính vào tỉnh cũ của xã cũ có mã nhỏ nhất."]


def test_dossier_progress_for_the_whole_province_and_by_product_group(world):
    whole = as_dict(table_of(world, "dossier_progress", Grouping.NONE))
    assert list(whole) == ["Toàn tỉnh", "__total__"] and whole["Toàn tỉnh"]["total"] == 9
    groups = as_dict(table_of(world, "dossier_progress", Grouping.PRODUCT_GROUP))
    assert {k: v["total"] for k, v in groups.items()} == {"I. Thực phẩm": 8, "II. Đồ uống": 1, "__total__": 9}


def test_dossier_progress_of_a_round_counts_only_its_dossiers(world):
    from evaluations.models import RoundEntry

    for result in world.round.results.all():
        RoundEntry.objects.create(round=world.round, dossier=result.dossier, rubric=result.rubric)
    rows = as_dict(table_of(world, "dossier_progress", Grouping.NONE, period=PeriodKind.ROUND, round=world.round))
    assert (rows["Toàn tỉnh"]["total"], rows["Toàn tỉnh"]["status_recommended"],
            rows["Toàn tỉnh"]["status_not_recognised"]) == (3, 2, 1)


def test_dossier_progress_of_another_year_is_empty(world):
    table = table_of(world, "dossier_progress", year=2025)
    assert table.rows == [] and table.total[1:] == [0] * (len(table.columns) - 1)


def test_support_steps_by_commune(world):
    rows = as_dict(table_of(world, "support_steps"))
    a, b = rows["Xã Chợ Lách"], rows["Xã Mỏ Cày"]
    assert (a["idea_registered"], a["idea_approved"], a["idea_total"], a["plan_draft"], a["plan_total"]) == (1, 1, 2, 1, 1)
    assert (b["idea_developed"], b["idea_total"], b["plan_approved"], b["plan_total"]) == (1, 1, 1, 1)
    assert (rows["__total__"]["idea_total"], rows["__total__"]["plan_total"]) == (3, 2)


def test_results_by_product_group_and_star(world):
    table = table_of(world, "evaluation_results", Grouping.PRODUCT_GROUP)
    rows = as_dict(table)
    food, drinks, total = rows["I. Thực phẩm"], rows["II. Đồ uống"], rows["__total__"]
    assert (food["star_4"], food["star_2"], food["total"], food["for_ministry"], food["mean"]) == (1, 1, 2, 0, Decimal("60.00"))
    assert (drinks["star_5"], drinks["total"], drinks["for_ministry"], drinks["mean"]) == (1, 1, 1, Decimal("92.00"))
    assert (total["star_5"], total["star_4"], total["star_3"], total["star_2"], total["no_star"], total["total"],
            total["for_ministry"], total["mean"]) == (1, 1, 0, 1, 0, 3, 1, Decimal("70.67"))


def test_results_by_current_commune_roll_legacy_dossiers_into_the_new_commune(world):
    rows = as_dict(table_of(world, "evaluation_results"))
    assert (rows["Xã Chợ Lách"]["star_5"], rows["Xã Chợ Lách"]["star_2"], rows["Xã Chợ Lách"]["total"]) == (1, 1, 2)
    assert (rows["Xã Mỏ Cày"]["star_4"], rows["Xã Mỏ Cày"]["total"]) == (1, 1)


def test_results_ignore_rounds_not_closed(world):
    from evaluations.enums import RoundPhase

    type(world.round).objects.filter(pk=world.round.pk).update(phase=RoundPhase.COUNCIL_MEETING)
    assert table_of(world, "evaluation_results").rows == []


def test_producers_by_kind_with_shares(world):
    table = table_of(world, "producers", year=timezone.localdate().year)
    rows = as_dict(table)
    total = rows["__total__"]
    assert (total["total"], total["kind_cooperative"], total["kind_sme"], total["kind_household"], total["kind_farm"],
            total["kind_cooperative_group"]) == (5, 2, 1, 1, 1, 0)
    assert total["sme_pct"] == Decimal("20.0")
    assert (total["cooperative_pct"], total["modern"], total["modern_pct"], total["women"], total["minority"]) == (
        Decimal("40.0"), 2, Decimal("40.0"), 2, 2)
    a = rows["Xã Chợ Lách"]
    assert (a["total"], a["kind_cooperative"], a["cooperative_pct"], a["modern"]) == (3, 1, Decimal("33.3"), 2)


def test_producer_list_has_one_row_per_producer_of_the_province(world):
    table = table_of(world, "producer_list", Grouping.NONE, year=timezone.localdate().year)
    names = [r[0] for r in table.rows]
    assert len(names) == 5 and "HTX Sen Tháp Mười" not in names
    assert table.total[0] == "Tổng cộng: 5 chủ thể" and table.total[-1] == 100
    p3 = next(r for r in table.rows if r[0] == "Công ty TNHH Dừa Bến Tre")
    assert (p3[3], p3[6], p3[7]) == ("Xã Hòa Nghĩa (cũ)", "Khmer",
                                     "Sàn thương mại điện tử; Cửa hàng riêng, điểm bán OCOP")


def test_plan_progress_target_against_actual(world):
    table = get_report("plan_progress").rows(Params(province=world.province, year=2026, grouping=Grouping.NONE,
                                                    plan=world.plan))
    rows = {(r[0], r[3]): [r[2], r[4], r[5], r[6], r[7]] for r in table.rows}
    whole = "Cả kỳ 2026–2026"
    assert rows[("Sản phẩm mới đạt 3 sao trở lên", whole)] == ["Tỉnh Vĩnh Long", "4", Decimal("0"), Decimal("0.0"),
                                                              "Tính từ dữ liệu"]
    assert rows[("Sản phẩm đề nghị Bộ đánh giá 5 sao", whole)][1:4] == ["1", Decimal("1"), Decimal("100.0")]
    assert rows[("Tỷ lệ chủ thể là hợp tác xã (%)", whole)][1:4] == ["40%", Decimal("40.0"), Decimal("100.0")]
    assert rows[("Lớp tập huấn được tổ chức", whole)][1:] == ["6", Decimal(0), Decimal("0.0"), "Tính từ dữ liệu"]
    assert rows[("Kinh phí: Ngân sách tỉnh", whole)][1:4] == ["1000", Decimal("250"), Decimal("25.0")]
    assert rows[("Kinh phí: Vốn đối ứng của chủ thể", whole)][1:4] == ["3000", Decimal("1500"), Decimal("50.0")]
    assert rows[("Cộng ngân sách nhà nước", whole)][1:4] == ["1000", Decimal("250"), Decimal("25.0")]
    assert rows[("Tổng kinh phí", whole)][1:4] == ["4000", Decimal("1750"), Decimal("43.8")]
    assert table.notes[0] == f"Kế hoạch: {world.plan.title} (1578/KH-UBND), 2026–2026."


def test_another_province_sees_only_its_own_data(world):
    rows = get_report("dossier_progress").rows(Params(province=world.other_province, year=2026,
                                                      grouping=Grouping.CURRENT_COMMUNE)).rows
    assert [(r[0], r[-4]) for r in rows] == [("Xã Cao Lãnh", 0)] and rows[0][14] == 2


# --- formatters -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("Hợp tác xã", "Hợp tác xã"), (5, 5),
])
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected


def test_csv_escapes_a_formula_in_a_producer_name_and_keeps_diacritics(world):
    content = to_csv(table_of(world, "producer_list", Grouping.NONE, year=timezone.localdate().year))
    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("Tên chủ thể,Mã số thuế,Loại hình,Xã, phường".replace("Xã, phường", '"Xã, phường"'))
    assert "\"'=HYPERLINK(\"\"http://x.vn\"\",\"\"Bấm\"\")\"" in lines[1]
    assert not any(line.startswith("=") for line in lines)


def test_xlsx_has_title_row_bold_header_and_vietnamese_values(world):
    table = table_of(world, "dossier_progress")
    wb = load_workbook(io.BytesIO(to_xlsx(table)))
    ws = wb.active
    assert ws["A1"].value == "Tiến độ hồ sơ OCOP"
    assert ws["A2"].value == "Tỉnh Vĩnh Long · Năm 2026"
    header = [c.value for c in ws[4]]
    assert header[:3] == ["Xã, phường", "Đang soạn", "Đã nộp cho xã"] and ws["A4"].font.b is True
    assert [c.value for c in ws[5]][:2] == ["Xã Chợ Lách", 2]
    total_row = [c.value for c in ws[7]]
    assert total_row[0] == "Tổng cộng" and total_row[14] == 9
    assert ws.cell(row=5, column=2).number_format == "#,##0"


def test_display_formats_vietnamese_numbers():
    assert display(1234567) == "1.234.567"
    assert display(1234567, "vnd") == "1.234.567 ₫"
    assert display(Decimal("43.8"), "pct") == "43,8"
    assert display(Decimal("70.67"), "dec") == "70,67"
    assert display(None, "int") == "—"


def test_same_name_old_districts_are_told_apart_by_their_old_province(world):
    from reports.registry import group_labels
    from units.enums import Kind, Level

    from .factories import legacy_unit

    one = legacy_unit(code="833", name="Huyện Châu Thành", level=Level.DISTRICT, kind=Kind.RURAL_DISTRICT,
                      parent=world.ben_tre, province=world.ben_tre, current_province=world.province)
    two = legacy_unit(code="866", name="Huyện Châu Thành", level=Level.DISTRICT, kind=Kind.RURAL_DISTRICT,
                      parent=world.old_vinh_long, province=world.old_vinh_long, current_province=world.province)
    assert group_labels(Grouping.OLD_DISTRICT, [one.pk, two.pk, world.ben_tre.pk]) == {
        one.pk: "Huyện Châu Thành (cũ, Tỉnh Bến Tre)", two.pk: "Huyện Châu Thành (cũ, Tỉnh Vĩnh Long)",
        world.ben_tre.pk: "Tỉnh Bến Tre (cũ)"}


def test_plan_progress_without_a_plan_says_so(world):
    table = table_of(world, "plan_progress", Grouping.NONE)
    assert (table.rows, table.notes) == ([], ["Hãy chọn kế hoạch."])


# --- tables that add up ---------------------------------------------------------------------------------
def _params_for(world, report, period, grouping, year):
    today = timezone.localdate()
    part = {PeriodKind.HALF: (today.month - 1) // 6 + 1, PeriodKind.QUARTER: (today.month - 1) // 3 + 1,
            PeriodKind.MONTH: today.month}.get(period)
    return Params(province=world.province, year=year, period=period, part=part, grouping=grouping,
                  round=world.round if period == PeriodKind.ROUND else None, plan=world.plan)


@pytest.mark.parametrize("code, grouping", [(r.code, g) for r in all_reports() for g in r.groupings])
def test_every_row_of_every_report_adds_up_and_the_total_row_is_the_column_sums(world, code, grouping):
    """For each report × grouping × period on data in every state: the parts a report declares (`sums`) add up
    to their total in every row and in the total row, and the total row of each count or money column is the
    sum of the rows."""
    report = get_report(code)
    assert report.sums is not None, f"{code} must declare which columns are parts of which total"
    year = every_state(world)
    for period in report.periods:
        table = report.rows(_params_for(world, report, period, grouping, year))
        keys = [c.key for c in table.columns]
        for total_key, parts in report.sums:
            assert set(parts) <= set(keys) and total_key in keys
        assert table.rows or not report.sums, f"{code} by {grouping} for {period} has no rows to check"
        for row in table.rows + ([table.total] if table.total else []):
            cells = dict(zip(keys, row))
            for total_key, parts in report.sums:
                assert (row[0], total_key, sum(cells[p] for p in parts)) == (row[0], total_key, cells[total_key])
        if table.total:
            summed = {c.key: sum(row[i] or 0 for row in table.rows) for i, c in enumerate(table.columns)
                      if c.kind in (INT, VND)}
            assert {k: v for k, v in zip(keys, table.total) if k in summed} == summed
        if period == PeriodKind.YEAR:  # the data reaches every part at least once, so a missing part would show
            assert all(table.total[keys.index(total_key)] > 0 for total_key, _parts in report.sums)
