from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations import services
from evaluations.enums import RoundPhase
from evaluations.models import Assignment, ScoreSheet
from tests.factories import PASSWORD

from .factories import RoundEntryFactory, option_ids

pytestmark = pytest.mark.django_db


def login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def score_url(setup, entry=None):
    entry = entry or setup.entry
    return reverse("evaluations:entry_score", args=[entry.round_id, entry.dossier_id])


def test_the_scoring_page_shows_one_radio_group_per_criterion_and_the_running_totals(client, setup):
    member = setup.members[0]
    services.score_sheet_save(entry=setup.entry, by=member.user, choices=option_ids(setup.rubric, {"1.1": 25}))

    response = login(client, member.user).get(score_url(setup))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<fieldset") == 3
    assert html.count('type="radio"') == 9
    assert "Lưu và chuyển hồ sơ tiếp theo" in html
    assert 'data-testid="total">25,00<' in html
    assert "Đạt yêu cầu tối thiểu đến hạng 3★" in html


def test_a_normal_post_saves_and_submits_without_javascript(client, setup):
    member = setup.members[0]
    data = {f"c{c}": o for c, o in option_ids(setup.rubric, {"1.1": 25, "4.1": 15, "9": 35}).items()}

    response = login(client, member.user).post(score_url(setup), {**data, "action": "submit"})

    assert response.status_code == 302
    assert ScoreSheet.objects.get(member=member).total == 75


def test_autosave_returns_the_totals_partial(client, setup):
    member = setup.members[0]
    data = {f"c{c}": o for c, o in option_ids(setup.rubric, {"1.1": 40, "4.1": 15}).items()}

    response = login(client, member.user).post(
        reverse("evaluations:entry_autosave", args=[setup.round.pk, setup.dossier.pk]), data, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert 'data-testid="total">55,00<' in response.content.decode()
    assert ScoreSheet.objects.get(member=member).status == "draft"


def test_save_and_next_goes_to_the_assigned_dossier_with_fewest_submitted_sheets(client, setup):
    member = setup.members[0]
    busy, quiet = RoundEntryFactory(round=setup.round), RoundEntryFactory(round=setup.round)
    for entry in (busy, quiet):
        Assignment.objects.create(round=setup.round, dossier=entry.dossier, member=member)
        Assignment.objects.create(round=setup.round, dossier=entry.dossier, member=setup.chair)
    services.score_sheet_submit(entry=busy, by=setup.chair.user,
                                choices=option_ids(busy.rubric, {"1.1": 25, "4.1": 15, "9": 35}))

    response = login(client, member.user).post(score_url(setup), {"action": "save_next"})

    assert response["Location"] == score_url(setup, quiet)


def test_members_see_others_only_after_submitting(client, setup):
    first, second = setup.members
    services.score_sheet_submit(entry=setup.entry, by=first.user,
                                choices=option_ids(setup.rubric, {"1.1": 25, "4.1": 15, "9": 35}))
    login(client, second.user)

    before = client.get(score_url(setup)).content.decode()
    services.score_sheet_submit(entry=setup.entry, by=second.user,
                                choices=option_ids(setup.rubric, {"1.1": 40, "4.1": 15, "9": 35}))
    after = client.get(score_url(setup)).content.decode()

    assert 'data-testid="peers-hidden"' in before and str(first.user) not in before
    assert 'data-testid="peers"' in after and str(first.user) in after


def test_a_plain_member_sees_only_assigned_dossiers(client, setup):
    other = RoundEntryFactory(round=setup.round)
    response = login(client, setup.members[0].user).get(reverse("evaluations:round_detail", args=[setup.round.pk]))
    html = response.content.decode()
    assert setup.dossier.product_name in html and other.dossier.product_name not in html
    assert client.get(score_url(setup, other)).status_code == 404


def test_the_results_page_explains_the_star(client, setup):
    for m, pts in ((setup.chair, 15), (setup.secretary, 5), (setup.members[0], 5)):
        services.score_sheet_submit(entry=setup.entry, by=m.user,
                                    choices=option_ids(setup.rubric, {"1.1": 25, "4.1": pts, "9": 35}))
    services.round_transition(round=setup.round, to=RoundPhase.COUNCIL_MEETING, by=setup.staff)
    services.round_transition(round=setup.round, to=RoundPhase.CLOSED, by=setup.chair.user)

    html = login(client, setup.members[0].user).get(reverse("evaluations:round_results", args=[setup.round.pk])).content.decode()

    assert "Điểm trung bình 68,33 của 3 phiếu → hạng 3★" in html
    assert "Đạt các yêu cầu tối thiểu của hạng 3★" in html


def test_the_secretariat_places_and_moves_phases_from_the_round_page(client, setup):
    login(client, setup.staff)
    response = client.post(reverse("evaluations:round_transition", args=[setup.round.pk]), {"to": "council_meeting"})
    setup.round.refresh_from_db()
    assert (response.status_code, setup.round.phase) == (302, RoundPhase.COUNCIL_MEETING)


def _score_by_quorum(setup, entry):
    for m in (setup.chair, setup.secretary, setup.members[1]):
        services.score_sheet_submit(entry=entry, by=m.user,
                                    choices=option_ids(entry.rubric, {"1.1": 25, "4.1": 15, "9": 35}))


def _make_entries(setup, n):
    for _ in range(n - 1):
        entry = RoundEntryFactory(round=setup.round)
        for m in (setup.chair, setup.secretary, *setup.members):
            Assignment.objects.create(round=setup.round, dossier=entry.dossier, member=m)
        _score_by_quorum(setup, entry)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["member", "staff"])
