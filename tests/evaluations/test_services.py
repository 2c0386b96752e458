import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from activity.models import ActivityLog
from evaluations import services
from evaluations.enums import FindingKind, RoundPhase, SheetStatus
from evaluations.models import Assignment, KnockoutCondition, Result, ScoreSheet
from registrations.enums import DossierStatus

from .factories import MembershipFactory, RoundEntryFactory, RoundFactory, accepted_dossier, option_ids, small_rubric

pytestmark = pytest.mark.django_db


def submit(setup, membership, points, entry=None):
    entry = entry or setup.entry
    return services.score_sheet_submit(entry=entry, by=membership.user, choices=option_ids(entry.rubric, points))


def close(setup):
    services.round_transition(round=setup.round, to=RoundPhase.COUNCIL_MEETING, by=setup.staff)
    services.round_transition(round=setup.round, to=RoundPhase.CLOSED, by=setup.chair.user)


def spread_refusal_off(setup):
    """These tests rank sheets far apart on purpose: the province's rules let the meeting close on them."""
    setup.council.spread_blocks_closing = False
    setup.council.save(update_fields=["spread_blocks_closing"])


# --- rounds ----------------------------------------------------------------------------------------
def test_a_round_carries_the_rubric_and_authority_in_force_on_its_date(setup):
    round_ = services.round_open(
        province=setup.province, council=setup.council, year=2025, number=1, opens_on=datetime.date(2025, 3, 1),
        forward_deadline=datetime.date(2025, 4, 30), closes_on=datetime.date(2025, 6, 30), by=setup.staff,
    )
    assert (round_.legal_document.number, round_.authority_basis) == ("148/QĐ-TTg", "148/QĐ-TTg")
    assert round_.phase == RoundPhase.INTAKE


def test_a_re_evaluation_round_is_decided_by_written_opinions_by_default(setup):
    round_ = services.round_open(
        province=setup.province, council=setup.council, year=2026, number=9, kind="re_evaluation",
        opens_on=datetime.date(2026, 9, 1), forward_deadline=datetime.date(2026, 10, 1),
        closes_on=datetime.date(2026, 12, 1), by=setup.staff,
    )
    assert (round_.decide_by_written_opinion, round_.legal_document.number) == (True, "26/2026/QĐ-TTg")


def test_a_council_member_cannot_open_a_round(setup):
    with pytest.raises(ValidationError):
        services.round_open(
            province=setup.province, council=setup.council, year=2026, number=5, opens_on=datetime.date(2026, 9, 1),
            forward_deadline=datetime.date(2026, 10, 1), closes_on=datetime.date(2026, 12, 1), by=setup.chair.user,
        )


def test_placing_a_dossier_moves_it_into_the_round(setup):
    round_ = RoundFactory(council=setup.council, phase=RoundPhase.INTAKE)
    dossier = accepted_dossier(setup.province)
    small_rubric(dossier.product_set)

    [entry] = services.round_dossiers_place(round=round_, dossiers=[dossier], by=setup.staff)

    dossier.refresh_from_db()
    assert (dossier.status, entry.rubric.product_set_id) == (DossierStatus.IN_ROUND, dossier.product_set_id)


def test_a_dossier_not_yet_accepted_cannot_be_placed(setup):
    round_ = RoundFactory(council=setup.council, phase=RoundPhase.INTAKE)
    dossier = accepted_dossier(setup.province)
    type(dossier).objects.filter(pk=dossier.pk).update(status=DossierStatus.INTAKE)
    dossier.refresh_from_db()
    with pytest.raises(ValidationError, match="chưa được tỉnh tiếp nhận đủ"):
        services.round_dossiers_place(round=round_, dossiers=[dossier], by=setup.staff)


def test_phases_follow_the_table(setup):
    with pytest.raises(ValidationError, match="Không thể chuyển"):
        services.round_transition(round=setup.round, to=RoundPhase.CLOSED, by=setup.chair.user)


def test_only_the_chair_closes_the_meeting(setup):
    services.round_transition(round=setup.round, to=RoundPhase.COUNCIL_MEETING, by=setup.staff)
    with pytest.raises(ValidationError, match="Chỉ chủ tịch"):
        services.round_transition(round=setup.round, to=RoundPhase.CLOSED, by=setup.staff)
    with pytest.raises(ValidationError, match="Chỉ chủ tịch"):
        services.round_transition(round=setup.round, to=RoundPhase.CLOSED, by=setup.secretary.user)


