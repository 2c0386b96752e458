"""Reads of evaluations: what a user may reach, scoring lists, sheets, and the star ranking's inputs.

Counts and means are annotated in SQL; every list is built with a fixed number of queries.
"""
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

import django_filters
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.enums import Role
from accounts.selectors import user_scope

from . import rules as eval_rules
from .enums import CouncilRole, FindingKind, RoundPhase, SheetStatus
from .models import (
    AdvisoryFinding, Assignment, ConflictDeclaration, Criterion, Membership, Option, Part, Result, Round, RoundEntry,
    Rubric, ScoreChoice, ScoreSheet,
)
from .ranking import RankingInput, RankingPolicy, SheetTotal, StarMinimum, consensus_points, rank


# --- rounds --------------------------------------------------------------------------------------

def acting_memberships(council):
    """The council's members today: an active membership whose holder still has the role it needs (council or
    advisory member) valid today in the council's province (any province for a central council). A member whose
    role ended is neither counted in the council's size for the quorum nor given dossiers (issue 8, item 9)."""
    from accounts.models import RoleAssignment

    valid = RoleAssignment.objects.active_on().filter(role=eval_rules.MEMBERSHIP_ROLE[council.kind])
    if council.province_id is not None:
        valid = valid.filter(unit_id=council.province_id)
    return Membership.objects.filter(council=council, active=True, user_id__in=valid.values("user_id"))


def rounds_visible_to(user) -> QuerySet:
    qs = Round.objects.select_related("province", "council", "legal_document")
    scope = user_scope(user)
    if scope.is_admin:
        return qs
    councils = list(eval_rules._memberships(user))
    return qs.filter(
        Q(province_id__in=scope.unit_ids(Role.PROVINCE_STAFF)) | Q(council_id__in=councils)
        | Q(advisory_group_id__in=councils)
    )


class RoundFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter()
    phase = django_filters.ChoiceFilter(choices=RoundPhase.choices)

    class Meta:
        model = Round
        fields = ["year", "phase", "kind"]


def round_list(*, user, filters=None) -> tuple[QuerySet, RoundFilter]:
    entries = RoundEntry.objects.filter(round=OuterRef("pk")).order_by().values("round").annotate(n=Count("pk")).values("n")
    qs = rounds_visible_to(user).annotate(entry_count=Coalesce(Subquery(entries), Value(0))).order_by(
        "-year", "-number", "pk")
    fs = RoundFilter(filters, queryset=qs)
    return fs.qs, fs


# --- entries -------------------------------------------------------------------------------------
def _recused():
    """For a ScoreSheet query: its member declared a conflict with its dossier (kept for the record, never counted)."""
    return Exists(ConflictDeclaration.objects.filter(member_id=OuterRef("member_id"), dossier_id=OuterRef("dossier_id")))


def _submitted(round_field="round", dossier_field="dossier"):
    return ScoreSheet.objects.filter(
        round=OuterRef(round_field), dossier=OuterRef(dossier_field), status=SheetStatus.SUBMITTED
    ).exclude(_recused()).order_by().values("dossier")


def _entries_scope(user, round_: Round) -> tuple[QuerySet, int | None]:
    """(the round's entries the user may open, the user's membership id in the round's council or None)."""
    qs = RoundEntry.objects.filter(round=round_)
    scope = user_scope(user)
    manager = scope.is_admin or round_.province_id in scope.unit_ids(Role.PROVINCE_STAFF)
    advisory = round_.advisory_group_id is not None and round_.advisory_group_id in eval_rules._memberships(user)
    role = eval_rules.council_role(user, round_)
    member_id = eval_rules.membership_id(user, round_)
    if not (manager or advisory):
        if role is None or not eval_rules.phase_allows(round_, "open"):
            return qs.none(), member_id
        if role not in (CouncilRole.CHAIR, CouncilRole.SECRETARY):
            qs = qs.filter(dossier_id__in=Assignment.objects.filter(round=round_, member_id=member_id).values("dossier_id"))
    if member_id is not None:
        qs = qs.exclude(dossier_id__in=ConflictDeclaration.objects.filter(member_id=member_id).values("dossier_id"))
    return qs, member_id


