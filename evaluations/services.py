"""Writes of evaluations: rounds and their phases, placement and assignment, conflicts, findings, score
sheets and results. One transition service per record type, each atomic, locking, logged and notified."""
import datetime
import math
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activity.services import activity_record, effect_record, in_vietnamese, notify
from registrations.enums import DossierStatus

from . import rules as eval_rules
from .enums import (
    PHASE_POLICY, ROUND_TRANSITIONS, SHEET_TRANSITIONS, CouncilRole, FindingKind, RoundKind, RoundPhase, SheetStatus,
)
from .models import (
    AdvisoryFinding, Assignment, AuthorityRule, ConflictDeclaration, Criterion, LegalDocument, Membership, Option,
    Result, Round, RoundEntry, Rubric, ScoreChoice, ScoreSheet, SpreadConclusion,
)
from .ranking import REASON_COUNCIL_CONCLUSION, format_points


class EvaluationError(ValidationError):
    """A domain refusal (illegal transition, wrong phase, not allowed); views show its message."""


def _deny(message):
    raise EvaluationError(message)


def _require(user, perm, obj, message=None):
    eval_rules.clear_cache(user)  # writes decide on fresh memberships, assignments and conflicts
    round_ = obj if isinstance(obj, Round) else getattr(obj, "round", None) if isinstance(obj, RoundEntry) else None
    if round_ is not None and round_.pk is not None:
        eval_rules.preload_round(user, round_)  # all three in one query
    if not user.has_perm(perm, obj):
        _deny(message or _("Bạn không có quyền thực hiện thao tác này."))


def _dossier_move(*, dossier, to, by, note=""):
    from registrations.services import dossier_transition

    return dossier_transition(dossier=dossier, to=to, by=by, note=note)


def _member_users(council, *roles):
    """The members to notify: an active membership whose role (council or advisory member) is valid today in the
    council's province; a member whose role ended is told nothing more (issue 8, item 9)."""
    from .selectors import acting_memberships

    qs = acting_memberships(council).select_related("user")
    if roles:
        qs = qs.filter(role__in=roles)
    return [m.user for m in qs]


# --- rounds --------------------------------------------------------------------------------------
@transaction.atomic
def round_open(*, province, council, year: int, number: int, opens_on: datetime.date,
               forward_deadline: datetime.date, closes_on: datetime.date, by, kind: str = RoundKind.REGULAR,
               advisory_group=None, decide_by_written_opinion: bool | None = None, title: str = "") -> Round:
    """Open a round; it carries the rubric and the recognition authority in force on its opening date."""
    legal_document = LegalDocument.objects.in_force_on(opens_on).order_by("-effective_from").first()
    if legal_document is None:
        _deny(_("Không có bộ tiêu chí nào có hiệu lực vào ngày %(day)s.") % {"day": opens_on.strftime("%d/%m/%Y")})
    rules_ = AuthorityRule.objects.in_force_on(opens_on)
    round_ = Round(
        province=province, council=council, advisory_group=advisory_group, kind=kind, year=year, number=number,
        title=title, opens_on=opens_on, forward_deadline=forward_deadline, closes_on=closes_on,
        decide_by_written_opinion=(kind == RoundKind.RE_EVALUATION) if decide_by_written_opinion is None
        else decide_by_written_opinion,
        legal_document=legal_document, authority_basis=rules_.values_list("legal_basis", flat=True).first() or "",
        created_by=by,
    )
    _require(by, "evaluations.manage_round", round_)
    if council.province_id != province.pk or (advisory_group and advisory_group.province_id != province.pk):
        _deny(_("Hội đồng và tổ tư vấn phải thuộc tỉnh của kỳ đánh giá."))
    round_.full_clean()
    round_.save()
    activity_record(actor=by, verb=gettext_lazy("Mở kỳ đánh giá"), target=round_, after={"phase": round_.phase})
    return round_