# --- assignment ------------------------------------------------------------------------------------
def test_automatic_assignment_always_includes_the_chair_and_balances_the_rest(setup):
    round_ = RoundFactory(council=setup.council)
    entries = [RoundEntryFactory(round=round_) for _ in range(4)]

    created = services.assignments_auto_balance(round=round_, by=setup.staff, per_dossier=2)

    assert created == 8
    load = {}
    for entry in entries:
        members = set(Assignment.objects.filter(round=round_, dossier=entry.dossier).values_list("member_id", flat=True))
        assert setup.chair.pk in members
        assert len(members) == 2
        for m in members - {setup.chair.pk}:
            load[m] = load.get(m, 0) + 1
    assert sorted(load.values()) == [1, 1, 2]


def test_automatic_assignment_skips_conflicted_members(setup):
    round_ = RoundFactory(council=setup.council)
    entry = RoundEntryFactory(round=round_)
    services.conflict_declare(member=setup.chair, dossier=entry.dossier, reason="Người thân là chủ thể", by=setup.chair.user)

    services.assignments_auto_balance(round=round_, by=setup.staff, per_dossier=4)

    assert set(Assignment.objects.filter(round=round_).values_list("member_id", flat=True)) == {
        setup.secretary.pk, *(m.pk for m in setup.members)
    }


def test_bulk_assignment_by_product_group(setup):
    round_ = RoundFactory(council=setup.council)
    entries = [RoundEntryFactory(round=round_) for _ in range(2)]
    group = entries[0].dossier.product_set.group

    services.assignments_bulk_by_product_group(round=round_, product_group=group, members=setup.members, by=setup.staff)

    assert Assignment.objects.filter(round=round_).count() == 4


def test_a_conflict_needs_a_reason_and_removes_the_assignment(setup):
    member = setup.members[0]
    with pytest.raises(ValidationError, match="lý do"):
        services.conflict_declare(member=member, dossier=setup.dossier, reason="  ", by=member.user)
    services.conflict_declare(member=member, dossier=setup.dossier, reason="Là thành viên HTX", by=member.user)
    assert not Assignment.objects.filter(member=member, dossier=setup.dossier).exists()
    with pytest.raises(ValidationError, match="xung đột"):
        services.assignment_add(round=setup.round, dossier=setup.dossier, member=member, by=setup.staff)


# --- score sheets ----------------------------------------------------------------------------------
def test_drafts_save_and_submit_derives_the_totals(setup):
    member = setup.members[0]
    services.score_sheet_save(entry=setup.entry, by=member.user, choices=option_ids(setup.rubric, {"1.1": 25}))
    sheet = services.score_sheet_submit(entry=setup.entry, by=member.user,
                                        choices=option_ids(setup.rubric, {"4.1": 15, "9": 35}))
    assert (sheet.status, sheet.total_a, sheet.total_b, sheet.total_c, sheet.total) == (
        SheetStatus.SUBMITTED, Decimal(25), Decimal(15), Decimal(35), Decimal(75)
    )


def test_a_sheet_with_missing_criteria_cannot_be_submitted(setup):
    with pytest.raises(ValidationError, match="Chưa chấm các tiêu chí: 4.1, 9"):
        submit(setup, setup.members[0], {"1.1": 25})


def test_submitting_twice_is_refused_and_leaves_one_sheet(setup):
    submit(setup, setup.members[0], {"1.1": 25, "4.1": 15, "9": 35})
    with pytest.raises(ValidationError, match="đã được nộp"):
        submit(setup, setup.members[0], {"1.1": 40, "4.1": 25, "9": 35})
    assert list(ScoreSheet.objects.values_list("total", flat=True)) == [Decimal(75)]


def test_an_option_of_another_criterion_is_refused(setup):
    ids = option_ids(setup.rubric, {"1.1": 25, "4.1": 15})
    first, second = list(ids)
    with pytest.raises(ValidationError, match="không thuộc phiếu"):
        services.score_sheet_save(entry=setup.entry, by=setup.members[0].user, choices={first: ids[second]})


