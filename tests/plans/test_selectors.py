"""Plan progress (plans.selectors): the acceptance table of issue 10 on real-shaped plans, budget totals,
backfilled records counted by their own dates, drill-down, and a query count that does not grow with the
records or the indicators.

ReportWorld: current Tỉnh Vĩnh Long with communes A (Chợ Lách) and B (Mỏ Cày); old Bến Tre › Huyện Chợ Lách ›
Hòa Nghĩa (→ A) and Sơn Định (→ A, B); old Vĩnh Long › Huyện Mang Thít › Mỹ An (→ B); Đồng Tháp must not leak.
"""
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.enums import FundingSource, TargetKind
from plans.selectors import budget_summary, cell_records, plan_progress
from tests.registrations.factories import ProducerFactory

from .factories import BudgetLineFactory, ManualActualFactory, PlanFactory, ShowroomFactory, StageFactory, TargetFactory, certify

D = datetime.date


def cells(plan):
    """{(indicator, unit name, period key): (target label, actual, rate, entered)} of the plan's progress."""
    return {(c.indicator.code, c.unit.name, c.period.key): (c.target.value_label if c.target else None, c.actual,
                                                            c.rate, c.entered)
            for c in plan_progress(plan).cells}


# --- the six plans ---------------------------------------------------------------------------------------
def test_pre_reform_province_2018_2020_programme_with_2030_orientation_and_commune_coverage(world):
    plan = PlanFactory(title="Đề án OCOP tỉnh Bến Tre giai đoạn 2018–2020, định hướng đến năm 2030",
                       issuing_unit=world.ben_tre, document_number="1467/QĐ-UBND", document_date=D(2018, 7, 3),
                       year_from=2018, year_to=2020, orientation_year=2030)
    stage = StageFactory(plan=plan, name="Giai đoạn 2018–2020", year_from=2018, year_to=2020)
    TargetFactory(plan=plan, indicator="communes_with_product", value=2)
    TargetFactory(plan=plan, indicator="commune_coverage", kind=TargetKind.PERCENT, value=100)  # "100% of communes"
    TargetFactory(plan=plan, indicator="new_3star", stage=stage, value=3)
    certify(world.hoa_nghia, 3, D(2019, 10, 2))
    certify(world.hoa_nghia, 4, D(2020, 6, 1))
    certify(world.son_dinh, 3, D(2020, 11, 20))
    certify(world.my_an, 3, D(2020, 5, 5))  # old Vĩnh Long: not Bến Tre's
    certify(world.a, 3, D(2026, 1, 5))  # after the period

    got = cells(plan)
    assert got[("communes_with_product", "Tỉnh Bến Tre", "all")] == ("2", Decimal(2), Decimal("100.0"), False)
    assert got[("commune_coverage", "Tỉnh Bến Tre", "all")] == ("100%", Decimal("100.0"), Decimal("100.0"), False)
    assert got[("commune_coverage", "Tỉnh Bến Tre", "y2019")][1] == Decimal("50.0")
    assert got[("new_3star", "Tỉnh Bến Tre", f"s{stage.pk}")] == ("3", Decimal(3), Decimal("100.0"), False)
    assert got[("communes_with_product", "Tỉnh Bến Tre", "y2019")] == (None, Decimal(1), None, False)
    assert got[("new_3star", "Tỉnh Bến Tre", "y2020")][1] == Decimal(2)


