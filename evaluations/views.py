"""Pages of evaluations. Anything out of the user's reach is a 404, never a 403."""
import csv
import html

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.drafts import autosave_response, draft_initial, form_draft_discard, form_draft_of, is_autosave, saved_message
from ocop_portal.documents import document_response
from registrations.enums import DossierStatus
from ocop_portal.uploads import stored_file_response
from registrations.models import Dossier, EvidenceFile
from registrations.selectors import dossier_detail_queryset
from registrations.services import current_revision

from ocop_portal.pagecache import cached_page

from . import rules as eval_rules
from . import selectors, services
from .enums import ROUND_TRANSITIONS, CouncilRole, RoundPhase, SheetStatus
from .forms import (
    CentralResultForm, ConflictForm, FindingForm, ReopenForm, RoundOpenForm, SpreadConclusionForm, id_from, ids_from,
    sheet_choices_from,
)
from .documents import form_02_context
from .minutes import minutes_file_missing, minutes_regenerate
from .templatetags.evaluations_tags import points, reason
from .models import Membership, Result, Round, ScoreSheet


def _round_or_404(user, pk) -> Round:
    return get_object_or_404(selectors.rounds_visible_to(user), pk=pk)


def _entry_or_404(user, round_pk, dossier_pk):
    entry = selectors.entry_for(user, round_pk, dossier_pk)
    if entry is None:
        raise Http404
    return entry


def _member_or_404(user, entry) -> int:
    """Only a member of the round's council writes a score sheet: anyone else (an administrator included) gets 404."""
    member_id = eval_rules.membership_id(user, entry.round)
    if member_id is None:
        raise Http404
    return member_id


def _error(request, exc):
    messages.error(request, " ".join(exc.messages))


@login_required
@cached_page
def round_list_view(request):
    rounds, filterset = selectors.round_list(user=request.user, filters=request.GET)
    from accounts.enums import Role
    from accounts.selectors import user_scope

    can_open = bool(user_scope(request.user).unit_ids(Role.PROVINCE_STAFF))
    url, phases = _id_url("evaluations:round_detail"), {value: str(label) for value, label in RoundPhase.choices}
    rows = [{"url": url(pk), "name": str(Round(title=title, kind=kind, number=number, year=year)),
             "province": province or "", "phase": phases.get(phase, phase), "forward_deadline": deadline,
             "entry_count": entry_count}
            for pk, title, kind, number, year, province, phase, deadline, entry_count in rounds.values_list(
                "pk", "title", "kind", "number", "year", "province__name", "phase", "forward_deadline", "entry_count")]
    return render(request, "evaluations/round_list.html", {"rounds": rows, "filter": filterset, "can_open": can_open})


@login_required
def round_open_view(request):
    """The secretariat opens a round (at least two a year) for its province."""
    from accounts.enums import Role
    from accounts.selectors import user_provinces

    provinces = user_provinces(request.user, Role.PROVINCE_STAFF)
    if not provinces.exists():
        raise Http404
    form = RoundOpenForm(request.POST or None, provinces=provinces)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.round_open(by=request.user, **data)
            messages.success(request, _("Đã mở %(r)s.") % {"r": round_})
            return redirect(round_.get_absolute_url())
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "evaluations/round_open.html", {"form": form})


@login_required
@cached_page
def round_detail_view(request, pk):
    """The round's scoring list: the dossiers the user may open, with submitted counts and own sheets."""
    round_ = _round_or_404(request.user, pk)
    can_manage = request.user.has_perm("evaluations.manage_round", round_)
    council_role = eval_rules.council_role(request.user, round_)
    show_scorers = can_manage or council_role in (CouncilRole.CHAIR, CouncilRole.SECRETARY)
    ctx = {
        "round": round_, "entries": _scoring_list(round_, selectors.scoring_rows(request.user, round_), show_scorers),
        "can_manage": can_manage, "can_close": request.user.has_perm("evaluations.close_round", round_),
        "next_phases": _phase_steps(round_), "council_role": council_role, "show_scorers": show_scorers,
    }
    if can_manage:
        from activity.selectors import activity_for

        ctx["history"] = list(activity_for(round_).order_by("-at")[:50])
    if can_manage and round_.phase != RoundPhase.CLOSED:
        from registrations.models import ProductGroup

        ctx["memberships"] = list(selectors.acting_memberships(round_.council)
                                  .select_related("user").order_by("role", "user__full_name"))
        ctx["product_groups"] = list(ProductGroup.objects.filter(classification=round_.legal_document.number,
                                                                 level__in=["group", "subgroup"]).order_by("code"))
    if can_manage and "place" in eval_rules.PHASE_POLICY[round_.phase]:
        ctx["placeable"] = Dossier.objects.filter(
            status=DossierStatus.ACCEPTED, commune__current_province_id=round_.province_id
        ).select_related("producer").order_by("product_name")[:200]
    return render(request, "evaluations/round_detail.html", ctx)