def test_only_the_secretary_reopens_a_sheet_and_the_reason_is_logged(setup):
    sheet = submit(setup, setup.members[0], {"1.1": 25, "4.1": 15, "9": 35})
    with pytest.raises(ValidationError, match="Chỉ thư ký"):
        services.score_sheet_reopen(sheet=sheet, by=setup.chair.user, reason="Nhầm")
    with pytest.raises(ValidationError, match="lý do"):
        services.score_sheet_reopen(sheet=sheet, by=setup.secretary.user, reason="")

    services.score_sheet_reopen(sheet=sheet, by=setup.secretary.user, reason="Chấm nhầm tiêu chí 4.1")

    sheet.refresh_from_db()
    log = ActivityLog.objects.get(verb="Mở lại phiếu chấm điểm")
    assert (sheet.status, log.message, log.actor) == (SheetStatus.REOPENED, "Chấm nhầm tiêu chí 4.1", setup.secretary.user)
    resubmitted = submit(setup, setup.members[0], {"4.1": 25})
    assert resubmitted.total == Decimal(85)


def test_a_member_not_assigned_cannot_score(setup):
    outsider = MembershipFactory(council=setup.council)
    with pytest.raises(ValidationError):
        submit(setup, outsider, {"1.1": 25, "4.1": 15, "9": 35})


# --- results ---------------------------------------------------------------------------------------
def test_closing_freezes_the_result_with_its_reasoning_and_inputs(setup):
    spread_refusal_off(setup)
    submit(setup, setup.chair, {"1.1": 25, "4.1": 15, "9": 35})       # 75
    submit(setup, setup.secretary, {"1.1": 25, "4.1": 5, "9": 35})    # 65
    submit(setup, setup.members[0], {"1.1": 40, "4.1": 5, "9": 35})   # 80

    close(setup)

    result = Result.objects.get(round=setup.round)
    assert (result.mean, result.band_star, result.minima_star, result.final_star) == (
        Decimal("73.3333"), 4, 3, 3
    )
    assert result.reasons[-1] == "Chưa đạt yêu cầu tối thiểu 4★ ở tiêu chí 4.1 → 3★"
    assert result.inputs["consensus"] == {"1.1": "25.00", "4.1": "5.00", "9": "35.00"}
    assert result.inputs["council_size"] == 4
    assert (result.authority.level, result.for_ministry, result.quorum_met) == ("province", False, True)
    setup.dossier.refresh_from_db()
    assert setup.dossier.status == DossierStatus.RECOMMENDED


def test_a_recused_member_is_left_out_of_the_mean(setup):
    spread_refusal_off(setup)
    submit(setup, setup.chair, {"1.1": 40, "4.1": 25, "9": 35})       # 100
    submit(setup, setup.secretary, {"1.1": 40, "4.1": 25, "9": 20})   # 85
    submit(setup, setup.members[1], {"1.1": 40, "4.1": 25, "9": 35})  # 100
    services.conflict_declare(member=setup.members[0], dossier=setup.dossier, reason="Con của chủ thể",
                              by=setup.members[0].user)
    close(setup)

    result = Result.objects.get(round=setup.round)
    assert (result.mean, result.counted, result.final_star, result.for_ministry) == (Decimal(95), 3, 5, True)
    assert [s["recused"] for s in result.inputs["sheets"] if s["member_id"] == setup.members[0].pk] == [True]


def test_a_knock_out_leaves_no_star(setup):
    services.advisory_finding_record(
        round=setup.round, dossier=setup.dossier, kind=FindingKind.KNOCKOUT, text="Giấy ATTP giả",
        knockout_condition=KnockoutCondition.objects.get(rubric=setup.rubric), by=setup.staff,
    )
    for m in (setup.chair, setup.secretary, setup.members[0]):
        submit(setup, m, {"1.1": 40, "4.1": 25, "9": 35})
    close(setup)

    result = Result.objects.get(round=setup.round)
    assert (result.knocked_out, result.final_star) == (True, None)
    setup.dossier.refresh_from_db()
    assert setup.dossier.status == DossierStatus.NOT_RECOGNISED