def test_2020_and_2021_2025_plan_budget_by_source_reconciles_to_the_document(world):
    plan = PlanFactory(issuing_unit=world.ben_tre, year_from=2020, year_to=2025, document_total_vnd=95_500_000_000)
    first = StageFactory(plan=plan, name="Năm 2020", year_from=2020, year_to=2020)
    second = StageFactory(plan=plan, name="Giai đoạn 2021–2025", year_from=2021, year_to=2025)
    # The whole-period lines as the document writes them (million đồng): state 25,500 + counterpart 70,000.
    for source, planned in [(FundingSource.CENTRAL, 10_000), (FundingSource.PROVINCIAL, 12_000),
                            (FundingSource.DISTRICT, 3_000), (FundingSource.COMMUNE, 500),
                            (FundingSource.COUNTERPART, 70_000)]:
        BudgetLineFactory(plan=plan, source=source, planned_vnd=planned * 1_000_000)
    BudgetLineFactory(plan=plan, source=FundingSource.PROVINCIAL, stage=first, planned_vnd=2_000_000_000,
                      actual_vnd=1_800_000_000, note="Quyết định 2745/QĐ-UBND")
    BudgetLineFactory(plan=plan, source=FundingSource.CREDIT, stage=second, planned_vnd=5_000_000_000)

    summary = budget_summary(plan)
    whole = next(g for g in summary["groups"] if g["label"] == "Cả kỳ 2020–2025")
    assert (whole["state"], whole["total"]) == ([25_500_000_000, 0], [95_500_000_000, 0])
    assert (summary["planned_total"], summary["stated_total"], summary["reconciles"]) == (
        95_500_000_000, 95_500_000_000, True)
    stage_one = next(g for g in summary["groups"] if g["label"] == str(first))
    assert (stage_one["state"], stage_one["lines"][0].note) == ([2_000_000_000, 1_800_000_000], "Quyết định 2745/QĐ-UBND")
    plan.document_total_vnd = 96_000_000_000
    assert budget_summary(plan)["reconciles"] is False


def test_pre_reform_district_2022_2025_plan_measured_by_legacy_certificates_of_2023(world):
    from accounts.enums import OrganisationKind
    from accounts.models import Organisation
    from products import services
    from tests.products.factories import authority_rules
    from tests.registrations.factories import ProductSetFactory

    authority_rules()
    Organisation.objects.create(kind=OrganisationKind.DISTRICT_PEOPLES_COMMITTEE, unit=world.cho_lach,
                                name="Ủy ban nhân dân huyện Chợ Lách", valid_to=D(2025, 6, 30))
    plan = PlanFactory(title="Kế hoạch thực hiện Chương trình OCOP huyện Chợ Lách giai đoạn 2022–2025",
                       issuing_unit=world.cho_lach, document_number="25/KH-UBND", document_date=D(2022, 3, 14),
                       year_from=2022, year_to=2025)
    TargetFactory(plan=plan, indicator="new_3star", year=2023, value=2)
    TargetFactory(plan=plan, indicator="new_3star", unit=world.hoa_nghia, year=2023, value=1)
    for n, (commune, day) in enumerate([(world.hoa_nghia, D(2023, 4, 12)), (world.son_dinh, D(2023, 12, 15)),
                                        (world.hoa_nghia, D(2023, 12, 15))]):
        services.legacy_certificate_record(
            producer=ProducerFactory(commune=commune), product_set=ProductSetFactory(), product_name=f"Kẹo dừa {n}",
            product_code=f"83-831-{commune.code}-{n}-2023", commune=commune, star=3, level="district",
            issuing_unit=world.cho_lach, decision_number=f"{2871 + n}/QĐ-UBND", decided_on=day,
            certificate_number=f"{n}/2023/GCN-OCOP-CL")
    certify(world.my_an, 3, D(2023, 6, 1))  # Mang Thít's

    got = cells(plan)
    assert got[("new_3star", "Huyện Chợ Lách", "y2023")] == ("2", Decimal(3), Decimal("150.0"), False)
    assert got[("new_3star", "Xã Hòa Nghĩa", "y2023")] == ("1", Decimal(2), Decimal("200.0"), False)
    assert got[("new_3star", "Huyện Chợ Lách", "y2022")][1] == Decimal(0)
    assert got[("new_3star", "Huyện Chợ Lách", "all")][1] == Decimal(3)