def _id_url(name: str, *args):
    """A function of an id giving the URL `name` with `args` and that id last: one reverse() for a whole list."""
    head, _sep, tail = reverse(name, args=[*args, 0]).rpartition("/0/")
    return lambda pk: f"{head}/{pk}/{tail}"


def _esc(value) -> str:
    """Django's escape() without marking the result safe (one call per value of a long list)."""
    return html.escape(str(value))


_SCORING_ROW = (
    '\n    <tr><td><a href="{}">{}</a></td>\n      <td>{}</td><td>{}</td>\n      <td class="text-end">{}</td>\n      {}\n'
    '      <td>{}</td></tr>\n  '
)


def _scoring_list(round_, rows: list[dict], show_scorers: bool) -> dict:
    """The round page's list ready to print: its table rows and the dossier choices of the assignment form,
    each escaped once here (a 200-dossier round would otherwise render ~2,000 template nodes). The scorers
    (each member's name and role escaped once) and the user's own sheet; labels translated once per request."""
    url = _id_url("evaluations:entry_score", round_.pk)
    submitted, draft, todo = _("Đã nộp"), _("Bản nháp"), _("Chưa chấm")
    unassigned = f'<td data-testid="scorers"><span class="text-danger">{_esc(_("Chưa phân công"))}</span></td>'
    scorers = selectors.scorers_by_dossier(round_) if show_scorers else {}
    people: dict = {}
    table, options = [], []
    for row in rows:
        status = row["own_status"]
        if status == SheetStatus.SUBMITTED:
            own = f"{submitted} ({points(row['own_total'])})"
        else:
            own = draft if status else todo if row["assigned"] else ""
        cell = ""
        if show_scorers:
            names = []
            for person in scorers.get(row["dossier_id"], ()):
                fragment = people.get(person)
                if fragment is None:
                    fragment = people[person] = f'{_esc(person[0])} <span class="text-muted small">({_esc(person[1])})</span>'
                names.append(fragment)
            cell = f'<td data-testid="scorers">{", ".join(names)}</td>' if names else unassigned
        name = _esc(row["product_name"])
        table.append(_SCORING_ROW.format(url(row["dossier_id"]), name, _esc(row["producer"]),
                                         _esc(row["product_set"]), row["submitted_count"], cell, _esc(own)))
        options.append(f'<option value="{row["dossier_id"]}">{name}</option>')
    # Every value above is escaped (_esc: as Django's escape) or an id, a URL of ids or our own markup.
    return {"rows": mark_safe("".join(table)), "options": mark_safe("".join(options)), "count": len(rows)}  # noqa: S308


def _phase_steps(round_) -> list[dict]:
    """The phases the round may move to: forward first (the primary button), then back."""
    order = list(RoundPhase)
    here = order.index(RoundPhase(round_.phase))
    steps = [{"phase": RoundPhase(p), "forward": order.index(RoundPhase(p)) > here} for p in ROUND_TRANSITIONS[round_.phase]]
    return sorted(steps, key=lambda s: (not s["forward"], order.index(s["phase"])))