def test_the_meeting_cannot_close_without_quorum(setup):
    submit(setup, setup.members[0], {"1.1": 40, "4.1": 25, "9": 35})
    submit(setup, setup.members[1], {"1.1": 40, "4.1": 25, "9": 35})
    submit(setup, setup.secretary, {"1.1": 40, "4.1": 25, "9": 35})  # 3 of 4, but not the chair
    services.round_transition(round=setup.round, to=RoundPhase.COUNCIL_MEETING, by=setup.staff)

    with pytest.raises(ValidationError, match="Chưa đủ số thành viên chấm"):
        services.round_transition(round=setup.round, to=RoundPhase.CLOSED, by=setup.chair.user)

    setup.round.refresh_from_db()
    assert (setup.round.phase, Result.objects.count()) == (RoundPhase.COUNCIL_MEETING, 0)


def _end_council_roles_yesterday(*memberships):
    from django.utils import timezone

    from accounts.models import RoleAssignment

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    RoleAssignment.objects.filter(user__in=[m.user for m in memberships]).update(
        valid_from=yesterday - datetime.timedelta(days=30), valid_to=yesterday)


def test_members_whose_role_ended_are_not_counted_for_the_quorum(setup):
    """Two of the four members' council roles ended yesterday: the council acting today has two members, so
    the chair and the secretary make the quorum (2 of 2) and the meeting closes; counting the ended members
    (2 of 4) would have refused it."""
    _end_council_roles_yesterday(*setup.members)
    submit(setup, setup.chair, {"1.1": 40, "4.1": 25, "9": 35})
    submit(setup, setup.secretary, {"1.1": 40, "4.1": 25, "9": 35})
    close(setup)

    result = Result.objects.get(round=setup.round)
    assert result.quorum_met and result.inputs["council_size"] == 2
    assert {s["member_id"] for s in result.inputs["sheets"]} == {setup.chair.pk, setup.secretary.pk}


def test_members_whose_role_ended_are_given_no_dossier(setup):
    round_ = RoundFactory(council=setup.council)
    for _ in range(3):
        RoundEntryFactory(round=round_)
    _end_council_roles_yesterday(setup.members[0])

    services.assignments_auto_balance(round=round_, by=setup.staff)

    assigned = set(Assignment.objects.filter(round=round_).values_list("member_id", flat=True))
    assert setup.members[0].pk not in assigned
    assert assigned <= {setup.chair.pk, setup.secretary.pk, setup.members[1].pk} and assigned


def test_a_knocked_out_dossier_nobody_scored_does_not_block_closing(setup):
    services.advisory_finding_record(
        round=setup.round, dossier=setup.dossier, kind=FindingKind.KNOCKOUT, text="Hồ sơ giả mạo",
        knockout_condition=KnockoutCondition.objects.get(rubric=setup.rubric), by=setup.staff,
    )
    close(setup)
    assert Result.objects.get(round=setup.round).final_star is None


def test_closing_renders_the_minutes_pdf_with_vietnamese_text(setup, django_capture_on_commit_callbacks):
    for m in (setup.chair, setup.secretary, setup.members[0]):
        submit(setup, m, {"1.1": 25, "4.1": 15, "9": 35})
    type(setup.dossier).objects.filter(pk=setup.dossier.pk).update(product_name="Kẹo dừa sáp Chợ Lách")
    services.conflict_declare(member=setup.members[1], dossier=setup.dossier, reason="Người thân", by=setup.staff)

    with django_capture_on_commit_callbacks(execute=True):
        close(setup)

    setup.round.refresh_from_db()
    with setup.round.minutes_pdf.open("rb") as fh:
        text = "".join(page.extract_text() for page in PdfReader(fh).pages)
    assert "Kẹo dừa sáp Chợ Lách" in text
    assert "xung đột lợi ích" in text


def test_the_ministry_result_comes_back_to_the_province(setup):
    for m in (setup.chair, setup.secretary, setup.members[0]):
        submit(setup, m, {"1.1": 40, "4.1": 25, "9": 35})
    close(setup)
    result = Result.objects.get(round=setup.round)

    services.result_central_record(result=result, central_mean=Decimal("86.5"), central_star=4, by=setup.staff)

    result.refresh_from_db()
    assert (result.central_mean, result.province_may_recognise_star) == (Decimal("86.5"), 4)