def test_cooperative_and_upgraded_shares(world):
    plan = PlanFactory(issuing_unit=world.province, year_from=2026, year_to=2026)
    TargetFactory(plan=plan, indicator="cooperative_share", kind=TargetKind.PERCENT, value=30)
    TargetFactory(plan=plan, indicator="cooperative_or_sme_share", kind=TargetKind.PERCENT, value=60)
    TargetFactory(plan=plan, indicator="upgraded_share", kind=TargetKind.PERCENT, value=25)
    TargetFactory(plan=plan, indicator="upgraded", value=1)
    first = certify(world.a, 3, D(2024, 3, 1), producer=world.p2)
    certify(world.a, 4, D(2026, 4, 1), product=first.product)  # upgraded 3★ → 4★
    certify(world.b, 3, D(2026, 5, 1), producer=world.p2)  # new
    renewed = certify(world.b, 4, D(2023, 1, 1), producer=world.p2)
    certify(world.b, 4, D(2026, 1, 2), product=renewed.product)  # re-recognised at 4★

    got = cells(plan)
    # Producers of Vĩnh Long in ReportWorld: 2 cooperatives and 1 SME of 5.
    assert got[("cooperative_share", "Tỉnh Vĩnh Long", "all")] == ("30%", Decimal("40.0"), Decimal("133.3"), False)
    assert got[("cooperative_or_sme_share", "Tỉnh Vĩnh Long", "all")] == ("60%", Decimal("60.0"), Decimal("100.0"),
                                                                          False)
    assert got[("upgraded_share", "Tỉnh Vĩnh Long", "all")] == ("25%", Decimal("33.3"), Decimal("133.2"), False)
    assert got[("upgraded", "Tỉnh Vĩnh Long", "all")] == ("1", Decimal(1), Decimal("100.0"), False)


def test_showroom_target_met_by_a_showroom_record(world):
    plan = PlanFactory(issuing_unit=world.province, year_from=2026, year_to=2027)
    TargetFactory(plan=plan, indicator="showrooms", year=2026, kind=TargetKind.RANGE, value=1, value_max=2)
    TargetFactory(plan=plan, indicator="showrooms_cumulative", year=2027, value=2)
    ShowroomFactory(commune=world.a, opened_on=D(2026, 3, 26))
    ShowroomFactory(commune=world.my_an, opened_on=D(2024, 9, 2), closed_on=D(2027, 6, 30))
    ShowroomFactory(commune=world.far, opened_on=D(2026, 5, 1))  # Đồng Tháp

    got = cells(plan)
    assert got[("showrooms", "Tỉnh Vĩnh Long", "y2026")] == ("1–2", Decimal(1), Decimal("100.0"), False)
    assert [c.met for c in plan_progress(plan).cells if c.period.key == "y2026" and c.target] == [True]
    # Open at the end of 2027: the 2024 one closed in June 2027.
    assert got[("showrooms_cumulative", "Tỉnh Vĩnh Long", "y2027")] == ("2", Decimal(1), Decimal("50.0"), False)


def test_pre_reform_province_2021_2025_plan_counts_records_after_the_reform_in_its_descendant_communes(world):
    plan = PlanFactory(issuing_unit=world.ben_tre, year_from=2021, year_to=2025)
    TargetFactory(plan=plan, indicator="new_3star", year=2025, value=2)
    vinh_long_old = PlanFactory(issuing_unit=world.old_vinh_long, year_from=2021, year_to=2025)
    TargetFactory(plan=vinh_long_old, indicator="new_3star", year=2025, value=1)
    current = PlanFactory(issuing_unit=world.province, year_from=2021, year_to=2025)
    TargetFactory(plan=current, indicator="new_3star", value=4)
    certify(world.hoa_nghia, 3, D(2025, 3, 1))  # before the reform, in Bến Tre's old commune
    certify(world.a, 3, D(2025, 9, 10))  # after, in A (← Hòa Nghĩa, Sơn Định)
    certify(world.b, 4, D(2025, 11, 3))  # after, in B (← Sơn Định of Bến Tre and Mỹ An of old Vĩnh Long)
    certify(world.far, 3, D(2025, 9, 10))  # Đồng Tháp

    assert cells(plan)[("new_3star", "Tỉnh Bến Tre", "y2025")] == ("2", Decimal(3), Decimal("150.0"), False)
    assert cells(vinh_long_old)[("new_3star", "Tỉnh Vĩnh Long", "y2025")][1] == Decimal(1)
    assert cells(current)[("new_3star", "Tỉnh Vĩnh Long", "all")] == ("4", Decimal(3), Decimal("75.0"), False)
    notes = plan_progress(plan).notes
    assert notes[1] == ("1 xã, phường hiện nay được hợp thành từ xã cũ của Tỉnh Bến Tre (cũ) và xã cũ của đơn vị "
                        "khác: số liệu phát sinh tại đó từ 1/7/2025 được tính toàn bộ cho kế hoạch này.")