@login_required
def round_close_confirm_view(request, pk):
    """Closing the meeting cannot be undone: the chair first reads what will happen and what still stops it."""
    round_ = _round_or_404(request.user, pk)
    if not request.user.has_perm("evaluations.close_round", round_) or round_.phase != RoundPhase.COUNCIL_MEETING:
        raise Http404
    rankings = selectors.round_rankings(round_, with_inputs=False)
    unresolved = {r.entry.dossier_id for r in services.spread_unresolved(round_, rankings)}
    rows = [{"ranking": r, "spread_blocks": r.entry.dossier_id in unresolved,
             "quorum_blocks": not r.outcome.quorum_met and not r.outcome.knocked_out} for r in rankings]
    return render(request, "evaluations/round_close_confirm.html", {
        "round": round_, "rows": rows, "blocked": any(r["spread_blocks"] or r["quorum_blocks"] for r in rows),
    })


@login_required
@require_POST
def round_transition_view(request, pk):
    round_ = _round_or_404(request.user, pk)
    if request.POST.get("to") == RoundPhase.CLOSED and request.POST.get("confirmed") != "1":
        return redirect("evaluations:round_close_confirm", pk=round_.pk)
    try:
        services.round_transition(round=round_, to=request.POST.get("to", ""), by=request.user)
        messages.success(request, _("Kỳ đánh giá đã chuyển sang “%(p)s”.") % {"p": round_.get_phase_display()})
    except (ValidationError, ValueError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect(round_.get_absolute_url())


@login_required
@require_POST
def round_place_view(request, pk):
    round_ = _round_or_404(request.user, pk)
    ids = ids_from(request.POST.getlist("dossier"))
    dossiers = list(Dossier.objects.filter(pk__in=ids).select_related("commune"))
    try:
        entries = services.round_dossiers_place(round=round_, dossiers=dossiers, by=request.user)
        messages.success(request, _("Đã đưa %(n)d hồ sơ vào kỳ đánh giá.") % {"n": len(entries)})
    except ValidationError as exc:
        _error(request, exc)
    return redirect(round_.get_absolute_url())


@login_required
@require_POST
def round_assign_view(request, pk):
    """Assignment by hand (one member to one dossier) or in bulk by product group."""
    from registrations.models import ProductGroup

    round_ = _round_or_404(request.user, pk)
    members = selectors.acting_memberships(round_.council)
    try:
        if request.POST.get("mode") == "group":
            group = get_object_or_404(ProductGroup, pk=id_from(request.POST.get("product_group")) or 0)
            chosen = list(members.filter(pk__in=ids_from(request.POST.getlist("member"))))
            n = services.assignments_bulk_by_product_group(round=round_, product_group=group, members=chosen,
                                                           by=request.user)
        else:
            member = get_object_or_404(members, pk=id_from(request.POST.get("member")) or 0)
            dossier = get_object_or_404(Dossier, pk=id_from(request.POST.get("dossier")) or 0)
            services.assignment_add(round=round_, dossier=dossier, member=member, by=request.user)
            n = 1
        messages.success(request, _("Đã phân công %(n)d lượt chấm.") % {"n": n})
    except ValidationError as exc:
        _error(request, exc)
    return redirect(round_.get_absolute_url())


@login_required
@require_POST
def round_auto_assign_view(request, pk):
    round_ = _round_or_404(request.user, pk)
    try:
        n = services.assignments_auto_balance(round=round_, by=request.user)
        messages.success(request, _("Đã phân công thêm %(n)d lượt chấm.") % {"n": n})
    except ValidationError as exc:
        _error(request, exc)
    return redirect(round_.get_absolute_url())


def _unscored(layout, chosen) -> list:
    """The scorable criteria of the sheet with no option chosen, in the sheet's order (each links to its group)."""
    return [row.criterion for part in layout for group in part["groups"] for row in group["rows"]
            if row.criterion.scorable and row.criterion.pk not in chosen]


_OPTION_HTML = (
    '\n          <div class="form-check"><input class="form-check-input" type="radio" name="c{}" id="o{}" value="{}" '
    'data-points="{}"{}>\n            <label class="form-check-label" for="o{}">{}{} — <strong>{}</strong>{}</label></div>\n'
    '        '
)


def _sheet_display(layout, chosen_ids: dict) -> list[dict]:
    """The sheet's parts and groups with each criterion's heading and its options' radio buttons ready to print
    (escaped here, once): the template prints them instead of rendering ~100 options one node at a time.
    Labels are translated and points formatted once per distinct value."""
    from django.utils.formats import localize

    stars, localized, whole = {}, {}, {}
    parts = []
    for p in layout:
        groups = []
        for g in p["groups"]:
            rows = []
            for row in g["rows"]:
                c = row.criterion
                max_points = whole.get(c.max_points) or whole.setdefault(c.max_points, points(c.max_points, 0))
                if not c.scorable:
                    rows.append({"criterion": c, "max": max_points})
                    continue
                chosen = chosen_ids.get(c.pk)
                options = []
                for o in row.options:
                    badge = ""
                    if o.min_star:
                        if o.min_star not in stars:
                            stars[o.min_star] = (' <span class="badge text-bg-warning">'
                                                 f'{_esc(_("tối thiểu %(s)s★") % {"s": o.min_star})}</span>')
                        badge = stars[o.min_star]
                    if o.points not in localized:
                        localized[o.points] = _esc(localize(o.points))
                        whole[o.points] = points(o.points, 0)
                    options.append(_OPTION_HTML.format(
                        c.pk, o.pk, o.pk, localized[o.points], " checked" if chosen == o.pk else "", o.pk,
                        f"[{_esc(o.case)}] " if o.case else "", _esc(o.text), whole[o.points], badge))
                # Every value above is escaped (_esc: as Django's escape), a number or our own markup.
                rows.append({"criterion": c, "max": max_points, "depth": row.depth,
                             "options": mark_safe("".join(options))})  # noqa: S308
            groups.append({"group": g["group"], "max": points(g["group"].max_points, 0), "rows": rows})
        parts.append({"part": p["part"], "max": points(p["part"].max_points, 0), "groups": groups})
    return parts


def _scoring_context(request, entry, *, chosen=None):
    sheet = selectors.own_sheet(request.user, entry)
    if chosen is None:
        chosen = selectors.sheet_choices(sheet)
    can_score = request.user.has_perm("evaluations.score_entry", entry) and (
        sheet is None or sheet.status != SheetStatus.SUBMITTED)
    show_peers = selectors.peers_visible(request.user, entry, sheet)
    member_id = eval_rules.membership_id(request.user, entry.round)
    layout = selectors.rubric_layout(entry.rubric, for_scoring=True)
    return {
        "round": entry.round, "entry": entry, "dossier": entry.dossier, "sheet": sheet,
        "layout": _sheet_display(layout, {c: o.pk for c, o in chosen.items()}),
        "unscored": _unscored(layout, chosen) if sheet is not None and can_score else [],
        "summary": selectors.live_summary(entry, chosen, layout), "can_score": can_score,
        "peers": selectors.peer_sheets(entry, exclude_sheet_id=sheet.pk if sheet else None) if show_peers else None,
        "can_reopen": request.user.has_perm("evaluations.reopen_sheet", entry.round),
        "can_review": request.user.has_perm("evaluations.review_entry", entry),
        "findings": selectors.findings_of(entry),
        "evidence": selectors.latest_evidence_of(entry),
        "is_member": member_id is not None, "conflict_form": ConflictForm(), "reopen_form": ReopenForm(),
        "finding_form": FindingForm(rubric=entry.rubric),
        "self_assessment": selectors.self_assessment_of(entry),
    }


@login_required
@cached_page
def entry_score_view(request, pk, dossier_pk):
    """The scoring page: evidence, one radio group per criterion, running totals and star minimums met."""
    entry = _entry_or_404(request.user, pk, dossier_pk)
    if request.method == "POST":
        _member_or_404(request.user, entry)
        action = request.POST.get("action", "save")
        choices = sheet_choices_from(request.POST)
        try:
            if action in ("submit", "submit_next"):
                services.score_sheet_submit(entry=entry, by=request.user, choices=choices)
                messages.success(request, _("Đã nộp phiếu chấm."))
                if action == "submit_next":
                    nxt = selectors.next_entry_for(request.user, entry.round, after_dossier_id=entry.dossier_id)
                    if nxt is not None:
                        return redirect("evaluations:entry_score", pk=pk, dossier_pk=nxt.dossier_id)
                    return redirect(entry.round.get_absolute_url())
            else:
                services.score_sheet_save(entry=entry, by=request.user, choices=choices)
                messages.success(request, _("Đã lưu bản nháp."))
                if action == "save_next":
                    nxt = selectors.next_entry_for(request.user, entry.round, after_dossier_id=entry.dossier_id)
                    if nxt is not None:
                        return redirect("evaluations:entry_score", pk=pk, dossier_pk=nxt.dossier_id)
        except ValidationError as exc:
            _error(request, exc)
        return redirect("evaluations:entry_score", pk=pk, dossier_pk=dossier_pk)
    return render(request, "evaluations/entry_score.html", _scoring_context(request, entry))


@login_required
@require_POST
def entry_autosave_view(request, pk, dossier_pk):
    """htmx autosave: stores the draft and returns the running totals partial.

    The save's own permission check (score_entry: an assigned, unconflicted member in the scoring phase) comes
    first; only a refused save asks whether the user may see the entry at all (404) or is told why (409). The
    permission data are read once, not once for the page's checks and again for the write's."""
    entry = selectors.entry_to_write(pk, dossier_pk)
    if entry is None:
        raise Http404
    try:
        sheet = services.score_sheet_save(entry=entry, by=request.user, choices=sheet_choices_from(request.POST))
    except ValidationError as exc:
        _member_or_404(request.user, _entry_or_404(request.user, pk, dossier_pk))
        return HttpResponse(" ".join(exc.messages), status=409)
    chosen = sheet.chosen if sheet.chosen is not None else selectors.sheet_choices(sheet)
    # A partial: no context processors (nothing of the page around it is rendered).
    return HttpResponse(render_to_string("evaluations/_summary.html", {
        "summary": selectors.live_summary(entry, chosen), "saved": True}))


@login_required
@require_POST
def entry_conflict_view(request, pk, dossier_pk):
    entry = _entry_or_404(request.user, pk, dossier_pk)
    member_id = eval_rules.membership_id(request.user, entry.round)
    if member_id is None:
        raise Http404
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            services.conflict_declare(member=Membership.objects.get(pk=member_id), dossier=entry.dossier,
                                      reason=form.cleaned_data["reason"], by=request.user)
            messages.success(request, _("Đã ghi nhận khai báo xung đột lợi ích; bạn không chấm hồ sơ này."))
            return redirect(entry.round.get_absolute_url())
        except ValidationError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("Cần nêu lý do xung đột lợi ích."))
    return redirect("evaluations:entry_score", pk=pk, dossier_pk=dossier_pk)