# --- audit additions ------------------------------------------------------------------------------
def _closed_148_round(setup, number, opens_on, forward_deadline, closes_on, points):
    """A 2024 round scored on the 148/2023 sheet by chair, secretary and one member, then closed: its result."""
    from .factories import _in_round_dossier, legal_document

    round_ = RoundFactory(council=setup.council, year=2024, number=number, opens_on=opens_on,
                          forward_deadline=forward_deadline, closes_on=closes_on,
                          legal_document=legal_document("148/QĐ-TTg"), authority_basis="148/QĐ-TTg")
    dossier = _in_round_dossier(setup.province)
    entry = RoundEntryFactory(round=round_, dossier=dossier, rubric=small_rubric(dossier.product_set, number="148/QĐ-TTg"))
    for m in (setup.chair, setup.secretary, setup.members[0]):
        Assignment.objects.create(round=round_, dossier=dossier, member=m)
        submit(setup, m, points, entry=entry)
    services.round_transition(round=round_, to=RoundPhase.COUNCIL_MEETING, by=setup.staff)
    services.round_transition(round=round_, to=RoundPhase.CLOSED, by=setup.chair.user)
    return Result.objects.get(round=round_)


def test_a_148_era_round_keeps_its_rubric_and_the_district_recognises_its_3_stars(setup):
    """A round opened in 2024 is scored on the 148/2023 sheet and its 3★ result names the district (148 §3.3)."""
    result = _closed_148_round(setup, 1, datetime.date(2024, 3, 1), datetime.date(2024, 4, 30), datetime.date(2024, 6, 30),
                               {"1.1": 25, "4.1": 15, "9": 35})  # 75: 4★, which 148 left to the province
    assert (result.final_star, result.authority.level, result.rubric.legal_document.number) == (4, "province", "148/QĐ-TTg")

    result3 = _closed_148_round(setup, 2, datetime.date(2024, 7, 1), datetime.date(2024, 10, 30), datetime.date(2024, 12, 30),
                                {"1.1": 25, "4.1": 5, "9": 35})  # 65: 3★
    assert (result3.final_star, result3.authority.level, result3.authority.legal_basis) == (3, "district", "148/QĐ-TTg")


def test_the_frozen_rule_and_inputs_replay_to_the_same_result(setup):
    """Every input the star rule used is stored: rank() on the stored inputs gives the stored outcome."""
    from evaluations.ranking import RankingInput, RankingPolicy, SheetTotal, StarBand, StarMinimum, rank

    spread_refusal_off(setup)
    submit(setup, setup.chair, {"1.1": 40, "4.1": 25, "9": 35})       # 100
    submit(setup, setup.secretary, {"1.1": 40, "4.1": 15, "9": 20})   # 75
    submit(setup, setup.members[1], {"1.1": 25, "4.1": 25, "9": 35})  # 85
    services.conflict_declare(member=setup.members[0], dossier=setup.dossier, reason="Người thân", by=setup.staff)
    close(setup)
    result = Result.objects.get(round=setup.round)

    rule, inputs = result.rule, result.inputs
    policy = RankingPolicy(spread_limit=Decimal(rule["spread_limit"]), quorum_ratio=Decimal(rule["quorum_ratio"]),
                           chair_required=rule["chair_required"],
                           bands=tuple(StarBand(b["stars"], Decimal(b["min"])) for b in rule["bands"]))
    replay = rank(RankingInput(
        sheets=tuple(SheetTotal(member_id=s["member_id"], total=None if s["total"] is None else Decimal(s["total"]),
                                is_chair=s["is_chair"], submitted=s["submitted"], recused=s["recused"])
                     for s in inputs["sheets"]),
        council_size=inputs["council_size"],
        consensus={k: Decimal(v) for k, v in inputs["consensus"].items()},
        minimums=tuple(StarMinimum(m["criterion"], m["min_star"], Decimal(m["points"])) for m in inputs["minimums"]),
        knockouts=tuple(inputs["knockouts"]),
    ), policy)

    assert replay.as_dict() == inputs["result"]
    assert (replay.final_star, list(replay.reasons)) == (result.final_star, result.reasons)
    assert replay.mean.quantize(Decimal("0.0001")) == result.mean
    assert result.spread_exceeded is True  # 100 − 75 > 10