# --- dates of their own, entered actuals, drill-down ------------------------------------------------------
def test_backfilled_producers_and_certificates_count_in_the_year_of_their_own_dates(world):
    plan = PlanFactory(issuing_unit=world.province, year_from=2021, year_to=2026)
    TargetFactory(plan=plan, indicator="producers", year=2021, value=1)
    TargetFactory(plan=plan, indicator="new_3star", year=2022, value=1)
    ProducerFactory(commune=world.hoa_nghia, registered_on=D(2021, 5, 4))  # typed in today
    certify(world.hoa_nghia, 3, D(2022, 8, 8))  # typed in today

    got = cells(plan)
    # ReportWorld's five producers carry no registration date: they count from the day they were typed (2026).
    assert got[("producers", "Tỉnh Vĩnh Long", "y2021")][1] == Decimal(1)
    assert got[("new_3star", "Tỉnh Vĩnh Long", "y2022")] == ("1", Decimal(1), Decimal("100.0"), False)
    assert got[("new_3star", "Tỉnh Vĩnh Long", "y2026")][1] == Decimal(0)


def test_twenty_three_of_twenty_is_115_percent_and_an_entered_actual_is_marked(world):
    plan = PlanFactory(issuing_unit=world.province, year_from=2026, year_to=2026)
    TargetFactory(plan=plan, indicator="new_3star", value=20)
    TargetFactory(plan=plan, indicator="trainings", value=6)
    ManualActualFactory(plan=plan, indicator="trainings", value=4, source_note="Báo cáo 45/BC-SNNMT")
    for _ in range(23):
        certify(world.a, 3, D(2026, 2, 1))

    progress = plan_progress(plan)
    got = cells(plan)
    assert got[("new_3star", "Tỉnh Vĩnh Long", "all")] == ("20", Decimal(23), Decimal("115.0"), False)
    assert got[("trainings", "Tỉnh Vĩnh Long", "all")] == ("6", Decimal(4), Decimal("66.7"), True)
    assert "Số liệu đánh dấu “nhập tay” do cán bộ nhập theo báo cáo, không tính từ dữ liệu của cổng." in progress.notes


def test_drill_down_lists_the_records_counted(world):
    plan = PlanFactory(issuing_unit=world.cho_lach, year_from=2023, year_to=2025)
    TargetFactory(plan=plan, indicator="new_3star", value=2)
    cert = certify(world.son_dinh, 3, D(2023, 5, 6))
    certify(world.b, 4, D(2025, 8, 1))
    certify(world.my_an, 3, D(2023, 5, 6))  # not Chợ Lách's

    found = cell_records(plan=plan, indicator_code="new_3star", unit=world.cho_lach, period_key_="all")
    assert found["total"] == 2
    assert found["columns"] == ["Sản phẩm", "Số giấy chứng nhận", "Hạng sao", "Quyết định", "Ngày", "Xã, phường"]
    assert found["rows"][0] == [cert.product.name, cert.number, 3, cert.decision.number, D(2023, 5, 6),
                                "Xã Sơn Định (cũ, Tỉnh Bến Tre)"]
    assert found["rows"][1][-1] == "Xã Mỏ Cày"
    assert cell_records(plan=plan, indicator_code="nope", unit=world.cho_lach, period_key_="all") is None
    assert cell_records(plan=plan, indicator_code="new_3star", unit=world.cho_lach, period_key_="y1999") is None


