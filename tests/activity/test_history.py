"""The history block on every record page: each changed field in the reader's words."""
import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from accounts.enums import Role
from activity.models import ActivityLog
from activity.selectors import activity_for
from activity.services import activity_record
from evaluations import services
from evaluations.enums import CouncilRole, FindingKind, RoundPhase
from tests.evaluations.factories import (
    CouncilFactory,
    MembershipFactory,
    RoundEntryFactory,
    RoundFactory,
    legal_document,
)
from tests.factories import ProvinceFactory, UserFactory, user_with_role
from units.enums import Kind

HISTORY = Template("{% include 'activity/_history.html' %}")


@pytest.mark.django_db
def test_history_names_fields_by_their_labels_and_shows_choices_and_dates_as_people_read_them():
    target = ProvinceFactory(name="Tỉnh Thử")
    activity_record(
        actor=UserFactory(full_name="Lê Minh Tâm"), verb="Sửa đơn vị", target=target,
        before={"kind": Kind.PROVINCE, "valid_to": None},
        after={"kind": Kind.CENTRAL_CITY, "valid_to": datetime.date(2025, 6, 30), "note_only_in_log": "x"},
    )

    html = HISTORY.render(Context({"history": activity_for(target)}))

    assert "loại: <span class=\"text-muted\">Tỉnh</span> → Thành phố trực thuộc trung ương" in html
    assert "hiệu lực đến: " in html and "30/06/2025" in html
    assert "2025-06-30" not in html and "valid_to" not in html
    assert "note only in log: x" in html  # a key that is no field keeps a readable name


@pytest.mark.django_db
def test_history_costs_the_same_queries_for_one_entry_and_many(django_assert_num_queries):
    target = ProvinceFactory()
    actor = UserFactory()
    activity_record(actor=actor, verb="Sửa", target=target, before={"kind": Kind.PROVINCE}, after={"kind": Kind.CENTRAL_CITY})
    HISTORY.render(Context({"history": activity_for(target)}))  # fills the content-type cache
    with django_assert_num_queries(1):
        HISTORY.render(Context({"history": activity_for(target)}))
    for i in range(20):
        activity_record(actor=actor, verb="Sửa", target=target, before={"name": f"A{i}"}, after={"name": f"B{i}"})
    with django_assert_num_queries(1):
        html = HISTORY.render(Context({"history": activity_for(target)}))
    assert html.count("tên: ") == 20


@pytest.mark.django_db
def test_every_logged_verb_is_vietnamese_text_even_from_an_english_request():
    """A round's history is read by Vietnamese staff: verbs are stored in Vietnamese, never as code names."""
    legal_document()
    council = CouncilFactory()
    MembershipFactory(council=council, role=CouncilRole.CHAIR)
    staff = user_with_role(Role.PROVINCE_STAFF, council.province)
    with translation.override("en"):
        round_ = services.round_open(
            province=council.province, council=council, year=2026, number=2, title="Kỳ đánh giá đợt 2 năm 2026",
            opens_on=datetime.date(2026, 7, 1), forward_deadline=datetime.date(2026, 10, 30),
            closes_on=datetime.date(2026, 12, 30), by=staff,
        )
    verbs = list(ActivityLog.objects.filter(object_id=str(round_.pk)).values_list("verb", flat=True))
    assert verbs == ["Mở kỳ đánh giá"]
    html = HISTORY.render(Context({"history": activity_for(round_)}))
    assert "Tiếp nhận hồ sơ" in html and "intake" not in html  # the phase by its label


@pytest.mark.django_db
def test_an_advisory_finding_reads_in_vietnamese_in_the_rounds_history():
    round_ = RoundFactory(phase=RoundPhase.ADVISORY_REVIEW)
    entry = RoundEntryFactory(round=round_)
    staff = user_with_role(Role.PROVINCE_STAFF, round_.province)
    services.advisory_finding_record(round=round_, dossier=entry.dossier, kind=FindingKind.SITE_VISIT,
                                     visited_on=datetime.date(2026, 11, 25), text="Đúng như hồ sơ.", by=staff)

    html = HISTORY.render(Context({"history": activity_for(round_)}))

    assert f"hồ sơ: {entry.dossier.product_name}" in html
    assert "loại ý kiến: Khảo sát thực tế" in html
    assert "site_visit" not in html and "dossier:" not in html


@pytest.mark.django_db
def test_a_dossiers_history_names_revision_fields_and_reads_yes_no_not_snake_case_and_booleans():
    from registrations.services import dossier_update
    from tests.factories import CommuneFactory
    from tests.registrations.factories import DossierFactory

    commune = CommuneFactory()
    officer = user_with_role(Role.COMMUNE_OFFICER, commune)
    dossier = DossierFactory(producer__commune=commune, status="draft")
    dossier.revisions.update(has_business_registration=False)
    dossier_update(dossier=dossier, by=officer, revision_data={
        "has_business_registration": True, "intellectual_property": "Nhãn hiệu “Kẹo dừa Chợ Lách”"})

    html = HISTORY.render(Context({"history": activity_for(dossier)}))

    assert 'có đăng ký kinh doanh: <span class="text-muted">không</span> → có' in html
    assert "tài sản trí tuệ (nhãn hiệu, chỉ dẫn địa lý, sáng chế…): Nhãn hiệu “Kẹo dừa Chợ Lách”" in html
    assert "has business registration" not in html and "intellectual property" not in html
    assert "False" not in html and "True" not in html


@pytest.mark.django_db
def test_a_count_logged_beside_the_fields_has_a_vietnamese_label():
    target = ProvinceFactory(name="Tỉnh Thử")
    activity_record(actor=None, verb="Lập dự thảo quyết định", target=target, after={"items": 2})
    html = HISTORY.render(Context({"history": activity_for(target)}))
    assert "số sản phẩm: 2" in html and "items" not in html