def _submitted_count():
    return Coalesce(Subquery(_submitted().annotate(n=Count("pk")).values("n")[:1]), Value(0), output_field=IntegerField())


def entries_visible_to(user, round_: Round) -> QuerySet:
    """The dossiers of `round_` the user may open, with submitted-sheet count and own sheet."""
    qs, member_id = _entries_scope(user, round_)
    own = ScoreSheet.objects.filter(round=OuterRef("round"), dossier=OuterRef("dossier"), member_id=member_id or 0)
    return qs.select_related("round", "dossier__producer", "dossier__commune", "rubric__product_set").annotate(
        submitted_count=_submitted_count(),
        own_status=Subquery(own.values("status")[:1]),
        own_total=Subquery(own.values("total")[:1]),
        assigned=Subquery(Assignment.objects.filter(round=OuterRef("round"), dossier=OuterRef("dossier"),
                                                    member_id=member_id or 0).values("pk")[:1]),
    ).order_by("dossier__product_name", "pk")


def scoring_rows(user, round_: Round) -> list[dict]:
    """The round page's list, ready to print: per dossier the user may open, its name, producer, product set,
    submitted sheets and the user's own sheet ("own": None, "draft", "submitted" or "todo" when assigned and
    not started; "own_total"). Plain dicts in one query, only the columns shown."""
    qs, member_id = _entries_scope(user, round_)
    fields = ["dossier_id", "dossier__product_name", "dossier__producer__name", "rubric__product_set__name",
              "submitted_count"]
    qs = qs.annotate(submitted_count=_submitted_count())
    if member_id is not None:  # only a council member has a sheet or an assignment of their own
        own = ScoreSheet.objects.filter(round=OuterRef("round"), dossier=OuterRef("dossier"), member_id=member_id)
        qs = qs.annotate(own_status=Subquery(own.values("status")[:1]), own_total=Subquery(own.values("total")[:1]),
                         assigned=Exists(Assignment.objects.filter(round=OuterRef("round"), dossier=OuterRef("dossier"),
                                                                   member_id=member_id)))
        fields += ["own_status", "own_total", "assigned"]
    rows = []
    for values in qs.order_by("dossier__product_name", "pk").values_list(*fields):
        dossier_id, name, producer, product_set, submitted = values[:5]
        own_status, own_total, assigned = values[5:] if member_id is not None else (None, None, False)
        rows.append({"dossier_id": dossier_id, "product_name": name, "producer": producer, "product_set": product_set,
                     "submitted_count": submitted, "own_status": own_status, "own_total": own_total,
                     "assigned": assigned})
    return rows


def entry_for(user, round_id, dossier_id) -> RoundEntry | None:
    """One entry if the user may open it, else None (the view answers 404)."""
    entry = (RoundEntry.objects.select_related("round__council", "dossier__producer", "dossier__commune",
                                               "rubric__product_set", "rubric__legal_document")
             .filter(round_id=round_id, dossier_id=dossier_id).order_by().first())
    if entry is None or not user.has_perm("evaluations.view_entry", entry):
        return None
    return entry


def entry_to_write(round_id, dossier_id) -> RoundEntry | None:
    """An entry with its round only, for a write whose service checks the permission itself (the autosave)."""
    try:
        return RoundEntry.objects.select_related("round").get(round_id=round_id, dossier_id=dossier_id)
    except RoundEntry.DoesNotExist:  # (round, dossier) is unique: one entry or none
        return None


def next_entry_for(user, round_: Round, *, after_dossier_id=None) -> RoundEntry | None:
    """The assigned dossier, not yet submitted by the user, with the fewest submitted sheets."""
    qs = entries_visible_to(user, round_).filter(assigned__isnull=False).filter(
        Q(own_status__isnull=True) | ~Q(own_status=SheetStatus.SUBMITTED))
    if after_dossier_id:
        qs = qs.exclude(dossier_id=after_dossier_id)
    return qs.order_by("submitted_count", "pk").first()


# --- sheets --------------------------------------------------------------------------------------
@dataclass
class CriterionRow:
    criterion: Criterion
    options: list
    depth: int