# --- producers' and communes' attributes, community organisations, new-rural communes, potential 5★ ------
def test_craft_village_and_value_chain_producers_count_by_their_registration_date(world):
    plan = PlanFactory(issuing_unit=world.cho_lach, year_from=2022, year_to=2025)
    TargetFactory(plan=plan, indicator="craft_village_producers", value=2)
    TargetFactory(plan=plan, indicator="value_chain_share", kind=TargetKind.PERCENT, value=30)
    ProducerFactory(commune=world.hoa_nghia, registered_on=D(2022, 3, 1), craft_village="Làng nghề bánh tráng")
    ProducerFactory(commune=world.son_dinh, registered_on=D(2024, 5, 1), craft_village="Làng nghề kẹo dừa",
                    in_value_chain=True)
    ProducerFactory(commune=world.son_dinh, registered_on=D(2023, 5, 1))
    ProducerFactory(commune=world.my_an, registered_on=D(2023, 5, 1), craft_village="Làng nghề chiếu",
                    in_value_chain=True)  # Mang Thít's
    ProducerFactory(commune=world.hoa_nghia, registered_on=D(2026, 1, 5), craft_village="Làng nghề bánh tráng")

    got = cells(plan)
    assert got[("craft_village_producers", "Huyện Chợ Lách", "all")] == ("2", Decimal(2), Decimal("100.0"), False)
    assert got[("craft_village_producers", "Huyện Chợ Lách", "y2023")][1] == Decimal(1)  # cumulative to 2023
    assert got[("value_chain_share", "Huyện Chợ Lách", "all")] == ("30%", Decimal("33.3"), Decimal("111.0"), False)
    assert got[("value_chain_share", "Huyện Chợ Lách", "y2023")][1] == Decimal("0.0")


def test_community_organisations_formed_or_restructured_count_in_the_year_of_their_date(world):
    from plans.enums import CommunityOrganisationKind

    from .factories import CommunityOrganisationFactory

    plan = PlanFactory(issuing_unit=world.province, year_from=2025, year_to=2026)
    TargetFactory(plan=plan, indicator="community_organisations", year=2025, value=2)
    CommunityOrganisationFactory(commune=world.hoa_nghia, happened_on=D(2025, 3, 1))  # old commune, now Vĩnh Long's
    CommunityOrganisationFactory(commune=world.a, happened_on=D(2025, 9, 1), kind=CommunityOrganisationKind.RESTRUCTURED)
    CommunityOrganisationFactory(commune=world.b, happened_on=D(2026, 2, 1))
    CommunityOrganisationFactory(commune=world.far, happened_on=D(2025, 5, 1))  # Đồng Tháp

    got = cells(plan)
    assert got[("community_organisations", "Tỉnh Vĩnh Long", "y2025")] == ("2", Decimal(2), Decimal("100.0"), False)
    assert got[("community_organisations", "Tỉnh Vĩnh Long", "y2026")][1] == Decimal(1)
    assert got[("community_organisations", "Tỉnh Vĩnh Long", "all")][1] == Decimal(3)


def test_new_rural_communes_that_have_a_product_by_level_and_year(world):
    from plans.enums import NewRuralLevel

    from .factories import NewRuralRecognitionFactory

    plan = PlanFactory(issuing_unit=world.ben_tre, year_from=2022, year_to=2025)
    TargetFactory(plan=plan, indicator="new_rural_advanced_with_product", year=2023, value=1)
    TargetFactory(plan=plan, indicator="new_rural_model_with_product", value=1)
    certify(world.hoa_nghia, 3, D(2022, 6, 1))
    certify(world.son_dinh, 4, D(2024, 6, 1))
    NewRuralRecognitionFactory(commune=world.hoa_nghia, year=2023)  # has a product since 2022
    NewRuralRecognitionFactory(commune=world.son_dinh, year=2023)  # its product came only in 2024
    NewRuralRecognitionFactory(commune=world.son_dinh, level=NewRuralLevel.MODEL, year=2025)
    NewRuralRecognitionFactory(commune=world.my_an, year=2023)  # old Vĩnh Long's

    got = cells(plan)
    assert got[("new_rural_advanced_with_product", "Tỉnh Bến Tre", "y2023")] == ("1", Decimal(1), Decimal("100.0"),
                                                                                 False)
    assert got[("new_rural_advanced_with_product", "Tỉnh Bến Tre", "all")][1] == Decimal(2)  # by the end of 2025
    assert got[("new_rural_model_with_product", "Tỉnh Bến Tre", "all")] == ("1", Decimal(1), Decimal("100.0"), False)
    assert got[("new_rural_model_with_product", "Tỉnh Bến Tre", "y2024")][1] == Decimal(0)
    drill = cell_records(plan=plan, indicator_code="new_rural_advanced_with_product", unit=world.ben_tre,
                         period_key_="y2023")
    assert [row[-1] for row in drill["rows"]] == ["Xã Hòa Nghĩa (cũ, Tỉnh Bến Tre)"]