@transaction.atomic
def round_transition(*, round: Round, to: str, by) -> Round:  # noqa: A002 - the domain word
    """Move a round to another phase. Closing (chair only) freezes the results and queues the minutes."""
    round_ = Round.objects.select_for_update().get(pk=round.pk)
    to = RoundPhase(to)
    if to not in ROUND_TRANSITIONS[round_.phase]:
        _deny(_("Không thể chuyển kỳ đánh giá từ “%(a)s” sang “%(b)s”.")
              % {"a": round_.get_phase_display(), "b": to.label})
    if to == RoundPhase.CLOSED:
        _require(by, "evaluations.close_round", round_, _("Chỉ chủ tịch hội đồng được kết thúc phiên họp."))
    else:
        _require(by, "evaluations.manage_round", round_)
    if to == RoundPhase.SCORING and not round_.entries.exists():
        _deny(_("Kỳ đánh giá chưa có hồ sơ nào."))
    before = round_.phase
    round_.phase = to
    update = ["phase"]
    if to == RoundPhase.CLOSED:
        round_.closed_at = timezone.now()
        update.append("closed_at")
    round_.save(update_fields=update)
    if to == RoundPhase.CLOSED:
        results_freeze(round_=round_, by=by)
        from .tasks import round_minutes_render

        effect_record(task=round_minutes_render, kwargs={"round_id": round_.pk})
    activity_record(actor=by, verb=gettext_lazy("Chuyển giai đoạn kỳ đánh giá"), target=round_, before={"phase": before}, after={"phase": to})
    recipients = _member_users(round_.council) + (_member_users(round_.advisory_group) if round_.advisory_group else [])
    notify(event="round_phase_changed", recipients=recipients, target=round_,
           context={"round": round_, "phase": to.label})
    round.phase, round.closed_at = round_.phase, round_.closed_at
    return round_


def _rubric_for(round_: Round, dossier) -> Rubric:
    rubric = Rubric.objects.filter(legal_document=round_.legal_document, product_set=dossier.product_set_id).first()
    if rubric is None:
        _deny(_("Chưa có phiếu đánh giá của %(doc)s cho bộ sản phẩm của hồ sơ “%(name)s”.")
              % {"doc": round_.legal_document, "name": dossier.product_name})
    return rubric


@transaction.atomic
def round_dossiers_place(*, round: Round, dossiers, by) -> list[RoundEntry]:  # noqa: A002
    """Place accepted dossiers of the round's province in the round (they move to in_round)."""
    _require(by, "evaluations.manage_round", round)
    if "place" not in PHASE_POLICY[round.phase]:
        _deny(_("Giai đoạn này không cho thêm hồ sơ."))
    entries = []
    for dossier in dossiers:
        if dossier.commune.current_province_id != round.province_id:
            _deny(_("Hồ sơ “%(name)s” không thuộc tỉnh của kỳ đánh giá.") % {"name": dossier.product_name})
        if dossier.status != DossierStatus.ACCEPTED:
            _deny(_("Hồ sơ “%(name)s” chưa được tỉnh tiếp nhận đủ.") % {"name": dossier.product_name})
        entry = RoundEntry.objects.create(round=round, dossier=dossier, rubric=_rubric_for(round, dossier), added_by=by)
        _dossier_move(dossier=dossier, to=DossierStatus.IN_ROUND, by=by, note=str(round))
        activity_record(actor=by, verb=gettext_lazy("Đưa hồ sơ vào kỳ đánh giá"), target=round, after={"dossier": dossier.product_name})
        entries.append(entry)
    return entries


# --- assignment and conflicts ------------------------------------------------------------------
def _check_assignable(round_, dossier_id, member):
    if member.council_id != round_.council_id or not member.active:
        _deny(_("%(m)s không phải thành viên hội đồng của kỳ này.") % {"m": member})
    if ConflictDeclaration.objects.filter(member=member, dossier_id=dossier_id).exists():
        _deny(_("%(m)s đã khai báo xung đột lợi ích với hồ sơ này.") % {"m": member})


@transaction.atomic
def assignment_add(*, round: Round, dossier, member: Membership, by) -> Assignment:  # noqa: A002
    _require(by, "evaluations.manage_round", round)
    if not RoundEntry.objects.filter(round=round, dossier=dossier).exists():
        _deny(_("Hồ sơ chưa được đưa vào kỳ đánh giá."))
    _check_assignable(round, dossier.pk, member)
    assignment, created = Assignment.objects.get_or_create(
        round=round, dossier=dossier, member=member, defaults={"assigned_by": by}
    )
    if created:
        activity_record(actor=by, verb=gettext_lazy("Phân công thành viên chấm hồ sơ"), target=round,
                        after={"dossier": dossier.product_name, "member": str(member)})
    return assignment