def test_a_mean_of_90_that_misses_a_5_star_minimum_is_4_stars_and_not_sent_to_the_ministry(setup):
    """Interpretation: "potential 5★" needs the 5★ band *and* its minimums; the province recognises 4★."""
    spread_refusal_off(setup)
    for m in (setup.chair, setup.secretary, setup.members[0]):
        submit(setup, m, {"1.1": 40, "4.1": 15, "9": 35})  # 90, all minimums met (1.1 has the 5★ mark)
    submit(setup, setup.members[1], {"1.1": 40, "4.1": 25, "9": 35})
    close(setup)
    assert Result.objects.get(round=setup.round).for_ministry is True

    round2 = RoundFactory(council=setup.council)
    entry = RoundEntryFactory(round=round2)
    for m in (setup.chair, setup.secretary, *setup.members):
        Assignment.objects.create(round=round2, dossier=entry.dossier, member=m)
    for m, first in ((setup.chair, 25), (setup.secretary, 25), (setup.members[0], 40), (setup.members[1], 40)):
        submit(setup, m, {"1.1": first, "4.1": 25, "9": 35}, entry=entry)  # 85, 85, 100, 100: mean 92.5
    services.round_transition(round=round2, to=RoundPhase.COUNCIL_MEETING, by=setup.staff)
    services.round_transition(round=round2, to=RoundPhase.CLOSED, by=setup.chair.user)

    result = Result.objects.get(round=round2)
    # The consensus on 1.1 is 25 (lower median), under its 5★ mark of 40.
    assert (result.mean, result.band_star, result.minima_star, result.final_star) == (Decimal("92.5"), 5, 4, 4)
    assert (result.for_ministry, result.authority.level) == (False, "province")
    assert "Chưa đạt yêu cầu tối thiểu 5★ ở tiêu chí 1.1 → 4★" in result.reasons


def test_the_ministry_result_must_agree_with_its_own_band(setup):
    for m in (setup.chair, setup.secretary, setup.members[0]):
        submit(setup, m, {"1.1": 40, "4.1": 25, "9": 35})
    close(setup)
    result = Result.objects.get(round=setup.round)

    with pytest.raises(ValidationError, match="không khớp"):
        services.result_central_record(result=result, central_mean=Decimal("86.5"), central_star=5, by=setup.staff)
    with pytest.raises(ValidationError, match="từ 0 đến 100"):
        services.result_central_record(result=result, central_mean=Decimal("101"), central_star=5, by=setup.staff)
    services.result_central_record(result=result, central_mean=Decimal("86.5"), central_star=3, by=setup.staff)
    result.refresh_from_db()
    assert result.province_may_recognise_star == 3  # the central council capped at 3★ by its minimums


def _can(user, perm, obj):
    from evaluations import rules as eval_rules

    eval_rules.clear_cache(user)
    return user.has_perm(perm, obj)


PHASE_TABLE = [
    # phase, member may open, member may score, secretariat may place, advisory may review
    (RoundPhase.INTAKE, False, False, True, False),
    (RoundPhase.ADVISORY_REVIEW, False, False, True, True),
    (RoundPhase.SCORING, True, True, False, True),
    (RoundPhase.COUNCIL_MEETING, True, True, False, False),
    (RoundPhase.CLOSED, True, False, False, False),
]


