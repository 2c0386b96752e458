import copy
import datetime
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from evaluations.models import AuthorityRule, Criterion, KnockoutCondition, LegalDocument, Option, Part, Rubric
from evaluations.rubric_import import DEFAULT_RUBRIC_FILE, rubrics_import, sheet_errors
from registrations.models import ProductGroup, ProductSet

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def rubric_data():
    return json.loads(DEFAULT_RUBRIC_FILE.read_text(encoding="utf-8"))


def test_importing_the_26_sheets_gives_26_sets_whose_parts_total_40_25_35():
    call_command("load_rubrics", verbosity=0)

    doc = LegalDocument.objects.get(number="26/2026/QĐ-TTg")
    assert Rubric.objects.filter(legal_document=doc).count() == 26
    assert ProductSet.objects.filter(classification=doc.number).count() == 26
    assert ProductGroup.objects.filter(classification=doc.number, level="group").count() == 6
    for rubric in Rubric.objects.filter(legal_document=doc):
        parts = dict(Part.objects.filter(rubric=rubric).values_list("code", "max_points"))
        assert parts == {"A": Decimal(40), "B": Decimal(25), "C": Decimal(35)}, rubric
        leaves = Criterion.objects.filter(rubric=rubric, scorable=True).aggregate(s=Sum("max_points"))["s"]
        assert leaves == Decimal(100), rubric
    assert Option.objects.filter(rubric__legal_document=doc, synthesized=False).count() == 2535
    assert Option.objects.filter(rubric__legal_document=doc, min_star__isnull=False).count() == 575
    assert KnockoutCondition.objects.filter(rubric__legal_document=doc).count() == 25  # set 26 has none


def test_import_is_idempotent(rubric_data):
    first = rubrics_import(rubric_data, only_sets={1})
    second = rubrics_import(rubric_data, only_sets={1})

    assert (first.created, second.created, second.skipped) == ([1], [], [1])
    assert Rubric.objects.count() == 1
    assert Option.objects.filter(rubric__product_set__number=1).count() == 103 + 2  # 2.4 gets Không đạt / Đạt


def test_set_one_keeps_its_star_marks_and_options(rubric_data):
    rubrics_import(rubric_data, only_sets={1})

    options = Option.objects.filter(criterion__code="1.5", rubric__product_set__number=1).order_by("position")
    assert [(o.points, o.min_star) for o in options] == [
        (Decimal(0), None), (Decimal(1), None), (Decimal(2), 4), (Decimal(3), 5),
    ]


def test_sub_criteria_hang_under_their_parent(rubric_data):
    rubrics_import(rubric_data, only_sets={11})

    parent = Criterion.objects.get(rubric__product_set__number=11, code="6.1")
    assert parent.scorable is False
    assert list(parent.children.order_by("position").values_list("code", flat=True)) == ["6.1.1", "6.1.2"]


def test_a_sheet_whose_parts_do_not_add_up_is_refused(rubric_data):
    data = copy.deepcopy(rubric_data)
    data["product_sets"] = [s for s in data["product_sets"] if s["number"] in (1, 2)]
    data["product_sets"][1]["criteria_groups"][0]["criteria"][0]["options"][-1]["points"] = 7

    report = rubrics_import(data)

    assert report.created == [1]
    assert list(report.refused) == [2]
    assert "1.1: điểm tối đa 3 ≠ mức cao nhất 7" in report.refused[2]
    assert list(Rubric.objects.values_list("product_set__number", flat=True)) == [1]


def test_the_command_fails_loudly_on_a_refused_sheet(rubric_data, tmp_path):
    data = copy.deepcopy(rubric_data)
    data["product_sets"] = [data["product_sets"][0]]
    data["product_sets"][0]["parts"][0]["max_points"] = 35
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(CommandError, match="bộ 1: phần A: 35 điểm, văn bản quy định 40"):
        call_command("load_rubrics", str(path), verbosity=0)
    assert Rubric.objects.count() == 0


def test_sheet_errors_is_empty_for_every_official_sheet(rubric_data):
    maxima = {p["code"]: p["max_points"] for p in rubric_data["parts"]}
    assert {s["number"]: sheet_errors(s, maxima) for s in rubric_data["product_sets"]} == {
        n: [] for n in range(1, 27)
    }


def test_older_decisions_keep_their_part_split():
    splits = {d.number: (d.part_a_max, d.part_b_max, d.part_c_max) for d in LegalDocument.objects.all()}
    assert splits["1048/QĐ-TTg"] == (35, 25, 40)
    assert splits["148/QĐ-TTg"] == (40, 25, 35)
    assert LegalDocument.objects.in_force_on(datetime.date(2024, 3, 1)).get().number == "148/QĐ-TTg"
    assert LegalDocument.objects.in_force_on(datetime.date(2026, 11, 1)).get().number == "26/2026/QĐ-TTg"


@pytest.mark.parametrize(
    ("day", "star", "level"),
    [
        (datetime.date(2020, 6, 1), 3, "province"),
        (datetime.date(2024, 6, 1), 3, "district"),
        (datetime.date(2024, 6, 1), 4, "province"),
        (datetime.date(2025, 8, 1), 3, "province"),
        (datetime.date(2026, 6, 1), 4, "province"),
        (datetime.date(2026, 6, 1), 5, "ministry"),
    ],
)
def test_who_recognises_which_star_depends_on_the_date(day, star, level):
    assert AuthorityRule.objects.in_force_on(day).get(star=star).level == level