@transaction.atomic
def assignments_bulk_by_product_group(*, round: Round, product_group, members, by) -> int:  # noqa: A002
    """Assign `members` to every dossier of the round whose product set falls under `product_group`."""
    _require(by, "evaluations.manage_round", round)
    q = Q(dossier__product_set__group=product_group) | Q(dossier__product_set__subgroup=product_group)
    entries = list(RoundEntry.objects.filter(round=round).filter(q).select_related("dossier"))
    conflicts = set(ConflictDeclaration.objects.filter(member__in=members).values_list("member_id", "dossier_id"))
    rows = []
    for entry in entries:
        for member in members:
            if member.council_id != round.council_id or (member.pk, entry.dossier_id) in conflicts:
                continue
            rows.append(Assignment(round=round, dossier=entry.dossier, member=member, assigned_by=by))
    created = Assignment.objects.bulk_create(rows, ignore_conflicts=True)
    activity_record(actor=by, verb=gettext_lazy("Phân công theo nhóm sản phẩm"), target=round,
                    after={"product_group": str(product_group), "rows": len(created)})
    return len(rows)


@transaction.atomic
def assignments_auto_balance(*, round: Round, by, per_dossier: int | None = None) -> int:  # noqa: A002
    """Give every dossier `per_dossier` scorers (default: enough for the quorum), always the chair when
    free of conflict, the others picked by the lightest load so work stays even. Existing assignments stay."""
    _require(by, "evaluations.manage_round", round)
    from .selectors import acting_memberships

    members = list(acting_memberships(round.council).order_by("pk"))
    if not members:
        _deny(_("Hội đồng chưa có thành viên."))
    council = round.council
    per_dossier = min(per_dossier or math.ceil(len(members) * council.quorum_ratio), len(members))
    load = {m.pk: 0 for m in members}
    for member_id, n in Assignment.objects.filter(round=round).values_list("member_id").annotate(n=Count("pk")):
        load[member_id] = n
    existing: dict = {}
    for dossier_id, member_id in Assignment.objects.filter(round=round).values_list("dossier_id", "member_id"):
        existing.setdefault(dossier_id, set()).add(member_id)
    conflicts = set(ConflictDeclaration.objects.filter(member__council=council).values_list("member_id", "dossier_id"))
    rows = []
    for dossier_id in RoundEntry.objects.filter(round=round).order_by("pk").values_list("dossier_id", flat=True):
        have = existing.get(dossier_id, set())
        free = [m for m in members if m.pk not in have and (m.pk, dossier_id) not in conflicts]
        free.sort(key=lambda m: (m.role != CouncilRole.CHAIR if council.chair_required else False, load[m.pk], m.pk))
        for member in free[: max(per_dossier - len(have), 0)]:
            rows.append(Assignment(round=round, dossier_id=dossier_id, member=member, assigned_by=by))
            load[member.pk] += 1
    Assignment.objects.bulk_create(rows)
    activity_record(actor=by, verb=gettext_lazy("Phân công tự động, cân đối"), target=round, after={"rows": len(rows), "per_dossier": per_dossier})
    return len(rows)


@transaction.atomic
def conflict_declare(*, member: Membership, dossier, reason: str, by) -> ConflictDeclaration:
    """A member declares a conflict of interest: they lose the assignment and any draft, and are recused."""
    if by.pk != member.user_id and not (by.is_superuser or _is_secretariat_of(by, member.council)):
        _deny(_("Chỉ thành viên hoặc bộ phận thường trực được khai báo xung đột lợi ích."))
    reason = (reason or "").strip()
    if not reason:
        _deny(_("Cần nêu lý do xung đột lợi ích."))
    declaration, _created = ConflictDeclaration.objects.get_or_create(
        member=member, dossier=dossier, defaults={"reason": reason, "declared_by": by}
    )
    Assignment.objects.filter(member=member, dossier=dossier).delete()
    ScoreSheet.objects.filter(member=member, dossier=dossier).exclude(status=SheetStatus.SUBMITTED).delete()
    activity_record(actor=by, verb=gettext_lazy("Khai báo xung đột lợi ích"), target=member.council,
                    after={"dossier": dossier.product_name, "member": str(member)}, message=reason)
    eval_rules.clear_cache(member.user)
    return declaration


def _is_secretariat_of(user, council) -> bool:
    from accounts.enums import Role
    from accounts.selectors import user_scope

    return council.province_id in user_scope(user).unit_ids(Role.PROVINCE_STAFF)


