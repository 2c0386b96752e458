"""The producer's self-assessment report (Form 02, Annex III of Decision 26/2026/QĐ-TTg) as an official document:
Parts I, II and IV from the dossier's revision, Part III the options the producer chose on the official sheet,
and the evidence list (layout: ocop_portal.documents)."""
from django.utils.translation import gettext as _

from ocop_portal.documents import Letterhead, Signer, committee_in_text, local_day, place_name, unit_in_text
from registrations.enums import EvidenceKind

from .models import SelfAssessment
from .selectors import rubric_layout
from .services import self_assessment_rubric


def _part_three(assessment: SelfAssessment | None, rubric) -> list[dict]:
    """Parts → rows (group headings and criteria) with the chosen option and its points."""
    if rubric is None:
        return []
    chosen = {c.criterion_id: c.option for c in assessment.choices.select_related("option")} if assessment else {}
    totals = {"A": assessment.total_a, "B": assessment.total_b, "C": assessment.total_c} if assessment else {}
    parts = []
    for part in rubric_layout(rubric):
        rows = []
        for group in part["groups"]:
            rows.append({"heading": f"{group['group'].number}. {group['group'].name}"})
            for row in group["rows"]:
                criterion = row.criterion
                option = chosen.get(criterion.pk)
                rows.append({"code": "" if criterion.implicit else criterion.code, "name": criterion.name,
                             "max": criterion.max_points, "scorable": criterion.scorable, "depth": row.depth,
                             "option": option})
        parts.append({"part": part["part"], "rows": rows, "total": totals.get(part["part"].code)})
    return parts


def form_02_context(dossier, revision) -> dict:
    producer = dossier.producer
    assessment = (SelfAssessment.objects.filter(revision=revision).select_related("rubric__legal_document").first())
    rubric = assessment.rubric if assessment else self_assessment_rubric(dossier)
    files: dict = {}
    for evidence in revision.evidence_files.order_by("uploaded_at", "pk"):
        files.setdefault(evidence.kind, []).append(evidence.original_name)
    submitted = assessment is not None and assessment.submitted_at is not None
    doc = Letterhead(
        kind=_("Báo cáo tự đánh giá"), subject=_("Sản phẩm tham gia đánh giá, phân hạng sản phẩm OCOP"),
        form_code=_("Mẫu số 02"), issuer=producer.name.upper(), number=_("Số: ……/BC"),
        place=place_name(dossier.commune), day=local_day(assessment.submitted_at) if submitted else None,
        year=dossier.year,
        signers=[Signer(title=_("Đại diện chủ thể"), note=_("(Ký, ghi rõ họ tên, đóng dấu)"),
                        name=revision.representative_name or producer.representative_name)],
        recipients=[committee_in_text(dossier.commune), _("Lưu: chủ thể")],
    )
    held = [
        (_("Giấy chứng nhận đăng ký kinh doanh"), revision.has_business_registration),
        (_("Công bố chất lượng sản phẩm"), revision.has_quality_declaration),
        (_("Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm"), revision.has_food_safety_certificate),
        (_("Giấy chứng nhận điều kiện sản xuất bắt buộc"), revision.has_production_condition_certificate),
    ]
    return {
        "doc": doc, "dossier": dossier, "revision": revision, "producer": producer, "assessment": assessment,
        "rubric": rubric, "parts": _part_three(assessment, rubric), "held": held,
        "evidence": [(label, files.get(kind, [])) for kind, label in EvidenceKind.choices],
        "commune_text": unit_in_text(dossier.commune), "addressee": committee_in_text(dossier.commune),
    }