@login_required
@require_POST
def entry_finding_view(request, pk, dossier_pk):
    entry = _entry_or_404(request.user, pk, dossier_pk)
    form = FindingForm(request.POST, rubric=entry.rubric)
    if form.is_valid():
        try:
            services.advisory_finding_record(round=entry.round, dossier=entry.dossier, by=request.user,
                                             **form.cleaned_data)
            messages.success(request, _("Đã ghi ý kiến của tổ tư vấn."))
        except ValidationError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("Ý kiến chưa hợp lệ."))
    return redirect("evaluations:entry_score", pk=pk, dossier_pk=dossier_pk)


@login_required
def entry_evidence_view(request, pk, dossier_pk, evidence_pk):
    """An evidence file of a dossier, for those who may open the dossier in this round."""
    entry = _entry_or_404(request.user, pk, dossier_pk)
    evidence = get_object_or_404(EvidenceFile, pk=evidence_pk, revision__dossier_id=entry.dossier_id)
    return stored_file_response(evidence.file, filename=evidence.original_name, content_type=evidence.content_type)


@login_required
def entry_sheets_export_view(request, pk, dossier_pk):
    """CSV of the submitted sheets of one dossier (the same visibility as the scoring page)."""
    entry = _entry_or_404(request.user, pk, dossier_pk)
    sheet = selectors.own_sheet(request.user, entry)
    rows = selectors.peer_sheets(entry) if selectors.peers_visible(request.user, entry, sheet) else (
        [sheet] if sheet and sheet.status == SheetStatus.SUBMITTED else [])
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="phieu-cham-{entry.round_id}-{entry.dossier_id}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("Thành viên"), "A", "B", "C", _("Tổng")])
    for s in rows:
        name = str(s.member.user)
        if name[:1] in "=+-@\t\r":
            name = "'" + name
        writer.writerow([name, s.total_a, s.total_b, s.total_c, s.total])
    return response


