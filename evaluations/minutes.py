"""The council's minutes (biên bản) as a PDF on the shared document layout (ocop_portal.documents), rendered once
by WeasyPrint and kept in private storage."""
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop_portal.documents import Letterhead, Signer, local_day, pdf_from_html, peoples_committee, place_name, render_html

from .enums import CouncilRole, SheetStatus
from .models import Result, Round, ScoreSheet, SpreadConclusion


def _minutes_letterhead(round_: Round, members: list) -> Letterhead:
    """The province's People's Committee over the council; signed by the secretary and the chair."""
    by_role = {}
    for membership in members:
        by_role.setdefault(membership.role, str(membership.user))
    province = round_.province or round_.council.province
    return Letterhead(
        kind=_("Biên bản"), subject=_("Họp hội đồng đánh giá, phân hạng sản phẩm OCOP"),
        issuer_parent=peoples_committee(province) if province else "",
        issuer=round_.council.name.upper(), number=_("Số: ……/BB-HĐ"),
        place=place_name(province), day=local_day(round_.closed_at), year=round_.year,
        signers=[Signer(title=_("Thư ký hội đồng").upper(), name=by_role.get(CouncilRole.SECRETARY, "")),
                 Signer(title=_("Chủ tịch hội đồng").upper(), name=by_role.get(CouncilRole.CHAIR, ""))],
    )


def minutes_context(round_: Round) -> dict:
    results = list(Result.objects.filter(round=round_).select_related("dossier__producer", "rubric__product_set",
                                                                       "authority").order_by("-mean", "pk"))
    sheets = list(ScoreSheet.objects.filter(round=round_, status=SheetStatus.SUBMITTED)
                  .select_related("member__user").order_by("member__role", "member__user__full_name"))
    by_dossier: dict = {}
    for sheet in sheets:
        by_dossier.setdefault(sheet.dossier_id, []).append(sheet)
    members = list(round_.council.memberships.filter(active=True).select_related("user", "organisation")
                   .order_by("role", "user__full_name"))
    names = {m.pk: str(m.user) for m in members}
    conclusions = {c.dossier_id: c for c in SpreadConclusion.objects.filter(round=round_).select_related("recorded_by")}
    rows = []
    for result in results:
        recused_ids = {s["member_id"] for s in result.inputs.get("sheets", []) if s.get("recused")}
        recused = [s["member"] for s in result.inputs.get("sheets", []) if s.get("recused")]
        counted = [s for s in by_dossier.get(result.dossier_id, []) if s.member_id not in recused_ids]
        rows.append({"result": result, "sheets": counted, "recused": recused,
                     "conclusion": conclusions.get(result.dossier_id)})
    return {"round": round_, "rows": rows, "members": members, "names": names, "offset": 0,
            "doc": _minutes_letterhead(round_, members)}


# Dossiers laid out per WeasyPrint document. The layout of a whole 200-dossier round stayed in memory until the
# PDF was written (390 MB); chunks are written one by one and their pages appended, so the peak is one chunk's.
# 50 (a 200-dossier round: 4 parts, ~60 MB above the process's own, 85 pages) rather than 25 (8 parts, 89
# pages): fewer part breaks, one set of embedded font subsets per part, a few per cent faster.
MINUTES_CHUNK = 50


def minutes_pdf_bytes(round_: Round) -> bytes:
    """The minutes: the heading and the council on the first page, MINUTES_CHUNK dossiers per rendered part (each
    part starts a page), the signatures after the last one."""
    import io

    from pypdf import PdfReader, PdfWriter

    context = minutes_context(round_)
    rows = context["rows"]
    starts = list(range(0, len(rows), MINUTES_CHUNK)) or [0]
    if len(starts) == 1:  # one part: WeasyPrint's own file
        return pdf_from_html(render_html("evaluations/minutes.html", context))
    writer = PdfWriter()
    for start in starts:
        html = render_html("evaluations/minutes.html", {
            **context, "rows": rows[start:start + MINUTES_CHUNK], "offset": start,
            "part_continued": start > 0, "part_before_last": start != starts[-1]})
        writer.append(PdfReader(io.BytesIO(pdf_from_html(html))))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def minutes_render(*, round_id: int) -> Round | None:
    """Idempotent: a round whose minutes exist is left alone."""
    round_ = Round.objects.select_related("council", "province").filter(pk=round_id).first()
    if round_ is None or round_.closed_at is None or round_.minutes_pdf:
        return round_
    pdf = minutes_pdf_bytes(round_)
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_id)
        if locked.minutes_pdf:
            return locked
        locked.minutes_pdf.save(f"bien-ban-ky-{locked.pk}.pdf", ContentFile(pdf), save=False)
        locked.minutes_rendered_at = timezone.now()
        locked.save(update_fields=["minutes_pdf", "minutes_rendered_at"])
    return locked


def minutes_file_missing(round_: Round) -> bool:
    """True when the round is closed but its PDF is not (or no longer) in storage."""
    if round_.closed_at is None:
        return False
    return not round_.minutes_pdf or not round_.minutes_pdf.storage.exists(round_.minutes_pdf.name)


def minutes_regenerate(*, round_: Round) -> None:
    """Forget a minutes file lost from storage and queue its rendering again (idempotent, like the task)."""
    from .tasks import round_minutes_render

    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if locked.minutes_pdf and locked.minutes_pdf.storage.exists(locked.minutes_pdf.name):
            return
        if locked.minutes_pdf:
            locked.minutes_pdf = ""
            locked.minutes_rendered_at = None
            locked.save(update_fields=["minutes_pdf", "minutes_rendered_at"])
        transaction.on_commit(lambda: round_minutes_render.delay(round_id=locked.pk))