# What the scoring page reads of a sheet (not the long descriptions, cases and notes, nor their JSON).
_SCORING_CRITERION_FIELDS = (
    "id", "rubric_id", "group_id", "part_code", "parent_id", "code", "name", "requirement", "implicit", "scorable",
    "max_points", "position", "group__id", "group__part_id", "group__number", "group__name", "group__max_points",
    "group__position", "group__part__id", "group__part__code", "group__part__max_points",
)
_SCORING_OPTION_FIELDS = ("id", "criterion_id", "text", "points", "min_star", "case", "position")


def rubric_layout(rubric: Rubric, *, for_scoring: bool = False) -> list[dict]:
    """Parts → groups → criteria (sub-criteria indented) → options, in sheet order, in two queries.
    `for_scoring`: only the columns the scoring page shows are read."""
    criteria = Criterion.objects.filter(rubric=rubric).select_related("group__part").order_by("position")
    options_qs = Option.objects.filter(rubric=rubric).order_by("criterion_id", "position")
    if for_scoring:
        criteria, options_qs = criteria.only(*_SCORING_CRITERION_FIELDS), options_qs.only(*_SCORING_OPTION_FIELDS)
    criteria = list(criteria)
    options = defaultdict(list)
    for option in options_qs:
        options[option.criterion_id].append(option)
    parts: dict = {}
    for criterion in criteria:
        group = criterion.group
        part = parts.setdefault(group.part.code, {"part": group.part, "groups": {}})
        entry = part["groups"].setdefault(group.pk, {"group": group, "rows": []})
        entry["rows"].append(CriterionRow(criterion, options[criterion.pk], 1 if criterion.parent_id else 0))
    return [{"part": p["part"], "groups": list(p["groups"].values())} for p in parts.values()]


def own_sheet(user, entry: RoundEntry) -> ScoreSheet | None:
    member_id = eval_rules.membership_id(user, entry.round)
    if member_id is None:
        return None
    return ScoreSheet.objects.filter(round_id=entry.round_id, dossier_id=entry.dossier_id, member_id=member_id).first()


def sheet_choices(sheet: ScoreSheet | None) -> dict:
    """criterion id → Option of a sheet."""
    if sheet is None:
        return {}
    return {c.criterion_id: c.option for c in ScoreChoice.objects.filter(sheet=sheet).select_related("option")}


def rubric_facts(rubric_id: int) -> dict:
    """What a score sheet's save and running totals need of its rubric: every option by id, the scorable
    criteria (part, code), the star minimums and the part maxima. Reference data, read on every autosave:
    kept in the process's memory while the rubric tables keep their data versions (ocop_portal.pagecache), so
    an autosave reads none of it. Callers must not change what they get (it is shared)."""
    from ocop_portal.pagecache import remember

    def build() -> dict:
        options = {o.pk: o for o in Option.objects.filter(rubric_id=rubric_id).order_by()}
        return {
            "options": options,
            "criteria": {pk: (part_code, code) for pk, part_code, code in Criterion.objects.filter(
                rubric_id=rubric_id, scorable=True).order_by().values_list("pk", "part_code", "code")},
            "minimums": [StarMinimum(code, star, pts) for code, star, pts in Option.objects.filter(
                rubric_id=rubric_id, min_star__isnull=False).order_by().values_list("criterion__code", "min_star",
                                                                                   "points")],
            "maxima": dict(Part.objects.filter(rubric_id=rubric_id).order_by("code").values_list("code", "max_points")),
        }

    return remember(f"rubric-facts:{rubric_id}", build, local=True)