@login_required
@require_POST
def sheet_reopen_view(request, sheet_pk):
    sheet = get_object_or_404(ScoreSheet.objects.select_related("round"), pk=sheet_pk)
    entry = selectors.entry_for(request.user, sheet.round_id, sheet.dossier_id)
    if entry is None or not request.user.has_perm("evaluations.reopen_sheet", sheet):
        raise Http404
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.score_sheet_reopen(sheet=sheet, by=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("Đã mở lại phiếu của %(m)s.") % {"m": sheet.member.user})
        except ValidationError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("Cần nêu lý do mở lại phiếu."))
    return redirect("evaluations:entry_score", pk=sheet.round_id, dossier_pk=sheet.dossier_id)


@login_required
@cached_page
def round_results_view(request, pk):
    """Frozen results once closed; before that a live preview for those who run the round."""
    round_ = _round_or_404(request.user, pk)
    can_manage = request.user.has_perm("evaluations.manage_round", round_)
    reasons = _ReasonLines()
    if round_.phase == RoundPhase.CLOSED:
        # The frozen rule and inputs (JSON) are for the minutes and the API: not read for this page.
        results = _result_rows(selectors.result_rows(request.user, round_), reasons)
        preview = None
    else:
        if not can_manage and eval_rules.council_role(request.user, round_) not in ("chair", "secretary"):
            raise Http404
        if round_.phase not in (RoundPhase.SCORING, RoundPhase.COUNCIL_MEETING):
            raise Http404
        entries = selectors.entries_to_rank(request.user, round_)
        results, preview = [], _preview_rows(selectors.round_rankings(round_, entries=entries, with_inputs=False),
                                             round_, reasons)
    if can_manage:
        _central_forms(request, results)
    return render(request, "evaluations/round_results.html", {
        "round": round_, "results": results, "preview": preview,
        "can_conclude": preview is not None and request.user.has_perm("evaluations.close_round", round_),
        "can_manage": can_manage,
    })