def test_the_scoring_list_keeps_its_query_count_for_1_and_40_dossiers(client, setup, who):
    user = setup.members[0].user if who == "member" else setup.staff
    login(client, user)
    url = reverse("evaluations:round_detail", args=[setup.round.pk])
    one = _count(client, url)
    _make_entries(setup, 40)
    many = _count(client, url)
    assert client.get(url).content.decode().count("/ho-so/") >= 40
    assert one == many


def test_the_results_page_keeps_its_query_count_for_1_and_40_dossiers(client, setup):
    login(client, setup.members[0].user)
    url = reverse("evaluations:round_results", args=[setup.round.pk])
    _score_by_quorum(setup, setup.entry)
    services.round_transition(round=setup.round, to=RoundPhase.COUNCIL_MEETING, by=setup.staff)
    services.round_transition(round=setup.round, to=RoundPhase.CLOSED, by=setup.chair.user)
    one = _count(client, url)

    from evaluations.models import Result
    from evaluations.selectors import round_rankings

    Result.objects.all().delete()
    from evaluations.models import Round

    Round.objects.filter(pk=setup.round.pk).update(phase=RoundPhase.SCORING)
    setup.round.refresh_from_db()
    _make_entries(setup, 40)
    Round.objects.filter(pk=setup.round.pk).update(phase=RoundPhase.COUNCIL_MEETING)
    setup.round.refresh_from_db()
    services.results_freeze(round_=setup.round, by=setup.chair.user)
    Round.objects.filter(pk=setup.round.pk).update(phase=RoundPhase.CLOSED)

    many = _count(client, url)
    assert Result.objects.filter(round=setup.round).count() == 40
    assert one == many
    assert round_rankings  # imported for the preview path, exercised in test_services


def test_the_secretariat_assigns_by_hand_and_by_product_group(client, setup):
    other = RoundEntryFactory(round=setup.round)
    login(client, setup.staff)
    url = reverse("evaluations:round_assign", args=[setup.round.pk])

    client.post(url, {"mode": "manual", "dossier": other.dossier.pk, "member": setup.members[1].pk})
    client.post(url, {"mode": "group", "product_group": other.dossier.product_set.group_id,
                      "member": [setup.chair.pk, setup.secretary.pk]})

    assigned = set(Assignment.objects.filter(dossier=other.dossier).values_list("member_id", flat=True))
    assert assigned == {setup.members[1].pk, setup.chair.pk, setup.secretary.pk}