@pytest.mark.parametrize("phase,opens,scores,places,reviews", PHASE_TABLE, ids=[p[0] for p in PHASE_TABLE])
def test_each_phase_decides_what_members_may_see_and_do(setup, phase, opens, scores, places, reviews):
    from accounts.enums import Role
    from evaluations.enums import CouncilKind
    from evaluations.models import Round
    from tests.factories import user_with_role

    from .factories import CouncilFactory

    group = CouncilFactory(province=setup.province, kind=CouncilKind.ADVISORY_GROUP)
    adviser = MembershipFactory(council=group, user=user_with_role(Role.ADVISORY_MEMBER, setup.province))
    Round.objects.filter(pk=setup.round.pk).update(phase=phase, advisory_group=group)
    setup.entry.round.refresh_from_db()
    entry, member = setup.entry, setup.members[0].user

    assert _can(member, "evaluations.view_entry", entry) is opens
    assert _can(member, "evaluations.score_entry", entry) is scores
    assert _can(adviser.user, "evaluations.review_entry", entry) is reviews
    if scores:
        assert submit(setup, setup.members[0], {"1.1": 25, "4.1": 15, "9": 35}).status == SheetStatus.SUBMITTED
    else:
        with pytest.raises(ValidationError):
            submit(setup, setup.members[0], {"1.1": 25, "4.1": 15, "9": 35})
    dossier = accepted_dossier(setup.province)
    small_rubric(dossier.product_set)
    if places:
        services.round_dossiers_place(round=entry.round, dossiers=[dossier], by=setup.staff)
    else:
        with pytest.raises(ValidationError, match="không cho thêm hồ sơ"):
            services.round_dossiers_place(round=entry.round, dossiers=[dossier], by=setup.staff)


# --- a spread over the limit stops the meeting ----------------------------------------------------------
def _spread_apart(setup):
    """Chair 100, secretary 85, member 100: mean 95, spread 15 over the council's limit of 10."""
    submit(setup, setup.chair, {"1.1": 40, "4.1": 25, "9": 35})
    sheet = submit(setup, setup.secretary, {"1.1": 40, "4.1": 25, "9": 20})
    submit(setup, setup.members[0], {"1.1": 40, "4.1": 25, "9": 35})
    services.round_transition(round=setup.round, to=RoundPhase.COUNCIL_MEETING, by=setup.staff)
    return sheet


def test_closing_is_refused_while_a_spread_exceeds_the_limit(setup):
    _spread_apart(setup)

    with pytest.raises(ValidationError, match="Chênh lệch điểm giữa các thành viên vượt mức 10,00 điểm cho: "):
        services.round_transition(round=setup.round, to=RoundPhase.CLOSED, by=setup.chair.user)

    setup.round.refresh_from_db()
    setup.dossier.refresh_from_db()
    assert (setup.round.phase, Result.objects.count(), setup.dossier.status) == (
        RoundPhase.COUNCIL_MEETING, 0, DossierStatus.IN_ROUND)


def test_closing_is_allowed_once_the_members_re_score_within_the_limit(setup):
    sheet = _spread_apart(setup)
    services.score_sheet_reopen(sheet=sheet, by=setup.secretary.user, reason="Chênh lệch 15 điểm, chấm lại tiêu chí 9")
    submit(setup, setup.secretary, {"1.1": 40, "4.1": 25, "9": 35})

    services.round_transition(round=setup.round, to=RoundPhase.CLOSED, by=setup.chair.user)

    result = Result.objects.get(round=setup.round)
    assert (result.mean, result.spread, result.spread_exceeded) == (Decimal(100), Decimal(0), False)


def test_closing_is_allowed_with_the_chairs_recorded_conclusion_which_the_minutes_print(setup):
    from django.template.loader import render_to_string

    from evaluations.minutes import minutes_context, minutes_pdf_bytes

    _spread_apart(setup)
    conclusion = services.spread_conclusion_record(
        round=setup.round, dossier=setup.dossier, by=setup.chair.user,
        reason="Hội đồng thảo luận, thống nhất giữ điểm: thành viên thư ký chấm chặt hơn ở tiêu chí 9",
    )
    assert conclusion.spread == Decimal(15)

    services.round_transition(round=setup.round, to=RoundPhase.CLOSED, by=setup.chair.user)

    result = Result.objects.get(round=setup.round)
    assert (result.spread_exceeded, result.final_star) == (True, 5)
    assert result.reasons[-1] == ("Hội đồng đã thảo luận và kết luận: Hội đồng thảo luận, thống nhất giữ điểm: "
                                  "thành viên thư ký chấm chặt hơn ở tiêu chí 9")
    setup.round.refresh_from_db()
    html = render_to_string("evaluations/minutes.html", minutes_context(setup.round))
    assert ("Kết luận của hội đồng về chênh lệch điểm</strong>: Hội đồng thảo luận, thống nhất giữ điểm: "
            "thành viên thư ký chấm chặt hơn ở tiêu chí 9") in html
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(minutes_pdf_bytes(setup.round))).pages)
    assert "Kết luận của hội đồng về chênh lệch điểm" in text
    assert "chấm chặt hơn" in text
    assert ActivityLog.objects.filter(verb="Ghi kết luận của hội đồng về chênh lệch điểm").count() == 1


