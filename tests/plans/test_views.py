"""Plan pages: province staff create and edit plans of their province's units (pre-reform ones included),
the department viewer reads them and drills down to the records; out of scope is 404; every change is logged."""
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activity.models import ActivityLog
from plans.models import Plan
from tests.factories import PASSWORD

from .factories import PlanFactory, TargetFactory, certify

D = datetime.date


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def management(prefix, total=0, initial=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def plan_post(world, **extra):
    data = {"title": "Kế hoạch thực hiện Chương trình OCOP huyện Chợ Lách giai đoạn 2022–2025",
            "document_number": "25/KH-UBND", "document_date": "2022-03-14", "issuing_unit": world.cho_lach.pk,
            "year_from": "2022", "year_to": "2025", "orientation_year": "", "document_total_vnd": "3500000000",
            "note": ""}
    data |= management("stages") | management("manual")
    data |= management("targets", 2) | {
        "targets-0-indicator": "new_3star", "targets-0-year": "2023", "targets-0-kind": "count", "targets-0-value": "2",
        "targets-1-indicator": "new_3star", "targets-1-year": "2024", "targets-1-kind": "range",
        "targets-1-value": "2", "targets-1-value_max": "3"}
    data |= management("budget", 2) | {
        "budget-0-source": "district", "budget-0-planned_vnd": "500000000", "budget-0-actual_vnd": "0",
        "budget-1-source": "counterpart", "budget-1-planned_vnd": "3000000000", "budget-1-actual_vnd": "0"}
    return data | extra


def test_province_staff_create_a_multi_year_plan_for_a_pre_reform_district(client, world):
    login(client, world.staff)
    response = client.post(reverse("plans:plan_create"), plan_post(world))
    plan = Plan.objects.exclude(pk=world.plan.pk).get()
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert (plan.issuing_unit, plan.year_from, plan.year_to, plan.status) == (world.cho_lach, 2022, 2025, "draft")
    assert sorted(plan.targets.values_list("year", "kind", "value", "value_max", "unit")) == [
        (2023, "count", Decimal("2.00"), None, world.cho_lach.pk),
        (2024, "range", Decimal("2.00"), Decimal("3.00"), world.cho_lach.pk)]
    assert dict(plan.budget_lines.values_list("source", "planned_vnd")) == {"district": 500_000_000,
                                                                            "counterpart": 3_000_000_000}
    log = ActivityLog.objects.get(verb="Tạo kế hoạch OCOP")
    assert (log.actor, log.object_id, log.after["period"]) == (world.staff, str(plan.pk), "2022–2025")


def test_plan_form_errors_are_vietnamese_and_nothing_is_saved(client, world):
    login(client, world.staff)
    data = plan_post(world, year_to="2020", **{"targets-0-year": "2030", "targets-1-value_max": "1",
                                               "budget-0-planned_vnd": "-5"})
    response = client.post(reverse("plans:plan_create"), data)
    assert response.status_code == 400 and Plan.objects.count() == 1  # ReportWorld's own
    form, formsets = response.context["form"], response.context["formsets"]
    assert form.errors == {"year_to": ["Năm kết thúc phải từ năm bắt đầu trở đi."]}
    assert formsets["targets"].errors[1] == {"value_max": ["Khoảng cần giá trị “đến” không nhỏ hơn giá trị “từ”."]}
    assert formsets["budget"].errors[0] == {"planned_vnd": ["Số tiền không được âm."]}


def test_staff_cannot_issue_a_plan_for_another_province_s_unit(client, world):
    login(client, world.staff)
    response = client.post(reverse("plans:plan_create"), plan_post(world, issuing_unit=world.far.pk))
    assert response.status_code == 400 and Plan.objects.count() == 1  # ReportWorld's own
    assert response.context["form"].errors["issuing_unit"] == ["Bạn không được lập kế hoạch của đơn vị này."]


def test_editing_sets_sub_unit_targets_and_logs_before_and_after(client, world):
    plan = PlanFactory(issuing_unit=world.cho_lach, year_from=2022, year_to=2025)
    login(client, world.staff)
    data = plan_post(world) | management("targets", 1) | management("budget")
    data |= {"targets-0-unit": world.hoa_nghia.pk, "targets-0-year": "2023", "targets-0-value": "1",
             "targets-0-indicator": "new_3star", "targets-0-kind": "count"}
    response = client.post(reverse("plans:plan_edit", args=[plan.pk]), data)
    assert response.status_code == 302
    assert list(plan.targets.values_list("unit__name", "year", "value")) == [("Xã Hòa Nghĩa", 2023, Decimal("1.00"))]
    log = ActivityLog.objects.get(verb="Sửa kế hoạch OCOP")
    assert (log.before["targets"], len(log.after["targets"])) == ([], 1)


def test_viewer_reads_progress_and_drills_down_but_cannot_edit(client, world):
    plan = PlanFactory(issuing_unit=world.cho_lach, year_from=2022, year_to=2025)
    TargetFactory(plan=plan, indicator="new_3star", year=2023, value=2)
    cert = certify(world.hoa_nghia, 3, D(2023, 4, 12))
    certify(world.son_dinh, 4, D(2023, 9, 1))
    certify(world.a, 3, D(2023, 9, 1))  # current commune before it existed: dated 2023, counted through lineage
    login(client, world.viewer)
    page = client.get(plan.get_absolute_url()).content.decode()
    records = reverse("plans:plan_records", args=[plan.pk, "new_3star", world.cho_lach.pk, "y2023"])
    assert f'<a href="{records}">3</a>' in page and "<td>150,0</td>" in page  # Vietnamese decimal comma
    assert "Sửa kế hoạch" not in page
    drill = client.get(records)
    assert drill.context["total"] == 3 and drill.context["rows"][0][0] == cert.product.name
    assert "Xã Hòa Nghĩa (cũ, Tỉnh Bến Tre)" in drill.content.decode()
    assert client.get(reverse("plans:plan_edit", args=[plan.pk])).status_code == 404
    assert client.get(reverse("plans:plan_create")).status_code == 404
    # A unit outside the plan is none of the drill-down's business.
    assert client.get(reverse("plans:plan_records", args=[plan.pk, "new_3star", world.my_an.pk, "all"])).status_code == 404


def test_the_budget_on_the_plan_page_is_in_millions_of_dong_as_plans_write_it(client, world):
    from plans.enums import FundingSource

    from .factories import BudgetLineFactory

    plan = PlanFactory(issuing_unit=world.province, year_from=2026, year_to=2026, document_total_vnd=16_500_000_000)
    BudgetLineFactory(plan=plan, source=FundingSource.CENTRAL, year=2026, planned_vnd=3_500_000_000,
                      actual_vnd=1_250_000_000)
    BudgetLineFactory(plan=plan, source=FundingSource.PROVINCIAL, year=2026, planned_vnd=4_200_000_000,
                      actual_vnd=2_730_500_000)
    BudgetLineFactory(plan=plan, source=FundingSource.COUNTERPART, year=2026, planned_vnd=8_000_000_000,
                      actual_vnd=1_500)
    login(client, world.viewer)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert '<th>Kế hoạch (triệu đồng)</th><th>Thực hiện (triệu đồng)</th>' in page
    assert "<td>Ngân sách tỉnh</td><td>4.200</td><td>2.730,5</td>" in page
    assert "<td>Vốn đối ứng của chủ thể</td><td>8.000</td><td>0,0015</td>" in page  # never rounded away
    assert "<td>Cộng ngân sách nhà nước</td><td>7.700</td><td>3.980,5</td>" in page
    assert "<td>Tổng kinh phí</td><td>15.700</td><td>3.980,5015</td>" in page
    assert "Tổng kinh phí theo nguồn (15.700 triệu đồng) khác tổng ghi trong văn bản (16.500 triệu đồng)." in page


def test_another_province_sees_nothing(client, world):
    plan = PlanFactory(issuing_unit=world.ben_tre, year_from=2021, year_to=2025)
    login(client, world.other_viewer)
    assert client.get(reverse("plans:plan_list")).context["plans"].count() == 0
    assert client.get(plan.get_absolute_url()).status_code == 404
    assert client.get(reverse("plans:plan_records", args=[plan.pk, "new_3star", world.ben_tre.pk, "all"])).status_code == 404


def test_commune_officer_plans_for_their_commune_only(client, world):
    login(client, world.officer)
    data = plan_post(world, issuing_unit=world.a.pk, year_from="2026", year_to="2026", document_date="2026-01-05",
                     title="Kế hoạch OCOP xã Chợ Lách năm 2026") | management("targets") | management("budget")
    assert client.post(reverse("plans:plan_create"), data).status_code == 302
    assert client.post(reverse("plans:plan_create"), data | {"issuing_unit": world.b.pk}).status_code == 400
    province_plan = PlanFactory(issuing_unit=world.province)
    assert client.get(province_plan.get_absolute_url()).status_code == 404


def test_status_change_asks_for_confirmation_and_follows_the_table(client, world):
    plan = PlanFactory(issuing_unit=world.province, status="draft")
    login(client, world.staff)
    url = reverse("plans:plan_transition", args=[plan.pk, "in_force"])
    assert "Xác nhận" in client.get(url).content.decode()
    plan.refresh_from_db()
    assert plan.status == "draft"
    client.post(url)
    plan.refresh_from_db()
    assert plan.status == "in_force"
    client.post(reverse("plans:plan_transition", args=[plan.pk, "draft"]))
    plan.refresh_from_db()
    assert plan.status == "in_force"
    assert ActivityLog.objects.filter(verb="Chuyển trạng thái kế hoạch OCOP").count() == 1


def _queries(client, url):
    client.get(url)  # warm
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_and_detail_query_counts_do_not_grow_with_plans_or_records(client, world):
    login(client, world.viewer)
    plan = PlanFactory(issuing_unit=world.cho_lach, year_from=2022, year_to=2025)
    TargetFactory(plan=plan, indicator="new_3star", year=2023, value=2)
    certify(world.hoa_nghia, 3, D(2023, 4, 12))
    list_one, detail_one = _queries(client, reverse("plans:plan_list")), _queries(client, plan.get_absolute_url())
    for n in range(4):
        PlanFactory(issuing_unit=[world.ben_tre, world.province, world.mang_thit, world.a][n])
        certify(world.son_dinh, 3 + n % 3, D(2023, 5, 1 + n))
    TargetFactory(plan=plan, indicator="four_star", year=2024, value=1)
    assert (_queries(client, reverse("plans:plan_list")), _queries(client, plan.get_absolute_url())) == (
        list_one, detail_one)


# --- showrooms -------------------------------------------------------------------------------------------
def test_staff_record_a_showroom_in_a_pre_reform_commune_and_it_counts(client, world):
    from plans.models import Showroom

    from .factories import ShowroomFactory

    login(client, world.staff)
    response = client.post(reverse("plans:showroom_create"), {
        "name": "Điểm giới thiệu sản phẩm OCOP Hòa Nghĩa", "commune": world.hoa_nghia.pk,
        "owner_name": "HTX Dừa Hòa Nghĩa", "address": "", "opened_on": "2024-09-02", "closed_on": ""})
    assert response.status_code == 302
    showroom = Showroom.objects.get()
    assert (showroom.commune, showroom.opened_on) == (world.hoa_nghia, D(2024, 9, 2))
    assert ActivityLog.objects.get(verb="Ghi nhận điểm bán sản phẩm OCOP").actor == world.staff
    bad = client.post(reverse("plans:showroom_create"), {"name": "x", "commune": world.far.pk, "owner_name": "y",
                                                         "opened_on": "2024-09-02"})
    assert bad.context["form"].errors == {"commune": ["Xã, phường này không thuộc phạm vi của bạn."]}
    ShowroomFactory(commune=world.far)

    login(client, world.viewer)
    listed = client.get(reverse("plans:showroom_list"))
    assert [s.name for s in listed.context["showrooms"]] == ["Điểm giới thiệu sản phẩm OCOP Hòa Nghĩa"]
    assert "Xã Hòa Nghĩa (cũ, Tỉnh Bến Tre)" in listed.content.decode()
    assert client.get(reverse("plans:showroom_create")).status_code == 404
    assert client.get(reverse("plans:showroom_edit", args=[showroom.pk])).status_code == 404


def test_showroom_list_query_count_does_not_grow(client, world):
    from .factories import ShowroomFactory

    login(client, world.viewer)
    ShowroomFactory(commune=world.a)
    one = _queries(client, reverse("plans:showroom_list"))
    for commune in (world.b, world.my_an, world.son_dinh):
        ShowroomFactory(commune=commune)
    assert _queries(client, reverse("plans:showroom_list")) == one


def test_the_indicator_catalogue_shows_each_definition(client, world):
    from plans.indicators import all_indicators

    login(client, world.viewer)
    page = client.get(reverse("plans:indicator_list")).content.decode()
    assert page.count("<code>") == len(all_indicators()) >= 20
    assert "Sản phẩm được công nhận lần đầu từ 3 sao trở lên trong kỳ" in page
    login(client, world.staff)
    plan = PlanFactory(issuing_unit=world.province, status="draft")
    client.post(reverse("plans:plan_transition", args=[plan.pk, "in_force"]))
    assert "Chuyển trạng thái kế hoạch OCOP" in client.get(plan.get_absolute_url()).content.decode()


# --- trainings --------------------------------------------------------------------------------------------
def test_staff_record_a_training_and_the_viewer_lists_it(client, world):
    from plans.models import Training

    from .factories import TrainingFactory

    login(client, world.staff)
    data = {"title": "Tập huấn kỹ năng bán hàng trên sàn thương mại điện tử", "commune": world.son_dinh.pk,
            "held_on": "2024-03-05", "participants": "50", "managers": "60", "organiser": ""}
    bad = client.post(reverse("plans:training_create"), data)
    assert bad.context["form"].errors == {"managers": ["Số cán bộ quản lý, chủ thể không vượt số người tham gia."]}
    assert client.post(reverse("plans:training_create"), data | {"managers": "20"}).status_code == 302
    training = Training.objects.get()
    assert (training.commune, training.held_on, training.managers) == (world.son_dinh, D(2024, 3, 5), 20)
    assert ActivityLog.objects.get(verb="Ghi nhận lớp tập huấn").actor == world.staff
    TrainingFactory(commune=world.far)

    login(client, world.viewer)
    one = _queries(client, reverse("plans:training_list"))
    assert [t.title for t in client.get(reverse("plans:training_list")).context["trainings"]] == [training.title]
    TrainingFactory(commune=world.a)
    TrainingFactory(commune=world.my_an)
    assert _queries(client, reverse("plans:training_list")) == one
    assert client.get(reverse("plans:training_create")).status_code == 404


# --- community organisations and new-rural communes -------------------------------------------------------
def test_staff_record_a_community_organisation_and_the_viewer_lists_it(client, world):
    from plans.models import CommunityOrganisation

    from .factories import CommunityOrganisationFactory

    login(client, world.staff)
    data = {"name": "Hợp tác xã Dừa sáp Chợ Lách", "commune": world.son_dinh.pk, "kind": "restructured",
            "happened_on": "", "note": ""}
    bad = client.post(reverse("plans:community_organisation_create"), data)
    assert bad.context["form"].errors == {"happened_on": ["Hãy nhập ngày thành lập, kiện toàn."]}
    far = client.post(reverse("plans:community_organisation_create"),
                      data | {"happened_on": "2024-03-05", "commune": world.far.pk})
    assert far.context["form"].errors == {"commune": ["Xã, phường này không thuộc phạm vi của bạn."]}
    response = client.post(reverse("plans:community_organisation_create"), data | {"happened_on": "2024-03-05"})
    assert response.status_code == 302
    organisation = CommunityOrganisation.objects.get()
    assert (organisation.commune, organisation.kind, organisation.happened_on) == (
        world.son_dinh, "restructured", D(2024, 3, 5))
    assert ActivityLog.objects.get(verb="Ghi nhận tổ chức kinh tế cộng đồng").actor == world.staff
    client.post(reverse("plans:community_organisation_edit", args=[organisation.pk]),
                data | {"happened_on": "2024-04-01"})
    organisation.refresh_from_db()
    assert organisation.happened_on == D(2024, 4, 1)
    assert ActivityLog.objects.filter(verb="Sửa tổ chức kinh tế cộng đồng").count() == 1
    hidden = CommunityOrganisationFactory(commune=world.far)

    login(client, world.viewer)
    url = reverse("plans:community_organisation_list")
    one = _queries(client, url)
    assert [o.name for o in client.get(url).context["organisations"]] == [organisation.name]
    CommunityOrganisationFactory(commune=world.a)
    CommunityOrganisationFactory(commune=world.my_an)
    assert _queries(client, url) == one
    assert client.get(reverse("plans:community_organisation_create")).status_code == 404
    login(client, world.staff)
    assert client.get(reverse("plans:community_organisation_edit", args=[hidden.pk])).status_code == 404


def test_staff_record_a_new_rural_commune_once_per_level_and_year_and_the_viewer_lists_it(client, world):
    from plans.models import NewRuralRecognition

    from .factories import NewRuralRecognitionFactory

    login(client, world.staff)
    data = {"commune": world.hoa_nghia.pk, "level": "model", "year": "2023", "decision_number": "1234/QĐ-UBND"}
    assert client.post(reverse("plans:new_rural_create"), data).status_code == 302
    recognition = NewRuralRecognition.objects.get()
    assert (recognition.commune, recognition.level, recognition.year) == (world.hoa_nghia, "model", 2023)
    assert ActivityLog.objects.get(verb="Ghi nhận xã đạt chuẩn nông thôn mới").actor == world.staff
    again = client.post(reverse("plans:new_rural_create"), data)
    assert again.status_code == 400
    assert again.context["form"].non_field_errors() == ["Xã này đã được ghi nhận đạt chuẩn ở mức này trong năm đó."]
    assert client.post(reverse("plans:new_rural_create"), data | {"year": "2009"}).context["form"].errors == {
        "__all__": ["Năm đạt chuẩn phải từ 2010 đến 2100."]}
    NewRuralRecognitionFactory(commune=world.far)

    login(client, world.viewer)
    url = reverse("plans:new_rural_list")
    one = _queries(client, url)
    page = client.get(url)
    assert [r.commune_label for r in page.context["recognitions"]] == ["Xã Hòa Nghĩa (cũ, Tỉnh Bến Tre)"]
    NewRuralRecognitionFactory(commune=world.a)
    NewRuralRecognitionFactory(commune=world.son_dinh, year=2024)
    assert _queries(client, url) == one
    assert client.get(reverse("plans:new_rural_create")).status_code == 404