def test_the_secretariat_opens_a_round_from_the_form(client, setup):
    login(client, setup.staff)
    response = client.post(reverse("evaluations:round_open"), {
        "province": setup.province.pk, "council": setup.council.pk, "kind": "regular", "year": 2027, "number": 1,
        "opens_on": "2027-01-05", "forward_deadline": "2027-04-30", "closes_on": "2027-06-30",
    })
    from evaluations.models import Round

    round_ = Round.objects.get(year=2027)
    assert response["Location"] == reverse("evaluations:round_detail", args=[round_.pk])
    assert (round_.legal_document.number, round_.phase) == ("26/2026/QĐ-TTg", RoundPhase.INTAKE)


def test_a_council_member_cannot_reach_the_round_form(client, setup):
    assert login(client, setup.chair.user).get(reverse("evaluations:round_open")).status_code == 404


def test_the_advisory_group_records_a_site_visit_and_a_knock_out(client, setup):
    from accounts.enums import Role
    from evaluations.enums import CouncilKind
    from evaluations.models import AdvisoryFinding, KnockoutCondition, Round
    from tests.factories import user_with_role

    from .factories import CouncilFactory, MembershipFactory

    group = CouncilFactory(province=setup.province, kind=CouncilKind.ADVISORY_GROUP)
    adviser = MembershipFactory(council=group, user=user_with_role(Role.ADVISORY_MEMBER, setup.province))
    Round.objects.filter(pk=setup.round.pk).update(advisory_group=group, phase=RoundPhase.ADVISORY_REVIEW)
    login(client, adviser.user)
    url = reverse("evaluations:entry_finding", args=[setup.round.pk, setup.dossier.pk])

    client.post(url, {"kind": "site_visit", "text": "Cơ sở sạch, đúng hồ sơ", "visited_on": "2026-09-10"})
    client.post(url, {"kind": "knockout", "text": "Giấy ATTP hết hạn",
                      "knockout_condition": KnockoutCondition.objects.get(rubric=setup.rubric).pk})

    assert list(AdvisoryFinding.objects.order_by("pk").values_list("kind", "text")) == [
        ("site_visit", "Cơ sở sạch, đúng hồ sơ"), ("knockout", "Giấy ATTP hết hạn"),
    ]
    html = client.get(score_url(setup)).content.decode()
    assert "Khảo sát thực tế" in html and "Giấy ATTP hết hạn" in html


BIG = "9" * 25  # no database id is this large


def test_malformed_ids_on_the_round_pages_are_4xx_not_500(client, setup):
    login(client, setup.staff)
    assign = reverse("evaluations:round_assign", args=[setup.round.pk])
    place = reverse("evaluations:round_place", args=[setup.round.pk])
    posts = [
        (assign, {"mode": "manual", "member": "abc", "dossier": "x"}),
        (assign, {"mode": "manual", "member": BIG, "dossier": BIG}),
        (assign, {"mode": "manual", "member": "-3", "dossier": "١٢"}),  # Arabic-Indic digits pass str.isdigit()
        (assign, {"mode": "group", "product_group": "abc", "member": ["x", BIG]}),
        (assign, {"mode": "group", "product_group": BIG}),
        (place, {"dossier": [BIG, "abc"]}),
    ]

    codes = [client.post(url, data).status_code for url, data in posts]

    assert codes == [404, 404, 404, 404, 404, 302]
    assert Assignment.objects.filter(round=setup.round).count() == 4