def test_a_sheet_whose_groups_do_not_reach_the_part_maximum_is_refused(rubric_data):
    """Each group agrees with its criteria, but part A's groups sum to 41: the part does not add up."""
    data = copy.deepcopy(rubric_data)
    data["product_sets"] = [s for s in data["product_sets"] if s["number"] == 1]
    group = data["product_sets"][0]["criteria_groups"][0]
    criterion = group["criteria"][0]
    group["max_points"] += 1
    criterion["max_points"] += 1
    criterion["options"][-1]["points"] += 1

    report = rubrics_import(data)

    assert report.refused == {1: ["phần A: tổng các nhóm 41 ≠ 40"]}
    assert Rubric.objects.count() == 0


def _older_sheet_file(number: str, split: tuple) -> dict:
    """A one-sheet file in the shape of data/rubrics/*.json for an older decision, parts `split` (A, B, C)."""
    parts = [{"code": code, "name_vi": code, "max_points": m} for code, m in zip("ABC", split)]
    groups = []
    for i, (code, m) in enumerate(zip("ABC", split), start=1):
        groups.append({"part": code, "number": str(i), "name_vi": f"NHÓM {i}", "max_points": m, "criteria": [{
            "code": f"{i}.1", "name_vi": f"Tiêu chí {i}.1", "max_points": m, "options": [
                {"text_vi": "Không đạt", "points": 0, "min_star": None, "case": None},
                {"text_vi": "Đạt", "points": m, "min_star": 3, "case": None},
            ],
        }]})
    return {
        "legal_document": {"number": number, "date": "2019-08-21", "effective_from": "2019-08-21",
                           "title": "Bộ tiêu chí đánh giá, phân hạng sản phẩm OCOP"},
        "parts": parts,
        "product_groups": [{"code": "I", "name_vi": "SẢN PHẨM THỰC PHẨM", "label_vi": "Thực phẩm", "subgroups": []}],
        "product_sets": [{"number": 1, "code": "I.1", "slug": "thuc-pham", "name_vi": "Thực phẩm", "group": "I",
                          "subgroup": None, "parts": [{"code": p["code"], "heading_vi": p["code"],
                                                       "max_points": p["max_points"]} for p in parts],
                          "criteria_groups": groups}],
    }


def test_an_older_decisions_sheet_imports_on_its_own_35_25_40_split():
    report = rubrics_import(_older_sheet_file("1048/QĐ-TTg", (35, 25, 40)))

    assert (report.created, report.refused) == ([1], {})
    rubric = Rubric.objects.get(legal_document__number="1048/QĐ-TTg")
    assert dict(rubric.parts.values_list("code", "max_points")) == {"A": 35, "B": 25, "C": 40}


def test_a_file_that_misstates_a_known_decisions_split_is_refused_and_the_decision_kept():
    """1048/2019 had A 35 / B 25 / C 40: a file claiming 40/25/35 for it cannot rewrite that."""
    report = rubrics_import(_older_sheet_file("1048/QĐ-TTg", (40, 25, 35)))

    assert report.created == []
    assert report.refused == {1: ["tệp ghi các phần A 40/B 25/C 35, 1048/QĐ-TTg quy định A 35/B 25/C 40"]}
    doc = LegalDocument.objects.get(number="1048/QĐ-TTg")
    assert (doc.part_a_max, doc.part_b_max, doc.part_c_max) == (35, 25, 40)
    assert Rubric.objects.count() == 0


def test_the_project_ships_its_own_copy_of_the_rubric_data():
    """Nothing reads ../shared at run or test time: the importer's default file lives in the project."""
    from django.conf import settings

    assert DEFAULT_RUBRIC_FILE.is_relative_to(settings.BASE_DIR / "data" / "rubrics")
    assert "shared" not in DEFAULT_RUBRIC_FILE.parts


def test_the_1048_classification_is_loaded_with_each_sub_group_mapped_to_todays_set():
    call_command("load_rubrics", verbosity=0)
    call_command("load_rubrics", verbosity=0)  # idempotent

    old = ProductSet.objects.filter(classification="1048/QĐ-TTg").select_related("current_set__group", "group")
    assert old.count() == 26
    assert ProductGroup.objects.filter(classification="1048/QĐ-TTg", level="group").count() == 6
    assert ProductGroup.objects.filter(classification="1048/QĐ-TTg", level="subgroup").count() == 16
    assert {(s.valid_from, s.valid_to) for s in old} == {(datetime.date(2019, 8, 21), datetime.date(2023, 2, 23))}
    by_name = {s.name: s for s in old}
    # Coarser today: meat and seafood processing are one set; two handicraft sub-groups are one set.
    assert by_name["Chế biến từ thủy, hải sản"].current_set == by_name["Chế biến từ thịt, trứng, sữa"].current_set
    assert by_name["Chế biến từ thủy, hải sản"].current_set.number == 8
    assert by_name["Thủ công mỹ nghệ gia dụng"].current_set.number == 21
    # 1048's sector IV (textiles) is today's group IV (handicrafts); its tourism sector is today's group VI.
    assert (by_name["Vải, may mặc"].group.name, by_name["Vải, may mặc"].current_set.group.code) == ("Vải và may mặc", "IV")
    assert by_name["Dịch vụ du lịch - truyền thống - lễ hội"].current_set.number == 26
    assert all(s.current_set.classification == "26/2026/QĐ-TTg" for s in old)
    assert not ProductSet.objects.filter(classification="26/2026/QĐ-TTg", current_set__isnull=False).exists()
    assert str(by_name["Rượu trắng"]) == "15. Rượu trắng (1048/QĐ-TTg)"