def test_a_province_may_switch_the_refusal_off_in_its_council_rules(setup):
    _spread_apart(setup)
    spread_refusal_off(setup)

    services.round_transition(round=setup.round, to=RoundPhase.CLOSED, by=setup.chair.user)

    assert Result.objects.get(round=setup.round).spread_exceeded is True


def test_only_the_chair_records_a_conclusion_with_a_reason_on_an_exceeded_spread(setup):
    _spread_apart(setup)
    with pytest.raises(ValidationError, match="Chỉ chủ tịch hội đồng ghi kết luận"):
        services.spread_conclusion_record(round=setup.round, dossier=setup.dossier, reason="Giữ điểm",
                                          by=setup.secretary.user)
    with pytest.raises(ValidationError, match="Cần nêu lý do kết luận"):
        services.spread_conclusion_record(round=setup.round, dossier=setup.dossier, reason="  ", by=setup.chair.user)

    other = RoundEntryFactory(round=setup.round, rubric=setup.rubric)
    with pytest.raises(ValidationError, match="không vượt mức"):
        services.spread_conclusion_record(round=setup.round, dossier=other.dossier, reason="Giữ điểm",
                                          by=setup.chair.user)


def test_a_sheet_is_never_written_without_a_member(setup):
    """Issue 8, item 12: the lock helper refuses a non-member instead of failing on the NOT NULL member."""
    from accounts.enums import Role
    from evaluations.services import EvaluationError, _locked_sheet
    from tests.factories import user_with_role

    with pytest.raises(EvaluationError):
        _locked_sheet(entry=setup.entry, by=user_with_role(Role.ADMINISTRATOR))


def test_a_member_whose_role_ended_is_not_notified_of_the_rounds_phase(setup):
    """Issue 8, item 9: the membership stays on record, but an ended role is told nothing more."""
    import datetime

    from django.utils import timezone

    from accounts.models import RoleAssignment
    from activity.models import OutboxMessage

    ended = setup.members[0].user
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    RoleAssignment.objects.filter(user=ended).update(valid_from=yesterday - datetime.timedelta(days=30),
                                                     valid_to=yesterday)

    services.round_transition(round=setup.round, to="council_meeting", by=setup.staff)

    told = set(OutboxMessage.objects.filter(event="round_phase_changed").values_list("recipient__username", flat=True))
    assert told == {m.user.username for m in (setup.chair, setup.secretary, setup.members[1])}


def test_the_minutes_rendered_in_parts_read_as_one_document(setup, monkeypatch):
    """A long round is laid out a few dossiers at a time (flat memory); the file still has one heading, every
    dossier numbered in order and one place for the signatures."""
    from evaluations import minutes

    others = [RoundEntryFactory(round=setup.round) for _ in range(2)]
    for entry in others:
        for m in (setup.chair, setup.secretary, setup.members[0]):
            Assignment.objects.create(round=setup.round, dossier=entry.dossier, member=m)
    for entry in (setup.entry, *others):
        for m in (setup.chair, setup.secretary, setup.members[0]):
            services.score_sheet_submit(entry=entry, by=m.user, choices=option_ids(entry.rubric, {"1.1": 25, "4.1": 15, "9": 35}))
    close(setup)
    monkeypatch.setattr(minutes, "MINUTES_CHUNK", 1)

    reader = PdfReader(io.BytesIO(minutes.minutes_pdf_bytes(setup.round)))
    text = "\n".join(page.extract_text() for page in reader.pages)

    assert len(reader.pages) >= 3
    assert text.count("BIÊN BẢN") == 1 and text.count("CHỦ TỊCH HỘI ĐỒNG") == 1  # heading once, signatures once
    names = [e.dossier.product_name for e in (setup.entry, *others)]
    assert all(name in text for name in names)
    numbered = [int(n) for n, name in re.findall(r"(?m)^(\d+)\. (.+?) — ", text) if name in names]
    assert numbered == [1, 2, 3]