@transaction.atomic
def advisory_finding_record(*, round: Round, dossier, kind: str, text: str, by, knockout_condition=None,  # noqa: A002
                            visited_on=None) -> AdvisoryFinding:
    entry = RoundEntry.objects.select_related("round").get(round=round, dossier=dossier)
    _require(by, "evaluations.review_entry", entry)
    if kind == FindingKind.KNOCKOUT and (knockout_condition is None or knockout_condition.rubric_id != entry.rubric_id):
        _deny(_("Cần chọn một điều kiện loại của phiếu đánh giá áp dụng cho hồ sơ."))
    finding = AdvisoryFinding(round=round, dossier=dossier, kind=kind, text=text.strip(), recorded_by=by,
                              knockout_condition=knockout_condition if kind == FindingKind.KNOCKOUT else None,
                              visited_on=visited_on)
    finding.full_clean()
    finding.save()
    activity_record(actor=by, verb=gettext_lazy("Ghi ý kiến tổ tư vấn"), target=round,
                    after={"dossier": dossier.product_name, "finding": FindingKind(kind).label}, message=finding.text)
    return finding


# --- score sheets --------------------------------------------------------------------------------
def _clean_choices(rubric_id, choices: dict) -> dict:
    """{criterion id: option id} → {criterion id: Option}, refusing options of another criterion or sheet."""
    from .selectors import rubric_facts

    wanted = {int(c): int(o) for c, o in choices.items() if o not in (None, "")}
    options = rubric_facts(rubric_id)["options"] if wanted else {}
    out = {}
    for criterion_id, option_id in wanted.items():
        option = options.get(option_id)
        if option is None or option.criterion_id != criterion_id:
            _deny(_("Lựa chọn không thuộc phiếu đánh giá này."))
        out[criterion_id] = option
    return out


def _locked_sheet(*, entry: RoundEntry, by) -> ScoreSheet:
    member_id = eval_rules.membership_id(by, entry.round)
    if member_id is None:  # never a sheet without a member (an IntegrityError): a non-member is refused
        _deny(_("Chỉ thành viên hội đồng được chấm điểm."))
    sheet, _created = ScoreSheet.objects.select_for_update().get_or_create(
        round_id=entry.round_id, dossier_id=entry.dossier_id, member_id=member_id,
        defaults={"rubric_id": entry.rubric_id},
    )
    return sheet


def _write_choices(sheet: ScoreSheet, chosen: dict) -> dict | None:
    """Write the changed choices in bulk; {criterion id: Option} of the whole sheet afterwards (None when
    nothing was chosen: nothing read)."""
    if not chosen:
        return None
    from .selectors import rubric_facts

    # The sheet's choices as plain values; their options come from the rubric kept in memory (no join).
    current = {c: (pk, o) for pk, c, o in ScoreChoice.objects.filter(sheet=sheet).order_by()
               .values_list("pk", "criterion_id", "option_id")}
    new, changed = [], []
    for criterion_id, option in chosen.items():
        found = current.get(criterion_id)
        if found is None:
            new.append(ScoreChoice(sheet=sheet, criterion_id=criterion_id, option=option))
        elif found[1] != option.pk:
            changed.append(ScoreChoice(pk=found[0], sheet=sheet, criterion_id=criterion_id, option=option))
    if new:
        ScoreChoice.objects.bulk_create(new)
    if len(changed) > 2:
        ScoreChoice.objects.bulk_update(changed, ["option"])
    else:  # an autosave changes one choice: a plain UPDATE is cheaper to build than bulk_update's CASE
        for choice in changed:
            ScoreChoice.objects.filter(pk=choice.pk).update(option=choice.option)
    options = rubric_facts(sheet.rubric_id)["options"]
    missing = {o for _pk, o in current.values() if o not in options}
    if missing:  # an option of another rubric (never written by the portal): read it
        options = {**options, **Option.objects.in_bulk(missing)}
    return {**{criterion_id: options[o] for criterion_id, (_pk, o) in current.items()}, **chosen}


def sheet_totals(sheet_id: int) -> dict:
    """Per-part and overall totals of a sheet, derived from its choices."""
    totals = {"A": Decimal(0), "B": Decimal(0), "C": Decimal(0)}
    for part, points in ScoreChoice.objects.filter(sheet_id=sheet_id).values_list("criterion__part_code", "option__points"):
        totals[part] += points
    totals["total"] = totals["A"] + totals["B"] + totals["C"]
    return totals