def test_potential_5_star_is_a_provincial_mean_of_90_or_more_not_yet_5_star_at_the_ministry(world):
    plan = PlanFactory(issuing_unit=world.province, year_from=2026, year_to=2026)
    TargetFactory(plan=plan, indicator="potential_5star", value=2)
    # ReportWorld's closed round: 40, 80 and 92 (proposed to the ministry) in Vĩnh Long, 60 in Đồng Tháp.
    assert cells(plan)[("potential_5star", "Tỉnh Vĩnh Long", "all")] == ("2", Decimal(1), Decimal("50.0"), False)
    world.round.results.filter(mean=Decimal("92.00")).update(central_star=5, central_mean=Decimal("91.00"))
    assert cells(plan)[("potential_5star", "Tỉnh Vĩnh Long", "all")][1] == Decimal(0)


# --- query count -------------------------------------------------------------------------------------------
def test_progress_query_count_does_not_grow_with_records_or_indicators(world):
    small = PlanFactory(issuing_unit=world.ben_tre, year_from=2021, year_to=2021)
    TargetFactory(plan=small, indicator="new_3star", value=1)
    TargetFactory(plan=small, indicator="producers", value=1)
    # One indicator of each other source: the query count is one per source, however many indicators use it.
    for code in ("community_organisations", "new_rural_advanced_with_product", "potential_5star"):
        TargetFactory(plan=small, indicator=code, value=1)
    certify(world.a, 3, D(2021, 2, 1))
    with CaptureQueriesContext(connection) as one:
        plan_progress(small)

    big = PlanFactory(issuing_unit=world.ben_tre, year_from=2021, year_to=2026)
    stage = StageFactory(plan=big, year_from=2021, year_to=2023)
    for code in ("new_3star", "products_cumulative", "three_star", "four_star", "upgraded", "re_recognised",
                 "communes_with_product", "upgraded_share"):
        TargetFactory(plan=big, indicator=code, value=1, kind=TargetKind.PERCENT if code.endswith("share") else "count")
        TargetFactory(plan=big, indicator=code, unit=world.cho_lach, stage=stage, value=1,
                      kind=TargetKind.PERCENT if code.endswith("share") else "count")
    for code in ("producers", "cooperative_share", "sme_share", "modern_channel_share", "craft_village_producers",
                 "value_chain_share", "community_organisations", "new_rural_advanced_with_product",
                 "new_rural_model_with_product", "potential_5star"):
        TargetFactory(plan=big, indicator=code, year=2022, value=1, kind=TargetKind.PERCENT if code.endswith("share") else "count")
    for n in range(15):
        certify([world.a, world.hoa_nghia, world.son_dinh][n % 3], 3 + n % 3, D(2021 + n % 6, 3, 1))
    from .factories import CommunityOrganisationFactory, NewRuralRecognitionFactory

    for n in range(6):
        CommunityOrganisationFactory(commune=[world.a, world.hoa_nghia][n % 2], happened_on=D(2021 + n, 5, 1))
        NewRuralRecognitionFactory(commune=[world.a, world.hoa_nghia, world.son_dinh][n % 3], year=2021 + n)
    with CaptureQueriesContext(connection) as many:
        plan_progress(big)
    assert len(many) == len(one)


def test_certificates_expired_and_revoked_count_by_the_day_they_ended(world):
    plan = PlanFactory(issuing_unit=world.cho_lach, year_from=2022, year_to=2025)
    TargetFactory(plan=plan, indicator="certificates_expired", year=2025, value=2)
    TargetFactory(plan=plan, indicator="certificates_revoked", year=2024, value=1)
    for n, (status, ended) in enumerate([("expired", D(2025, 3, 1)), ("expired", D(2026, 1, 4)),
                                         ("revoked", D(2024, 6, 30)), ("superseded", D(2025, 5, 5))]):
        cert = certify(world.hoa_nghia, 3, D(2022, 1, 1 + n))
        cert.status, cert.ended_on = status, ended
        cert.save(update_fields=["status", "ended_on"])

    got = cells(plan)
    assert got[("certificates_expired", "Huyện Chợ Lách", "y2025")] == ("2", Decimal(1), Decimal("50.0"), False)
    assert got[("certificates_revoked", "Huyện Chợ Lách", "y2024")] == ("1", Decimal(1), Decimal("100.0"), False)


