"""The home page's next steps for the people of a round: scorers and the advisory group."""
from accounts.home import todos_for
from evaluations import services
from evaluations.enums import CouncilKind, FindingKind, RoundPhase

from .factories import CouncilFactory, MembershipFactory, RoundEntryFactory

REVIEW = "Xem xét hồ sơ của tổ tư vấn (rà soát, khảo sát thực tế)"


def _titles(user) -> dict:
    return {t.title: t.count for t in todos_for(user)}


def test_an_advisory_member_is_asked_to_review_each_dossier_until_they_record_a_finding(setup):
    group = CouncilFactory(province=setup.province, kind=CouncilKind.ADVISORY_GROUP)
    reviewer = MembershipFactory(council=group).user
    outsider = MembershipFactory(council=CouncilFactory(kind=CouncilKind.ADVISORY_GROUP)).user
    setup.round.advisory_group = group
    setup.round.phase = RoundPhase.ADVISORY_REVIEW
    setup.round.save()
    second = RoundEntryFactory(round=setup.round)

    assert _titles(reviewer)[REVIEW] == 2
    assert REVIEW not in _titles(outsider)  # another province's advisory group

    services.advisory_finding_record(round=setup.round, dossier=setup.dossier, kind=FindingKind.DESK,
                                     text="Hồ sơ đúng thực tế.", by=reviewer)
    assert _titles(reviewer)[REVIEW] == 1

    services.advisory_finding_record(round=setup.round, dossier=second.dossier, kind=FindingKind.DESK,
                                     text="Đủ minh chứng.", by=reviewer)
    assert REVIEW not in _titles(reviewer)


def test_no_review_is_asked_once_the_round_has_moved_to_scoring(setup):
    group = CouncilFactory(province=setup.province, kind=CouncilKind.ADVISORY_GROUP)
    reviewer = MembershipFactory(council=group).user
    setup.round.advisory_group = group
    setup.round.save()
    assert setup.round.phase == RoundPhase.SCORING
    assert REVIEW not in _titles(reviewer)


def test_a_member_scoring_in_two_rounds_reads_each_rounds_name_on_the_home_page(setup, client):
    from django.urls import reverse

    from evaluations.models import Assignment
    from tests.factories import PASSWORD

    from .factories import RoundFactory

    member = setup.members[0]
    other = RoundFactory(council=setup.council, title="Kỳ đánh giá lại 2026")
    Assignment.objects.create(round=other, dossier=RoundEntryFactory(round=other).dossier, member=member)
    scoring = [t for t in todos_for(member.user) if t.title == "Chấm điểm hồ sơ được phân công"]
    assert sorted(t.detail for t in scoring) == sorted([f"{setup.round} · {setup.province.name}",
                                                        f"Kỳ đánh giá lại 2026 · {setup.province.name}"])
    client.login(username=member.user.username, password=PASSWORD)
    rows = [row.strip() for row in client.get(reverse("home")).content.decode().split('<li class="list-group-item')[1:]]
    assert len(rows) == len(set(rows)) == 2