def _draft_commit() -> None:
    """A draft's commit does not wait for the disk (PostgreSQL's synchronous_commit off, for this transaction
    only): the commit stays atomic and consistent, and only a crash of the database server itself could lose
    the last fraction of a second of drafts, which the page's next autosave sends again. A submission, and
    every other write, keeps waiting for the disk."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


@transaction.atomic
def score_sheet_save(*, entry: RoundEntry, choices: dict, by) -> ScoreSheet:
    """Save a member's draft choices (autosave). A submitted sheet cannot change until reopened.
    The sheet returned carries `chosen`, {criterion id: Option} of all its choices, when any was given."""
    _require(by, "evaluations.score_entry", entry)
    chosen = _clean_choices(entry.rubric_id, choices)
    _draft_commit()
    sheet = _locked_sheet(entry=entry, by=by)
    if sheet.status == SheetStatus.SUBMITTED:
        _deny(_("Phiếu đã nộp; chỉ thư ký hội đồng có thể mở lại."))
    # The sheet's choices after the save, for the running totals (None: nothing chosen, nothing read).
    sheet.chosen = _write_choices(sheet, chosen)
    # Only the moment changes: a plain UPDATE (no model save, no signals) on every autosave.
    sheet.updated_at = timezone.now()
    ScoreSheet.objects.filter(pk=sheet.pk).update(updated_at=sheet.updated_at)
    return sheet


@transaction.atomic
def score_sheet_submit(*, entry: RoundEntry, by, choices: dict | None = None) -> ScoreSheet:
    """Submit a member's sheet: every scorable criterion must have a choice; totals are derived then.

    Safe under concurrency: the sheet row is locked (select_for_update) and unique per round, dossier and
    member, so a double submission leaves one sheet and the second attempt is refused.
    """
    _require(by, "evaluations.score_entry", entry)
    chosen = _clean_choices(entry.rubric_id, choices or {})
    try:
        with transaction.atomic():
            sheet = _locked_sheet(entry=entry, by=by)
    except IntegrityError:  # lost a race on the unique constraint: the other transaction created it
        sheet = ScoreSheet.objects.select_for_update().get(
            round_id=entry.round_id, dossier_id=entry.dossier_id, member_id=eval_rules.membership_id(by, entry.round)
        )
    if SheetStatus.SUBMITTED not in SHEET_TRANSITIONS[sheet.status]:
        _deny(_("Phiếu đã được nộp."))
    _write_choices(sheet, chosen)
    missing = list(
        Criterion.objects.filter(rubric_id=entry.rubric_id, scorable=True)
        .exclude(pk__in=ScoreChoice.objects.filter(sheet=sheet).values("criterion_id"))
        .order_by("position").values_list("code", flat=True)
    )
    if missing:
        _deny(_("Chưa chấm các tiêu chí: %(codes)s.") % {"codes": ", ".join(missing)})
    totals = sheet_totals(sheet.pk)
    before = sheet.status
    sheet.status = SheetStatus.SUBMITTED
    sheet.total, sheet.total_a, sheet.total_b, sheet.total_c = totals["total"], totals["A"], totals["B"], totals["C"]
    sheet.submitted_at = timezone.now()
    sheet.save()
    activity_record(actor=by, verb=gettext_lazy("Nộp phiếu chấm điểm"), target=sheet, before={"status": before},
                    after={"status": sheet.status, "total": sheet.total})
    return sheet


@transaction.atomic
def score_sheet_reopen(*, sheet: ScoreSheet, by, reason: str) -> ScoreSheet:
    """Only the council's secretary reopens a submitted sheet, and the reason goes into the log."""
    sheet = ScoreSheet.objects.select_for_update().select_related("round", "member__user").get(pk=sheet.pk)
    _require(by, "evaluations.reopen_sheet", sheet, _("Chỉ thư ký hội đồng được mở lại phiếu đã nộp."))
    reason = (reason or "").strip()
    if not reason:
        _deny(_("Cần nêu lý do mở lại phiếu."))
    if SheetStatus.REOPENED not in SHEET_TRANSITIONS[sheet.status]:
        _deny(_("Chỉ mở lại được phiếu đã nộp."))
    if "score" not in PHASE_POLICY[sheet.round.phase]:
        _deny(_("Kỳ đánh giá không còn ở giai đoạn chấm điểm."))
    before = sheet.status
    sheet.status = SheetStatus.REOPENED
    sheet.save(update_fields=["status", "updated_at"])
    activity_record(actor=by, verb=gettext_lazy("Mở lại phiếu chấm điểm"), target=sheet, before={"status": before},
                    after={"status": sheet.status}, message=reason)
    notify(event="score_sheet_reopened", recipients=[sheet.member.user], target=sheet,
           context={"sheet": sheet, "round": sheet.round, "reason": reason})
    return sheet