class _ReasonLines:
    """A result's reasons as the list items the page prints, each distinct line translated and escaped once."""

    def __init__(self):
        self.seen: dict = {}

    def __call__(self, lines) -> str:
        out = []
        for line in lines:
            item = self.seen.get(line)
            if item is None:
                item = self.seen[line] = format_html("<li>{}</li>", reason(line))
            out.append(item)
        return mark_safe("".join(out))  # noqa: S308 - each item escaped by format_html


def _preview_rows(rankings, round_, reasons) -> list[dict]:
    """The live preview's rows: points formatted, reasons as list items, the council's conclusion if any."""
    from .models import SpreadConclusion

    conclusions = {c.dossier_id: c for c in SpreadConclusion.objects.filter(round=round_).select_related("recorded_by")}
    rows = []
    for r in rankings:
        outcome = r.outcome
        row = {
            "dossier_id": r.entry.dossier_id, "product_name": r.entry.product_name,
            "mean": points(outcome.mean), "spread": points(outcome.spread), "spread_exceeded": outcome.spread_exceeded,
            "final_star": outcome.final_star, "reasons": reasons(outcome.reasons),
            "conclusion": conclusions.get(r.entry.dossier_id),
        }
        if not outcome.spread_exceeded:  # the common row, printed whole; the template writes the others
            star = f"{outcome.final_star}★" if outcome.final_star else "—"
            row["html"] = mark_safe(_PREVIEW_ROW.format(  # noqa: S308 - the name escaped, the rest ours or numbers
                _esc(row["product_name"]), row["mean"], row["spread"], star, row["reasons"]))
        rows.append(row)
    return rows


_PREVIEW_ROW = ('<tr><td>{}</td><td class="text-end">{}</td>\n    <td class="text-end">{}</td>\n    <td>{}</td>\n'
                '    <td><ul class="mb-0 small">{}</ul>\n    </td></tr>')