def test_malformed_choices_on_the_scoring_page_are_ignored_not_500(client, setup):
    member = setup.members[0]
    login(client, member.user)
    [(criterion_id, option_id)] = option_ids(setup.rubric, {"1.1": 25}).items()

    saved = client.post(score_url(setup), {f"c{BIG}": BIG, f"c{criterion_id}": option_id, "c-1": "2", "action": "save"})
    autosaved = client.post(reverse("evaluations:entry_autosave", args=[setup.round.pk, setup.dossier.pk]),
                            {f"c{BIG}": "1", "cabc": "2"})

    assert (saved.status_code, autosaved.status_code) == (302, 200)
    assert list(ScoreSheet.objects.get(member=member).choices.values_list("option_id", flat=True)) == [option_id]


def test_the_running_totals_show_the_maxima_of_the_sheet_being_scored(client, setup):
    """A 1048/2019 sheet is 35/25/40: the score sheet must not print 40/25/35 under it."""
    from evaluations.models import Round

    from .factories import _in_round_dossier, legal_document, small_rubric

    old = Round.objects.create(
        province=setup.province, council=setup.council, year=2021, number=1, opens_on="2021-03-01",
        forward_deadline="2021-04-30", closes_on="2021-06-30", phase=RoundPhase.SCORING,
        legal_document=legal_document("1048/QĐ-TTg"), authority_basis="1048/QĐ-TTg",
    )
    dossier = _in_round_dossier(setup.province)
    entry = RoundEntryFactory(round=old, dossier=dossier,
                              rubric=small_rubric(dossier.product_set, number="1048/QĐ-TTg", split=(35, 25, 40)))
    Assignment.objects.create(round=old, dossier=dossier, member=setup.members[0])

    html = login(client, setup.members[0].user).get(score_url(setup, entry)).content.decode()

    assert "<strong>0,00</strong> / 35</div>" in html  # part A
    assert "<strong>0,00</strong> / 40</div>" in html  # part C
    assert "/ 100</div>" in html


def test_a_mean_just_under_a_band_edge_is_never_shown_rounded_up(client, setup):
    """69.995 is 3★: the results table must not print it as 70,00 beside 3★."""
    from evaluations.models import Council, Option, Result

    Council.objects.filter(pk=setup.council.pk).update(quorum_ratio="0.5")  # two sheets with the chair suffice
    Option.objects.filter(rubric=setup.rubric, criterion__code="9", points=35).update(points="29.99")
    services.score_sheet_submit(entry=setup.entry, by=setup.chair.user,
                                choices=option_ids(setup.rubric, {"1.1": 25, "4.1": 15, "9": "29.99"}))  # 69.99
    services.score_sheet_submit(entry=setup.entry, by=setup.secretary.user,
                                choices=option_ids(setup.rubric, {"1.1": 25, "4.1": 25, "9": 20}))  # 70.00
    services.round_transition(round=setup.round, to=RoundPhase.COUNCIL_MEETING, by=setup.staff)
    services.round_transition(round=setup.round, to=RoundPhase.CLOSED, by=setup.chair.user)

    result = Result.objects.get(round=setup.round)
    html = login(client, setup.staff).get(reverse("evaluations:round_results", args=[setup.round.pk])).content.decode()

    assert (result.mean, result.band_star, result.final_star) == (Decimal("69.9950"), 3, 3)
    assert ">69,99<" in html and "70,00" not in html
    assert "Điểm trung bình 69,99 của 2 phiếu → hạng 3★" in html


@pytest.mark.parametrize("who", ["staff", "chair"])
def test_the_live_results_preview_keeps_its_query_count_for_1_and_40_dossiers(client, setup, who):
    """Before closing, those who run the round see the ranking computed live: still a fixed number of queries."""
    login(client, setup.staff if who == "staff" else setup.chair.user)
    url = reverse("evaluations:round_results", args=[setup.round.pk])
    _score_by_quorum(setup, setup.entry)
    one = _count(client, url)
    _make_entries(setup, 40)
    many = _count(client, url)
    assert client.get(url).content.decode().count("→ hạng") == 40
    assert one == many