# --- results -------------------------------------------------------------------------------------
@transaction.atomic
def results_freeze(*, round_: Round, by) -> list[Result]:
    """Write every dossier's result once, with the rule and all its inputs, and move the dossiers on."""
    from .selectors import round_rankings

    now = timezone.now()
    results = []
    authority = {r.star: r for r in AuthorityRule.objects.in_force_on(round_.opens_on)}
    rankings = round_rankings(round_)
    short = [r.entry.dossier.product_name for r in rankings if not r.outcome.quorum_met and not r.outcome.knocked_out]
    if short:
        _deny(_("Chưa đủ số thành viên chấm (có chủ tịch) theo quy chế cho: %(names)s.") % {"names": "; ".join(short)})
    conclusions = {c.dossier_id: c for c in SpreadConclusion.objects.filter(round=round_)}
    unresolved = spread_unresolved(round_, rankings, conclusions)
    if unresolved:
        _deny(_("Chênh lệch điểm giữa các thành viên vượt mức %(limit)s điểm cho: %(names)s. Thư ký hội đồng mở lại "
                "phiếu để thành viên chấm lại, hoặc chủ tịch ghi kết luận của hội đồng kèm lý do, rồi mới kết thúc "
                "phiên họp.") % {"limit": format_points(round_.council.spread_limit),
                                 "names": "; ".join(r.entry.dossier.product_name for r in unresolved)})
    for ranking in rankings:
        outcome = ranking.outcome
        final = outcome.final_star
        reasons = list(outcome.reasons)
        conclusion = conclusions.get(ranking.entry.dossier_id)
        if conclusion is not None and outcome.spread_exceeded:
            reasons.append(in_vietnamese(gettext_lazy(REASON_COUNCIL_CONCLUSION)) % {"reason": conclusion.reason})
        results.append(Result(
            round=round_, dossier=ranking.entry.dossier, rubric_id=ranking.entry.rubric_id,
            mean=None if outcome.mean is None else outcome.mean.quantize(Decimal("0.0001")),
            spread=outcome.spread, spread_exceeded=outcome.spread_exceeded, quorum_met=outcome.quorum_met,
            counted=outcome.counted, band_star=outcome.band_star, minima_star=outcome.minima_star, final_star=final,
            knocked_out=outcome.knocked_out, reasons=reasons, rule=ranking.rule,
            inputs=ranking.inputs, authority=authority.get(final) if final and final >= 3 else None, frozen_at=now,
            for_ministry=final == 5,
        ))
    Result.objects.bulk_create(results)
    for result in results:
        dossier = result.dossier
        if dossier.status == DossierStatus.IN_ROUND:
            # The chair's closing (checked above) decides these moves; the dossier service records them as
            # the system's, since the chair holds no province-staff role over dossiers.
            # The notes carry no score, star or reasons: the result stays confidential until the decision is
            # published (results_publish); those who may see it read it on the round's results page.
            note = _("Kết thúc %(round)s bởi %(by)s") % {"round": round_, "by": by}
            _dossier_move(dossier=dossier, to=DossierStatus.SCORED, by=None, note=note)
            to = DossierStatus.RECOMMENDED if (result.final_star or 0) >= 3 else DossierStatus.NOT_RECOGNISED
            _dossier_move(dossier=dossier, to=to, by=None, note=_("Theo kết quả %(round)s") % {"round": round_})
    return results


def spread_unresolved(round_: Round, rankings, conclusions=None) -> list:
    """The rankings whose spread exceeds the council's limit with no recorded conclusion, when the council's
    rules refuse closing on them (the default)."""
    if not round_.council.spread_blocks_closing:
        return []
    if conclusions is None:
        conclusions = set(SpreadConclusion.objects.filter(round=round_).values_list("dossier_id", flat=True))
    return [r for r in rankings if r.outcome.spread_exceeded and not r.outcome.knocked_out
            and r.entry.dossier_id not in conclusions]