def live_summary(entry: RoundEntry, chosen: dict, layout: list | None = None) -> dict:
    """Running totals per part and overall, and the star minimums the current choices meet.

    The rubric's facts come from memory (rubric_facts): no query while the rubric is unchanged."""
    from .ranking import minima_star_of

    totals = {"A": Decimal(0), "B": Decimal(0), "C": Decimal(0)}
    codes = {}
    if layout is not None:
        rows = [row for part in layout for group in part["groups"] for row in group["rows"]]
        criteria = {row.criterion.pk: (row.criterion.part_code, row.criterion.code) for row in rows
                    if row.criterion.scorable}
        minimums = [StarMinimum(row.criterion.code, o.min_star, o.points) for row in rows for o in row.options
                    if o.min_star is not None]
    facts = rubric_facts(entry.rubric_id)
    if layout is None:
        criteria, minimums = facts["criteria"], facts["minimums"]
    # The sheet's own part maxima: 40/25/35 under 148 and 26/2026, but 35/25/40 on a 1048 sheet.
    maxima = dict(facts["maxima"])
    for criterion_id, option in chosen.items():
        criterion = criteria.get(criterion_id)
        if criterion is not None:
            totals[criterion[0]] += option.points
            codes[criterion[1]] = option.points
    minima_star, blockers = minima_star_of(codes, minimums)
    return {
        "totals": totals, "total": sum(totals.values(), Decimal(0)), "minima_star": minima_star, "blockers": blockers,
        "maxima": maxima, "max_total": sum(maxima.values(), Decimal(0)),
        "chosen": len(chosen), "scorable": len(criteria),
    }


def peers_visible(user, entry: RoundEntry, sheet: ScoreSheet | None) -> bool:
    """Other members' sheets: only after submitting one's own, and only in phases that allow it."""
    round_ = entry.round
    if not eval_rules.phase_allows(round_, "peers"):
        return False
    scope = user_scope(user)
    if scope.is_admin or round_.province_id in scope.unit_ids(Role.PROVINCE_STAFF):
        return round_.phase in (RoundPhase.COUNCIL_MEETING, RoundPhase.CLOSED)
    if round_.phase == RoundPhase.CLOSED and eval_rules.council_role(user, round_) is not None:
        return True
    return sheet is not None and sheet.status == SheetStatus.SUBMITTED


def peer_sheets(entry: RoundEntry, *, exclude_sheet_id=None) -> list[ScoreSheet]:
    """The submitted sheets that count: a member who declared a conflict after submitting is left out."""
    qs = (ScoreSheet.objects.filter(round_id=entry.round_id, dossier_id=entry.dossier_id, status=SheetStatus.SUBMITTED)
          .exclude(_recused()).select_related("member__user", "member__organisation"))
    if exclude_sheet_id:
        qs = qs.exclude(pk=exclude_sheet_id)
    return list(qs.order_by("member__role", "member__user__full_name"))


def score_sheets_visible_to(user) -> QuerySet:
    """For the API: a member's own sheets, never those of a dossier they are conflicted with, and only of the
    memberships the user still acts on (an ended council-member role sees none)."""
    conflicts = ConflictDeclaration.objects.filter(member__user=user, member__council=OuterRef("round__council"),
                                                   dossier=OuterRef("dossier"))
    return (ScoreSheet.objects.filter(member_id__in=eval_rules.membership_ids(user)).exclude(Exists(conflicts))
            .select_related("round", "dossier", "member"))


def latest_evidence_of(entry: RoundEntry) -> list:
    """The evidence files of the dossier's latest revision, in one query."""
    from registrations.models import DossierRevision, EvidenceFile

    latest = DossierRevision.objects.filter(dossier_id=entry.dossier_id).order_by("-number").values("pk")[:1]
    return list(EvidenceFile.objects.filter(revision_id=Subquery(latest)).order_by("kind", "pk"))


def findings_of(entry: RoundEntry) -> list[AdvisoryFinding]:
    return list(AdvisoryFinding.objects.filter(round_id=entry.round_id, dossier_id=entry.dossier_id)
                .select_related("recorded_by", "knockout_condition").order_by("recorded_at"))


# --- ranking -------------------------------------------------------------------------------------
@dataclass
class Ranking:
    entry: RoundEntry  # or a RankedEntry (the results preview): round_rankings reads only dossier_id and rubric_id
    outcome: object  # ranking.RankingResult
    rule: dict
    inputs: dict


def _policy(council) -> RankingPolicy:
    return RankingPolicy(spread_limit=council.spread_limit, quorum_ratio=council.quorum_ratio,
                         chair_required=council.chair_required)