def _result_rows(rows: list[dict], reasons) -> list[dict]:
    """The frozen results' rows: points formatted, the recognising level's label and the reasons translated once."""
    from .enums import RecognisingLevel

    levels = {level: str(label) for level, label in RecognisingLevel.choices}
    exceeded = f' <span class="badge text-bg-danger">{_esc(_("vượt mức"))}</span>'
    unranked, no_quorum = _esc(_("Không xếp hạng")), f'<div class="small text-danger">{_esc(_("Không đủ số thành viên"))}</div>'
    for r in rows:
        r["mean_text"], r["spread_text"] = points(r["mean"]), points(r["spread"])
        r["central_mean_text"] = points(r["central_mean"])
        r["authority"] = levels.get(r["authority_level"], r["authority_level"]) if r["authority_level"] else ""
        r["reasons"] = reasons(r["reasons"])
        if not r["for_ministry"] and r["central_mean"] is None:  # the common row, printed whole
            r["html"] = mark_safe(_RESULT_ROW.format(  # noqa: S308 - every text escaped, the rest ours or numbers
                _esc(r["product_name"]), _esc(r["producer"]), _esc(r["product_set"]), r["mean_text"], r["spread_text"],
                exceeded if r["spread_exceeded"] else "", f"{r['final_star']}★" if r["final_star"] else unranked,
                "" if r["quorum_met"] else no_quorum, _esc(r["authority"]) if r["authority"] else "—", r["reasons"]))
    return rows


_RESULT_ROW = (
    '\n    <tr><td>{}<div class="small text-muted">{} · {}</div></td>\n      <td class="text-end">{}</td>\n'
    '      <td class="text-end">{}{}</td>\n      <td data-testid="star"><strong>{}</strong>{}</td>\n'
    '      <td>{}\n        </td>\n      <td><ul class="mb-0 small" data-testid="reasons">{}</ul></td></tr>\n  '
)


def _central_forms(request, results) -> None:
    """The central council's result form of each 5★ result awaiting it: rendered once, each copy with its own ids."""
    waiting = [r for r in results if r["for_ministry"] and r["central_mean"] is None]
    if waiting:
        html = render_to_string("includes/form.html", {"form": CentralResultForm(auto_id="central-ROW-%s")}, request)
        for r in waiting:
            r["central_form_html"] = mark_safe(html.replace("central-ROW-", f"central-{r['pk']}-"))  # noqa: S308 - our template


@login_required
@require_POST
def spread_conclusion_view(request, pk, dossier_pk):
    """The chair records the council's conclusion on a dossier whose spread exceeds the limit."""
    round_ = _round_or_404(request.user, pk)
    entry = _entry_or_404(request.user, pk, dossier_pk)
    if not request.user.has_perm("evaluations.close_round", round_):
        raise Http404
    form = SpreadConclusionForm(request.POST)
    if form.is_valid():
        try:
            services.spread_conclusion_record(round=round_, dossier=entry.dossier, reason=form.cleaned_data["reason"],
                                              by=request.user)
            messages.success(request, _("Đã ghi kết luận của hội đồng cho hồ sơ “%(n)s”.") % {"n": entry.dossier.product_name})
        except ValidationError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("Cần nêu lý do kết luận của hội đồng."))
    return redirect("evaluations:round_results", pk=pk)


@login_required
def round_results_announce_view(request, pk):
    """Province staff tell producers and communes the results of a closed round that no decision will list,
    after a page saying what will happen."""
    round_ = _round_or_404(request.user, pk)
    if not request.user.has_perm("evaluations.manage_round", round_) or round_.phase != RoundPhase.CLOSED:
        raise Http404
    if request.method == "POST" and request.POST.get("confirmed") == "1":
        try:
            told = services.round_results_announce(round=round_, by=request.user)
            messages.success(request, _("Đã thông báo kết quả cho %(n)s hồ sơ.") % {"n": len(told)})
        except ValidationError as exc:
            _error(request, exc)
        return redirect("evaluations:round_results", pk=pk)
    unpublished = Result.objects.filter(round=round_, published_at__isnull=True).select_related("dossier__producer")
    return render(request, "evaluations/round_results_announce.html", {
        "round": round_, "results": list(unpublished.order_by("-mean", "pk")),
        "awaiting": services.results_awaiting_decision(round_).exists(),
    })