def test_commune_coverage_counts_the_communes_as_they_were_on_the_last_day(world):
    plan = PlanFactory(issuing_unit=world.ben_tre, year_from=2020, year_to=2025)
    TargetFactory(plan=plan, indicator="commune_coverage", kind=TargetKind.PERCENT, year=2020, value=100)
    TargetFactory(plan=plan, indicator="commune_coverage", kind=TargetKind.PERCENT, year=2025, value=100)
    certify(world.hoa_nghia, 3, D(2020, 5, 1))

    got = cells(plan)
    # 2020: Bến Tre's old communes Hòa Nghĩa and Sơn Định, one with a product.
    assert got[("commune_coverage", "Tỉnh Bến Tre", "y2020")] == ("100%", Decimal("50.0"), Decimal("50.0"), False)
    # End of 2025: the current communes A (← Hòa Nghĩa, Sơn Định) and B (← Sơn Định, Mỹ An); A has the product.
    assert got[("commune_coverage", "Tỉnh Bến Tre", "y2025")] == ("100%", Decimal("50.0"), Decimal("50.0"), False)
    found = cell_records(plan=plan, indicator_code="commune_coverage", unit=world.ben_tre, period_key_="y2025")
    assert [row[-1] for row in found["rows"]] == ["Xã Chợ Lách"]


def test_a_target_for_each_sub_unit_is_measured_in_every_sub_unit(world):
    plan = PlanFactory(issuing_unit=world.cho_lach, year_from=2022, year_to=2025)
    target = TargetFactory(plan=plan, indicator="new_3star", each_subunit=True, year=2023, value=1)
    certify(world.hoa_nghia, 3, D(2023, 4, 12))
    certify(world.hoa_nghia, 3, D(2023, 6, 1))

    progress = plan_progress(plan)
    got = cells(plan)
    assert got[("new_3star", "Xã Hòa Nghĩa", "y2023")] == ("1", Decimal(2), Decimal("200.0"), False)
    assert got[("new_3star", "Xã Sơn Định", "y2023")] == ("1", Decimal(0), Decimal("0.0"), False)
    assert ("new_3star", "Huyện Chợ Lách", "y2023") not in got
    assert [c.target for c in progress.cells if c.period.key == "y2023"] == [target, target]
    assert ("“Sản phẩm mới đạt 3 sao trở lên” (Năm 2023) cho từng đơn vị cấp dưới của Huyện Chợ Lách (cũ, Tỉnh Bến Tre): "
            "1/2 đơn vị đạt.") in progress.notes


def test_producers_by_type(world):
    plan = PlanFactory(issuing_unit=world.province, year_from=2026, year_to=2026)
    for kind, value in (("cooperative", 3), ("sme", 1), ("farm", 1), ("household", 2)):
        TargetFactory(plan=plan, indicator=f"producers_{kind}", value=value)
    got = {code: actual for (code, _unit, key), (_t, actual, _r, _e) in cells(plan).items() if key == "all"}
    assert got == {"producers_cooperative": 2, "producers_sme": 1, "producers_farm": 1, "producers_household": 1}