def round_rankings(round_: Round, entries=None, *, with_inputs: bool = True) -> list[Ranking]:
    """Rank every dossier of a round from the database, in a fixed number of queries.

    The ranking is a pure function of its inputs; the small ones (the round's sheets with their status, total
    and submission time, members, conflicts, minimums, knock-out findings, the council's rules) are read on
    every call and hashed into a version key (the sheets digested by the database on PostgreSQL, so a cached
    ranking costs the same for 40 dossiers as for 200). Only on a new version are the sheets' choices read
    (42,800 rows for 200 dossiers) and the dossiers ranked; otherwise the outcome is taken from the cache. A
    submitted sheet's choices change only through a reopening and a new submission, which change its status
    and time. The outcomes and the (larger) inputs are cached apart: a page that shows only the outcomes
    (`with_inputs=False`, each Ranking's `inputs` then None) never reads the inputs back.
    """
    council = round_.council
    policy = _policy(council)
    if entries is None:
        entries = list(RoundEntry.objects.filter(round=round_).select_related("dossier", "rubric").order_by("pk"))
    members = list(acting_memberships(council).select_related("user"))
    submitted = ScoreSheet.objects.filter(round=round_, status=SheetStatus.SUBMITTED).order_by("pk").values_list(
        "pk", "dossier_id", "member_id", "total", "submitted_at")
    sheet_rows = None
    if connection.vendor == "postgresql":
        sheets_version = _sheets_digest(round_.pk)
    else:
        sheet_rows = list(submitted)
        sheets_version = repr(sheet_rows)
    conflicts = set(ConflictDeclaration.objects.filter(member__council=council).values_list("member_id", "dossier_id"))
    minimums = defaultdict(list)
    for rubric_id, code, star, points in Option.objects.filter(
            rubric_id__in={e.rubric_id for e in entries}, min_star__isnull=False).order_by("pk").values_list(
            "rubric_id", "criterion__code", "min_star", "points"):
        minimums[rubric_id].append(StarMinimum(code, star, points))
    knockouts = defaultdict(list)
    for dossier_id, text in AdvisoryFinding.objects.filter(round=round_, kind=FindingKind.KNOCKOUT).values_list(
            "dossier_id", "knockout_condition__text").order_by("pk"):
        if text not in knockouts[dossier_id]:
            knockouts[dossier_id].append(text)
    names = {m.pk: str(m.user) for m in members}
    keyed = [(e.dossier_id, e.rubric_id) for e in entries]
    version = hashlib.blake2b(repr((
        (policy.spread_limit, policy.quorum_ratio, policy.chair_required,
         [(b.stars, b.minimum) for b in policy.bands]),
        keyed, [(m.pk, m.role, names[m.pk]) for m in members], sheets_version, sorted(conflicts),
        sorted((k, [(m.criterion_code, m.min_star, m.points) for m in v]) for k, v in minimums.items()),
        sorted(knockouts.items()),
    )).encode(), digest_size=16).hexdigest()
    key, inputs_key = f"ocop:ranking:{round_.pk}:{version}", f"ocop:ranking-inputs:{round_.pk}:{version}"
    if with_inputs:
        found = cache.get_many([key, inputs_key])
        computed, all_inputs = found.get(key), found.get(inputs_key)
    else:
        computed, all_inputs = cache.get(key), {}
    if computed is None or all_inputs is None:
        if sheet_rows is None:
            sheet_rows = list(submitted)
        sheets = defaultdict(dict)
        for pk, dossier_id, member_id, total, _at in sheet_rows:
            sheets[dossier_id][member_id] = {"pk": pk, "total": total}
        choices = defaultdict(dict)
        for sheet_id, code, points in ScoreChoice.objects.filter(sheet_id__in=[row[0] for row in sheet_rows]).values_list(
                "sheet_id", "criterion__code", "option__points"):
            choices[sheet_id][code] = points
        rule, ranked = _rank_entries(keyed, policy, members, names, sheets, choices, conflicts, minimums, knockouts)
        computed = (rule, {dossier_id: outcome for dossier_id, (outcome, _inputs) in ranked.items()})
        all_inputs = {dossier_id: inputs for dossier_id, (_outcome, inputs) in ranked.items()}
        cache.set_many({key: computed, inputs_key: all_inputs}, RANKING_CACHE_SECONDS)
    rule, outcomes = computed
    return [Ranking(entry=entry, outcome=outcomes[entry.dossier_id], rule=rule,
                    inputs=all_inputs[entry.dossier_id] if with_inputs else None) for entry in entries]