# --- closing asks first; a spread over the limit is concluded by the chair; minutes never 500 -----------
def _meeting_with_spread(setup):
    for m, nine in ((setup.chair, 35), (setup.secretary, 20), (setup.members[0], 35)):
        services.score_sheet_submit(entry=setup.entry, by=m.user,
                                    choices=option_ids(setup.rubric, {"1.1": 40, "4.1": 25, "9": nine}))
    services.round_transition(round=setup.round, to=RoundPhase.COUNCIL_MEETING, by=setup.staff)


def test_closing_without_confirmation_shows_what_will_happen_and_changes_nothing(client, setup):
    for m in (setup.chair, setup.secretary, setup.members[0]):
        services.score_sheet_submit(entry=setup.entry, by=m.user,
                                    choices=option_ids(setup.rubric, {"1.1": 25, "4.1": 15, "9": 35}))
    services.round_transition(round=setup.round, to=RoundPhase.COUNCIL_MEETING, by=setup.staff)
    login(client, setup.chair.user)
    transition = reverse("evaluations:round_transition", args=[setup.round.pk])
    confirm = reverse("evaluations:round_close_confirm", args=[setup.round.pk])

    response = client.post(transition, {"to": "closed"})
    assert (response.status_code, response["Location"]) == (302, confirm)
    setup.round.refresh_from_db()
    assert setup.round.phase == RoundPhase.COUNCIL_MEETING

    html = client.get(confirm).content.decode()
    assert "Thao tác này không hoàn tác được." in html
    assert "chờ quyết định công nhận" in html
    assert 'name="confirmed" value="1"' in html

    response = client.post(transition, {"to": "closed", "confirmed": "1"})
    setup.round.refresh_from_db()
    assert (response.status_code, setup.round.phase) == (302, RoundPhase.CLOSED)


def test_the_close_page_is_the_chairs_alone(client, setup):
    services.round_transition(round=setup.round, to=RoundPhase.COUNCIL_MEETING, by=setup.staff)
    confirm = reverse("evaluations:round_close_confirm", args=[setup.round.pk])
    assert login(client, setup.secretary.user).get(confirm).status_code == 404
    assert login(client, setup.chair.user).get(confirm).status_code == 200


def test_a_spread_over_the_limit_blocks_the_close_page_until_the_chair_records_a_conclusion(client, setup):
    _meeting_with_spread(setup)
    login(client, setup.chair.user)
    confirm = reverse("evaluations:round_close_confirm", args=[setup.round.pk])
    html = client.get(confirm).content.decode()
    assert 'data-testid="close-blocked"' in html
    assert 'name="confirmed"' not in html

    results = client.get(reverse("evaluations:round_results", args=[setup.round.pk])).content.decode()
    assert "Ghi kết luận của hội đồng" in results
    url = reverse("evaluations:spread_conclusion", args=[setup.round.pk, setup.dossier.pk])
    assert login(client, setup.secretary.user).post(url, {"reason": "Giữ điểm"}).status_code == 404
    login(client, setup.chair.user).post(url, {"reason": "Hội đồng thống nhất giữ kết quả"})

    html = client.get(confirm).content.decode()
    assert 'data-testid="close-blocked"' not in html
    assert 'name="confirmed" value="1"' in html
    results = client.get(reverse("evaluations:round_results", args=[setup.round.pk])).content.decode()
    assert "Kết luận của hội đồng: Hội đồng thống nhất giữ kết quả" in results