def test_trainings_and_managers_trained_come_from_training_records_unless_entered(world):
    from .factories import TrainingFactory

    plan = PlanFactory(issuing_unit=world.cho_lach, year_from=2023, year_to=2026)
    TargetFactory(plan=plan, indicator="trainings", year=2024, value=2)
    TargetFactory(plan=plan, indicator="managers_trained", year=2024, value=30)
    TargetFactory(plan=plan, indicator="trainings", year=2023, value=1)
    ManualActualFactory(plan=plan, indicator="trainings", unit=world.cho_lach, year=2023, value=3,
                        source_note="Báo cáo 98/BC-UBND ngày 20/12/2023 của UBND huyện Chợ Lách")
    TrainingFactory(commune=world.son_dinh, held_on=D(2024, 3, 5), participants=50, managers=20)
    TrainingFactory(commune=world.hoa_nghia, held_on=D(2024, 9, 9), participants=30, managers=15)
    TrainingFactory(commune=world.my_an, held_on=D(2024, 9, 9), managers=7)  # Mang Thít's

    got = cells(plan)
    assert got[("trainings", "Huyện Chợ Lách", "y2024")] == ("2", Decimal(2), Decimal("100.0"), False)
    assert got[("managers_trained", "Huyện Chợ Lách", "y2024")] == ("30", Decimal(35), Decimal("116.7"), False)
    assert got[("trainings", "Huyện Chợ Lách", "y2023")] == ("1", Decimal(3), Decimal("300.0"), True)
    TargetFactory(plan=plan, indicator="managers_trained_share", kind=TargetKind.PERCENT, year=2024, value=40)
    got = cells(plan)  # 35 managers among the 80 people of Chợ Lách's classes (Mang Thít's class is not counted)
    assert got[("managers_trained_share", "Huyện Chợ Lách", "y2024")] == ("40%", Decimal("43.8"), Decimal("109.5"), False)


def test_business_plans_supported_count_approved_implemented_and_completed_plans_by_their_own_year(world):
    import datetime

    from registrations.models import BusinessPlan
    from tests.registrations.factories import ProducerFactory

    plan = PlanFactory(issuing_unit=world.cho_lach, year_from=2023, year_to=2026)
    TargetFactory(plan=plan, indicator="business_plans_supported", year=2024, value=2)
    producer = ProducerFactory(commune=world.son_dinh)
    for status, day in (("approved", D(2024, 2, 1)), ("completed", D(2024, 6, 1)), ("draft", D(2024, 7, 1)),
                        ("rejected", D(2024, 8, 1)), ("implementing", D(2025, 1, 5))):
        made = BusinessPlan.objects.create(producer=producer, commune=world.son_dinh, year=day.year, title=status,
                                           status=status)
        BusinessPlan.objects.filter(pk=made.pk).update(
            created_at=datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC))
    got = cells(plan)
    assert got[("business_plans_supported", "Huyện Chợ Lách", "y2024")] == ("2", Decimal(2), Decimal("100.0"), False)


def test_a_pre_reform_province_target_for_each_commune_is_measured_in_every_old_commune(world):
    """“100% of communes have a product” as one target per commune of an old province: its districts' communes,
    not its districts; a current province's “each commune” means its current communes."""
    old_plan = PlanFactory(issuing_unit=world.ben_tre, year_from=2021, year_to=2025)
    TargetFactory(plan=old_plan, indicator="new_3star", each_subunit=True, subunit_level="commune", value=1)
    certify(world.hoa_nghia, 3, D(2022, 4, 12))

    got = {(unit, key): actual for (code, unit, key), (_t, actual, _r, _e) in cells(old_plan).items() if key == "all"}
    assert got == {("Xã Hòa Nghĩa", "all"): Decimal(1), ("Xã Sơn Định", "all"): Decimal(0)}
    assert ("“Sản phẩm mới đạt 3 sao trở lên” (Cả kỳ 2021–2025) cho từng xã của Tỉnh Bến Tre (cũ): 1/2 đơn vị đạt."
            in plan_progress(old_plan).notes)

    current_plan = PlanFactory(issuing_unit=world.province, year_from=2026, year_to=2026)
    TargetFactory(plan=current_plan, indicator="new_3star", each_subunit=True, subunit_level="commune", value=1)
    units = {unit for (_code, unit, _key) in cells(current_plan)}
    assert units == {world.a.name, world.b.name}


def test_each_sub_unit_level_is_checked():
    from django.core.exceptions import ValidationError

    from plans.models import Target

    with pytest.raises(ValidationError) as raised:
        Target(indicator="new_3star", subunit_level="commune", each_subunit=False, value=1).clean()
    assert "subunit_level" in raised.value.message_dict