def _sheets_digest(round_id: int) -> tuple:
    """(count, md5) of the round's submitted sheets (id, dossier, member, total, submission time), computed by
    PostgreSQL: one row back however many sheets the round has."""
    table = ScoreSheet._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), md5(coalesce(string_agg(concat_ws(',', id, dossier_id, member_id, total, "  # noqa: S608
            f"submitted_at), ';' ORDER BY id), '')) FROM {table} WHERE round_id = %s AND status = %s",
            [round_id, SheetStatus.SUBMITTED.value])
        return tuple(cursor.fetchone())


RANKING_CACHE_SECONDS = 24 * 3600  # the key is the data's version; the timeout only frees the memory


def _rank_entries(keyed, policy, members, names, sheets, choices, conflicts, minimums, knockouts) -> tuple:
    """(rule, {dossier id: (outcome, inputs)}) of the round's dossiers."""
    rule = {"name": "ocop-26-2026-star-rule", "spread_limit": str(policy.spread_limit),
            "quorum_ratio": str(policy.quorum_ratio), "chair_required": policy.chair_required,
            "bands": [{"stars": b.stars, "min": str(b.minimum)} for b in policy.bands]}
    out = {}
    for dossier_id, rubric_id in keyed:
        by_member = sheets.get(dossier_id, {})
        totals = []
        for m in members:
            sheet = by_member.get(m.pk)
            recused = (m.pk, dossier_id) in conflicts
            totals.append(SheetTotal(member_id=m.pk, total=sheet["total"] if sheet else None,
                                     is_chair=m.role == CouncilRole.CHAIR, submitted=sheet is not None,
                                     recused=recused))
        counted = [by_member[t.member_id]["pk"] for t in totals if t.submitted and not t.recused]
        consensus = consensus_points([choices[pk] for pk in counted])
        inp = RankingInput(sheets=tuple(totals), council_size=len(members), consensus=consensus,
                           minimums=tuple(minimums[rubric_id]), knockouts=tuple(knockouts[dossier_id]))
        outcome = rank(inp, policy)
        inputs = {
            "council_size": len(members),
            "sheets": [{"member_id": t.member_id, "member": names[t.member_id], "total": None if t.total is None
                        else str(t.total), "is_chair": t.is_chair, "submitted": t.submitted, "recused": t.recused}
                       for t in totals],
            "consensus": {k: str(v) for k, v in sorted(consensus.items())},
            "minimums": [{"criterion": m.criterion_code, "min_star": m.min_star, "points": str(m.points)}
                         for m in inp.minimums],
            "knockouts": list(inp.knockouts),
            "result": outcome.as_dict(),
        }
        out[dossier_id] = (outcome, inputs)
    return rule, out


def results_visible_to(user, round_: Round) -> QuerySet:
    """Frozen results of a round for the dossiers the user may open."""
    dossier_ids = _entries_scope(user, round_)[0].values("dossier_id")
    return (Result.objects.filter(round=round_, dossier_id__in=dossier_ids)
            .select_related("dossier__producer", "rubric__product_set", "authority").order_by("-mean", "pk"))


def result_rows(user, round_: Round) -> list[dict]:
    """The results page's rows: results_visible_to as plain dicts of the columns the page shows (never the
    frozen rule and inputs)."""
    names = {"dossier__product_name": "product_name", "dossier__producer__name": "producer",
             "rubric__product_set__name": "product_set", "authority__level": "authority_level"}
    fields = ["pk", "dossier_id", "mean", "spread", "spread_exceeded", "final_star", "quorum_met", "for_ministry",
              "central_mean", "central_star", "reasons", *names]
    return [{names.get(f, f): v for f, v in zip(fields, row, strict=True)}
            for row in results_visible_to(user, round_).values_list(*fields)]


class RankedEntry(NamedTuple):
    """What the results preview reads of an entry: enough for round_rankings (dossier and rubric ids)."""

    dossier_id: int
    rubric_id: int
    product_name: str


def entries_to_rank(user, round_: Round) -> list[RankedEntry]:
    """The entries of the results preview (the same as entries_visible_to, in its order), as plain tuples of
    what the ranking and the page read: the dossier's id and name and the rubric's id."""
    qs, _member_id = _entries_scope(user, round_)
    return [RankedEntry(*row) for row in qs.order_by("dossier__product_name", "pk").values_list(
        "dossier_id", "rubric_id", "dossier__product_name")]


def results_visible_to_user(user) -> QuerySet:
    """All frozen results the user may see, for the API."""
    scope = user_scope(user)
    qs = Result.objects.select_related("round", "dossier", "rubric__product_set", "authority")
    if scope.is_admin:
        return qs
    memberships = eval_rules._memberships(user)
    conflicts = ConflictDeclaration.objects.filter(member__user=user).values("dossier_id")
    staff = Q(round__province_id__in=scope.unit_ids(Role.PROVINCE_STAFF))
    lead = Q(round__council_id__in=[c for c, (_m, r) in memberships.items()
                                    if r in (CouncilRole.CHAIR, CouncilRole.SECRETARY)])
    assigned = Q(pk__in=Result.objects.filter(
        round__assignments__member_id__in=eval_rules.membership_ids(user),
        round__assignments__dossier=F("dossier")).values("pk"))
    return qs.filter(staff | ((lead | assigned) & ~Q(dossier_id__in=conflicts)))


def self_assessment_of(entry: RoundEntry):
    """The producer's submitted self-assessment on the entry's sheet, latest revision first."""
    from .models import SelfAssessment

    return (SelfAssessment.objects.filter(dossier_id=entry.dossier_id, rubric_id=entry.rubric_id,
                                          status=SheetStatus.SUBMITTED).order_by("-revision__number").first())


# --- the yearly round plan ----------------------------------------------------------------------------------
# Decision 26/2026 Art. 7: at least two provincial rounds a year, the first finished before 30 June
# (communes forward before 30 April), the second before 30 December (communes forward before 30 October).
ROUND_HALVES = (
    (1, (6, 30), (4, 30)),
    (2, (12, 30), (10, 30)),
)


def round_plan_gaps(*, province, year: int) -> list[dict]:
    """The statutory rounds of `year` that the province has not opened yet: [{"number", "closes_by", "forward_by"}]."""
    return round_plan_gaps_of(provinces=[province], year=year)[province.pk]


def round_plan_gaps_of(*, provinces, year: int) -> dict:
    """province id → round_plan_gaps of each province, in one query (an administrator's home lists 34)."""
    import datetime

    from .enums import RoundKind
    from .models import Round

    closes = defaultdict(list)
    for province_id, closes_on in (Round.objects.filter(province__in=provinces, year=year).exclude(kind=RoundKind.CENTRAL)
                                   .values_list("province_id", "closes_on")):
        closes[province_id].append(closes_on)
    out = {}
    for province in provinces:
        gaps = []
        for number, (m, d), (fm, fd) in ROUND_HALVES:
            closes_by = datetime.date(year, m, d)
            start = datetime.date(year, 1, 1) if number == 1 else datetime.date(year, 7, 1)
            if not any(start <= c <= closes_by for c in closes[province.pk]):
                gaps.append({"number": number, "closes_by": closes_by, "forward_by": datetime.date(year, fm, fd)})
        out[province.pk] = gaps
    return out


def scorers_by_dossier(round_: Round) -> dict:
    """{dossier id: [(member's name, role label), ...]}: who scores which dossier of the round, in one query.
    Each member's name and role label are worked out once, however many dossiers they score."""
    from accounts.models import User

    out: dict = defaultdict(list)
    labels = dict(CouncilRole.choices)
    people: dict = {}
    assignments = (Assignment.objects.filter(round=round_)
                   .order_by("dossier_id", "member__role", "member__user__full_name")
                   .values_list("dossier_id", "member_id", "member__role", "member__user__full_name",
                                "member__user__first_name", "member__user__last_name", "member__user__username"))
    for dossier_id, member_id, role, full_name, first_name, last_name, username in assignments:
        person = people.get(member_id)
        if person is None:
            name = str(User(full_name=full_name, first_name=first_name, last_name=last_name, username=username))
            person = people[member_id] = (name, str(labels.get(role, role)))
        out[dossier_id].append(person)
    return dict(out)