def test_a_minutes_file_lost_from_storage_answers_404_and_is_rendered_again(client, setup,
                                                                           django_capture_on_commit_callbacks):
    for m in (setup.chair, setup.secretary, setup.members[0]):
        services.score_sheet_submit(entry=setup.entry, by=m.user,
                                    choices=option_ids(setup.rubric, {"1.1": 25, "4.1": 15, "9": 35}))
    services.round_transition(round=setup.round, to=RoundPhase.COUNCIL_MEETING, by=setup.staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.round_transition(round=setup.round, to=RoundPhase.CLOSED, by=setup.chair.user)
    setup.round.refresh_from_db()
    setup.round.minutes_pdf.storage.delete(setup.round.minutes_pdf.name)
    url = reverse("evaluations:round_minutes", args=[setup.round.pk])
    login(client, setup.staff)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.get(url)
    assert response.status_code == 404
    assert "hệ thống đang tạo lại" in response.content.decode()
    assert len(callbacks) == 1

    response = client.get(url)
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert b"".join(response.streaming_content).startswith(b"%PDF")


# --- issue 8, item 12: an administrator who is no council member posting a score sheet ---------------------
@pytest.mark.parametrize("action", ["save", "submit"])
def test_an_administrator_who_is_no_member_posting_the_scoring_page_gets_404(client, setup, action):
    from accounts.enums import Role
    from tests.factories import user_with_role

    admin = user_with_role(Role.ADMINISTRATOR)
    data = {f"c{c}": o for c, o in option_ids(setup.rubric, {"1.1": 25, "4.1": 15, "9": 35}).items()}

    response = login(client, admin).post(score_url(setup), {**data, "action": action})

    assert response.status_code == 404
    assert ScoreSheet.objects.count() == 0


def test_an_administrator_who_is_no_member_autosaving_gets_404(client, setup):
    from accounts.enums import Role
    from tests.factories import user_with_role

    admin = user_with_role(Role.ADMINISTRATOR)
    data = {f"c{c}": o for c, o in option_ids(setup.rubric, {"1.1": 40}).items()}

    response = login(client, admin).post(
        reverse("evaluations:entry_autosave", args=[setup.round.pk, setup.dossier.pk]), data, HTTP_HX_REQUEST="true")

    assert response.status_code == 404
    assert ScoreSheet.objects.count() == 0


def test_an_administrator_still_opens_the_scoring_page_to_read_it(client, setup):
    from accounts.enums import Role
    from tests.factories import user_with_role

    response = login(client, user_with_role(Role.ADMINISTRATOR)).get(score_url(setup))

    assert response.status_code == 200
    assert response.context["can_score"] is False


def test_the_round_form_offers_a_vietnamese_empty_choice(client, setup):
    page = login(client, setup.staff).get(reverse("evaluations:round_open"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert ("- Select an option -" in page, "---------" in page) == (False, False)
    assert page.count(">— Chọn —</option>") == 3  # province, council, advisory group


def test_a_round_closing_before_it_opens_is_refused_in_vietnamese(client, setup):
    from evaluations.models import Round

    login(client, setup.staff)
    response = client.post(reverse("evaluations:round_open"), {
        "province": setup.province.pk, "council": setup.council.pk, "kind": "regular", "year": 2027, "number": 1,
        "opens_on": "2027-06-30", "forward_deadline": "2027-07-15", "closes_on": "2027-01-05",
    }, HTTP_ACCEPT_LANGUAGE="vi")
    page = response.content.decode()
    assert "Hạn kết thúc phải sau hoặc bằng ngày bắt đầu kỳ đánh giá." in page
    assert ("Constraint" in page, "round_closes_after_open" in page) == (False, False)
    assert not Round.objects.filter(year=2027).exists()


def test_the_scoring_page_links_each_criterion_not_yet_scored(setup, client):
    user = setup.members[0].user
    services.score_sheet_save(entry=setup.entry, by=user, choices=option_ids(setup.rubric, {"1.1": 25}))
    client.login(username=user.username, password=PASSWORD)
    html = client.get(reverse("evaluations:entry_score", args=[setup.round.pk, setup.dossier.pk])).content.decode()
    unscored = html.split('id="unscored"')[1].split("</div>")[0]
    ids = {c.code: c.pk for c in setup.rubric.criteria.all()}
    assert f'<a class="alert-link" href="#crit-{ids["4.1"]}">4.1</a>, <a class="alert-link" href="#crit-{ids["9"]}">9</a>' in unscored
    assert "1.1" not in unscored
    assert f'id="crit-{ids["4.1"]}"' in html


def test_the_round_page_lists_who_scores_which_dossier_and_puts_the_forward_step_first(setup, client):
    client.login(username=setup.staff.username, password=PASSWORD)
    html = client.get(reverse("evaluations:round_detail", args=[setup.round.pk])).content.decode()
    scorers = html.split('data-testid="scorers">')[1].split("</td>")[0]
    for m in [setup.chair, setup.secretary, *setup.members]:
        assert str(m.user) in scorers
    forward, back = html.index('data-testid="phase-forward"'), html.index('data-testid="phase-back"')
    assert forward < back
    assert 'class="btn btn-primary btn-sm" type="submit" data-testid="phase-forward">Chuyển sang “Họp hội đồng”' in html
    assert html.count('data-testid="phase-back"') == 1


def test_a_plain_member_does_not_see_the_other_scorers(setup, client):
    client.login(username=setup.members[0].user.username, password=PASSWORD)
    html = client.get(reverse("evaluations:round_detail", args=[setup.round.pk])).content.decode()
    assert 'data-testid="scorers"' not in html


def test_the_only_province_and_the_only_council_are_chosen_already_when_opening_a_round(setup):
    from evaluations.forms import RoundOpenForm
    from units.models import AdministrativeUnit

    form = RoundOpenForm(provinces=AdministrativeUnit.objects.filter(pk=setup.province.pk))
    assert (form["province"].value(), form["council"].value()) == (setup.province.pk, setup.council.pk)
    assert form["advisory_group"].value() is None  # optional: left to the user


def test_each_5_star_result_awaiting_the_central_council_has_its_own_labelled_form(client, setup):
    from evaluations.models import Result

    _make_entries(setup, 3)
    _score_by_quorum(setup, setup.entry)
    services.round_transition(round=setup.round, to=RoundPhase.COUNCIL_MEETING, by=setup.staff)
    services.round_transition(round=setup.round, to=RoundPhase.CLOSED, by=setup.chair.user)
    first, second, third = Result.objects.filter(round=setup.round).order_by("pk")
    Result.objects.filter(pk__in=[first.pk, second.pk]).update(for_ministry=True)

    html = login(client, setup.staff).get(reverse("evaluations:round_results", args=[setup.round.pk])).content.decode()

    for r in (first, second):
        assert f'action="/danh-gia/ky/{setup.round.pk}/ket-qua/{r.pk}/trung-uong/"' in html
        assert f'for="central-{r.pk}-central_mean"' in html and f'id="central-{r.pk}-central_mean"' in html
    assert f"/ket-qua/{third.pk}/trung-uong/" not in html
    assert html.count('name="central_star"') == 2


def test_autosave_totals_follow_a_change_of_the_rubric_it_keeps_in_memory(client, setup):
    """The rubric's options are kept in the process's memory between autosaves (selectors.rubric_facts), valid
    while the rubric tables keep their data versions: a corrected option counts at the next autosave."""
    from evaluations.models import Option

    member = setup.members[0]
    chosen = option_ids(setup.rubric, {"1.1": 40, "4.1": 15})
    data = {f"c{c}": o for c, o in chosen.items()}
    url = reverse("evaluations:entry_autosave", args=[setup.round.pk, setup.dossier.pk])
    login(client, member.user)
    assert 'data-testid="total">55,00<' in client.post(url, data, HTTP_HX_REQUEST="true").content.decode()
    with CaptureQueriesContext(connection) as again:
        assert 'data-testid="total">55,00<' in client.post(url, data, HTTP_HX_REQUEST="true").content.decode()
    assert not [q for q in again.captured_queries
                if 'FROM "evaluations_option"' in q["sql"] or '"evaluations_part"' in q["sql"]]
    Option.objects.filter(pk=list(chosen.values())[1]).update(points=10)
    assert 'data-testid="total">50,00<' in client.post(url, data, HTTP_HX_REQUEST="true").content.decode()