@login_required
@require_POST
def result_central_view(request, pk, result_pk):
    round_ = _round_or_404(request.user, pk)
    result = get_object_or_404(Result, pk=result_pk, round=round_)
    form = CentralResultForm(request.POST)
    if form.is_valid():
        try:
            services.result_central_record(result=result, by=request.user, **form.cleaned_data)
            messages.success(request, _("Đã ghi nhận kết quả của hội đồng trung ương."))
        except ValidationError as exc:
            _error(request, exc)
    return redirect("evaluations:round_results", pk=pk)


@login_required
def round_minutes_view(request, pk):
    round_ = _round_or_404(request.user, pk)
    if minutes_file_missing(round_):
        # Lost from storage (or never rendered): render it again and answer 404 until it is there.
        minutes_regenerate(round_=round_)
        return render(request, "evaluations/minutes_pending.html", {"round": round_}, status=404)
    if not round_.minutes_pdf:
        raise Http404
    try:
        handle = round_.minutes_pdf.open("rb")
    except FileNotFoundError:
        minutes_regenerate(round_=round_)
        return render(request, "evaluations/minutes_pending.html", {"round": round_}, status=404)
    response = FileResponse(handle, as_attachment=False,
                            filename=f"bien-ban-ky-danh-gia-{round_.pk}.pdf", content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@cached_page
def rubric_view(request, pk):
    from .models import Rubric

    rubric = get_object_or_404(Rubric.objects.select_related("product_set", "legal_document"), pk=pk)
    return render(request, "evaluations/rubric.html", {"rubric": rubric, "layout": selectors.rubric_layout(rubric),
                                                        "knockouts": rubric.knockout_conditions.all()})


@login_required
def self_assessment_pdf_view(request, dossier_pk):
    """Form 02 (Báo cáo tự đánh giá) of the dossier's current revision, with the options chosen so far."""
    dossier = get_object_or_404(dossier_detail_queryset(request.user), pk=dossier_pk)
    return document_response(folder="mau-02", template="documents/form_02.html",
                             context=form_02_context(dossier, current_revision(dossier)),
                             filename=f"mau-02-{dossier.pk}.pdf")


@login_required
def self_assessment_view(request, dossier_pk):
    """Form 02 Part III: the producer (or the commune officer) scores the product on the official sheet."""
    from registrations.selectors import dossier_visible_to

    from .models import SelfAssessment

    dossier = get_object_or_404(dossier_visible_to(request.user), pk=dossier_pk)
    can_edit = request.user.has_perm("registrations.change_dossier", dossier)
    draft_key = f"self-assessment:{dossier.pk}"
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if is_autosave(request):
            return autosave_response(request, draft_key)
        try:
            services.self_assessment_save(dossier=dossier, by=request.user, choices=sheet_choices_from(request.POST),
                                          submit=request.POST.get("action") == "submit")
            form_draft_discard(user=request.user, key=draft_key)
            messages.success(request, _("Đã lưu phần tự đánh giá."))
        except ValidationError as exc:
            _error(request, exc)
        return redirect("evaluations:self_assessment", dossier_pk=dossier.pk)
    assessment = SelfAssessment.objects.filter(dossier=dossier).order_by("-revision__number").first()
    rubric = assessment.rubric if assessment else services.self_assessment_rubric(dossier)
    if rubric is None:
        raise Http404
    chosen_ids = {c.criterion_id: c.option_id for c in assessment.choices.all()} if assessment else {}
    draft = form_draft_of(request.user, draft_key) if can_edit else None
    chosen_ids.update(sheet_choices_from(draft_initial(draft)))  # what was ticked and not yet saved
    return render(request, "evaluations/self_assessment.html", {
        "dossier": dossier, "assessment": assessment, "rubric": rubric, "layout": selectors.rubric_layout(rubric),
        "draft": draft, "draft_message": saved_message(draft) if draft else "",
        "chosen_ids": chosen_ids, "can_edit": can_edit,
    })