@transaction.atomic
def spread_conclusion_record(*, round: Round, dossier, reason: str, by) -> SpreadConclusion:  # noqa: A002
    """The chair records the council's conclusion on a dossier whose spread exceeds the limit, with its reason;
    closing is then allowed for it and the minutes print the conclusion."""
    from .selectors import round_rankings

    round_ = Round.objects.select_for_update().select_related("council").get(pk=round.pk)
    _require(by, "evaluations.close_round", round_, _("Chỉ chủ tịch hội đồng ghi kết luận của hội đồng."))
    if round_.phase not in (RoundPhase.SCORING, RoundPhase.COUNCIL_MEETING):
        _deny(_("Chỉ ghi kết luận khi kỳ đánh giá đang chấm điểm hoặc họp hội đồng."))
    reason = " ".join((reason or "").split())
    if not reason:
        _deny(_("Cần nêu lý do kết luận của hội đồng."))
    entry = RoundEntry.objects.select_related("dossier", "rubric").filter(round=round_, dossier=dossier).first()
    if entry is None:
        _deny(_("Hồ sơ không thuộc kỳ đánh giá này."))
    ranking = round_rankings(round_, entries=[entry])[0]
    if not ranking.outcome.spread_exceeded:
        _deny(_("Chênh lệch điểm của hồ sơ không vượt mức; không cần kết luận."))
    conclusion, created = SpreadConclusion.objects.update_or_create(
        round=round_, dossier=entry.dossier,
        defaults={"reason": reason, "spread": ranking.outcome.spread, "recorded_by": by},
    )
    activity_record(actor=by, verb=gettext_lazy("Ghi kết luận của hội đồng về chênh lệch điểm"), target=round_,
                    after={"dossier": entry.dossier.product_name, "spread": ranking.outcome.spread}, message=reason)
    return conclusion


@transaction.atomic
def results_publish(*, results, round_: Round | None = None) -> list[Result]:
    """The decision including these results is published: producers and communes may now see them. With the
    round, its results that no decision can list (under 3★, knocked out) are published too, and their
    producers and communes are told (the decision's own mail tells the recognised ones)."""
    from registrations.services import dossier_watchers

    now = timezone.now()
    ids = {r.pk for r in results if r is not None}
    Result.objects.filter(pk__in=ids, published_at__isnull=True).update(published_at=now)
    told = []
    if round_ is not None:
        unlisted = list(Result.objects.filter(round=round_, published_at__isnull=True, for_ministry=False)
                        .filter(Q(knocked_out=True) | Q(final_star__isnull=True) | Q(final_star__lt=3))
                        .select_related("dossier__producer", "dossier__commune", "round"))
        Result.objects.filter(pk__in=[r.pk for r in unlisted]).update(published_at=now)
        for result in unlisted:
            notify(event="result_published", recipients=dossier_watchers(result.dossier), target=result.dossier,
                   context={"result": result, "dossier": result.dossier, "round": result.round})
            told.append(result)
    return told


def results_awaiting_decision(round_: Round):
    """Results of the round a decision may still recognise (3★–4★, or proposed to the ministry), unpublished."""
    return Result.objects.filter(round=round_, published_at__isnull=True, knocked_out=False).filter(
        Q(final_star__gte=3) | Q(for_ministry=True))


@transaction.atomic
def round_results_announce(*, round: Round, by) -> list[Result]:  # noqa: A002
    """A closed round none of whose results awaits a recognition decision (every product under 3★): the
    province tells producers and communes their results, as a decision's publication would have."""
    round_ = Round.objects.select_for_update().get(pk=round.pk)
    _require(by, "evaluations.manage_round", round_)
    if round_.phase != RoundPhase.CLOSED:
        _deny(_("Chỉ thông báo kết quả của kỳ đánh giá đã kết thúc."))
    if results_awaiting_decision(round_).exists():
        _deny(_("Kỳ đánh giá còn sản phẩm chờ quyết định công nhận; kết quả được thông báo khi quyết định được công bố."))
    told = results_publish(results=[], round_=round_)
    if not told:
        _deny(_("Không còn kết quả nào chờ thông báo."))
    activity_record(actor=by, verb=gettext_lazy("Thông báo kết quả không được công nhận"), target=round_,
                    after={"dossiers": len(told)})
    return told


@transaction.atomic
def result_central_record(*, result: Result, central_mean: Decimal, central_star: int, by) -> Result:
    """The ministry's 5★ result comes back; under 90 the province may recognise 3★/4★ on its basis."""
    result = Result.objects.select_for_update().select_related("round").get(pk=result.pk)
    _require(by, "evaluations.manage_round", result.round)
    if not result.for_ministry:
        _deny(_("Sản phẩm này không được đề nghị Bộ đánh giá 5 sao."))
    from .ranking import band_of

    central_mean = Decimal(central_mean)
    if not Decimal(0) <= central_mean <= Decimal(100):
        _deny(_("Điểm của hội đồng trung ương phải từ 0 đến 100."))
    if not 1 <= int(central_star) <= band_of(central_mean):
        # The central council caps by its own minimums too, but never ranks above the band of its mean.
        _deny(_("Hạng %(star)d★ không khớp điểm trung bình %(mean)s của hội đồng trung ương.")
              % {"star": int(central_star), "mean": central_mean})
    before = {"central_mean": result.central_mean, "central_star": result.central_star}
    result.central_mean, result.central_star = central_mean, central_star
    result.central_recorded_at = timezone.now()
    result.save(update_fields=["central_mean", "central_star", "central_recorded_at"])
    activity_record(actor=by, verb=gettext_lazy("Ghi kết quả của hội đồng trung ương"), target=result.round, before=before,
                    after={"central_mean": central_mean, "central_star": central_star})
    return result


# --- the producer's self-assessment -------------------------------------------------------------
def self_assessment_rubric(dossier, day=None) -> Rubric | None:
    """The sheet in force (today, or on `day`) for the dossier's product set."""
    day = day or timezone.localdate()
    doc = LegalDocument.objects.in_force_on(day).order_by("-effective_from").first()
    if doc is None or dossier.product_set_id is None:
        return None
    return Rubric.objects.filter(legal_document=doc, product_set_id=dossier.product_set_id).first()


@transaction.atomic
def self_assessment_save(*, dossier, by, choices: dict, submit: bool = False):
    """Save (or submit) the producer's Form 02 Part III on the current revision, while the dossier is editable."""
    from registrations.services import current_revision

    from .models import SelfAssessment, SelfAssessmentChoice

    if not by.has_perm("registrations.change_dossier", dossier):
        _deny(_("Hồ sơ không còn được sửa; không thể thay đổi phần tự đánh giá."))
    revision = current_revision(dossier)
    rubric = self_assessment_rubric(dossier)
    if rubric is None:
        _deny(_("Chưa có phiếu đánh giá cho bộ sản phẩm của hồ sơ."))
    assessment, _created = SelfAssessment.objects.select_for_update().get_or_create(
        revision=revision, defaults={"dossier": dossier, "rubric": rubric}
    )
    if assessment.rubric_id != rubric.pk:  # the product set changed: start over on the right sheet
        assessment.choices.all().delete()
        assessment.rubric = rubric
    chosen = _clean_choices(assessment.rubric_id, choices)
    current = {c.criterion_id: c for c in assessment.choices.all()}
    for criterion_id, option in chosen.items():
        if criterion_id in current:
            current[criterion_id].option = option
            current[criterion_id].save(update_fields=["option"])
        else:
            SelfAssessmentChoice.objects.create(assessment=assessment, criterion_id=criterion_id, option=option)
    totals = {"A": Decimal(0), "B": Decimal(0), "C": Decimal(0)}
    for part, points in assessment.choices.values_list("criterion__part_code", "option__points"):
        totals[part] += points
    assessment.total_a, assessment.total_b, assessment.total_c = totals["A"], totals["B"], totals["C"]
    assessment.total = sum(totals.values(), Decimal(0))
    if submit:
        missing = list(Criterion.objects.filter(rubric_id=assessment.rubric_id, scorable=True)
                       .exclude(pk__in=assessment.choices.values("criterion_id")).order_by("position")
                       .values_list("code", flat=True))
        if missing:
            _deny(_("Chưa chấm các tiêu chí: %(codes)s.") % {"codes": ", ".join(missing)})
        assessment.status = SheetStatus.SUBMITTED
        assessment.submitted_by, assessment.submitted_at = by, timezone.now()
    assessment.save()
    if submit:
        activity_record(actor=by, verb=gettext_lazy("Nộp báo cáo tự đánh giá"), target=dossier, after={"total": assessment.total})
    return assessment
