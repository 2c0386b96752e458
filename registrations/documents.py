"""The producer's registration slip (Form 01) and the commune's assessment report (Form 03, Annex III of
Decision 26/2026/QĐ-TTg) as official documents, filled from the dossier (layout: ocop_portal.documents)."""
from django.utils.translation import gettext as _

from activity.selectors import activity_for
from activity.services import in_vietnamese
from ocop_portal.documents import (
    Letterhead,
    Signer,
    committee_in_text,
    local_day,
    peoples_committee,
    place_name,
    unit_in_text,
)

from .enums import EDITABLE_STATES, DossierKind, DossierStatus
from .models import CommuneAssessment, Dossier, DossierRevision

def _receivers(dossier: Dossier) -> dict:
    """Who received the dossier at the commune (moved it into review) and at the province (took it in)."""
    # The log keeps each move under its Vietnamese label (registrations.services.dossier_transition).
    wanted = {in_vietnamese(status.label): status for status in (DossierStatus.COMMUNE_REVIEW, DossierStatus.INTAKE)}
    found = {}
    for entry in activity_for(dossier).filter(after__status__in=list(wanted)).order_by("-at", "-pk"):
        found.setdefault(wanted[entry.after["status"]], entry.actor)
    return found


def form_01_context(dossier: Dossier, revision: DossierRevision) -> dict:
    producer, commune = dossier.producer, dossier.commune
    signed = dossier.status not in EDITABLE_STATES and dossier.received_on
    receivers = _receivers(dossier)
    doc = Letterhead(
        kind=_("Phiếu đăng ký sản phẩm"), subject=_("Tham gia đánh giá, phân hạng sản phẩm OCOP"),
        form_code=_("Mẫu số 01"), place=place_name(commune), day=dossier.received_on if signed else None,
        year=dossier.year,
        signers=[Signer(title=_("Đại diện chủ thể"), note=_("(Ký, ghi rõ họ tên, đóng dấu)"),
                        name=revision.representative_name or producer.representative_name)],
    )
    return {
        "doc": doc, "dossier": dossier, "revision": revision, "producer": producer, "product_set": dossier.product_set,
        "addressee": committee_in_text(commune), "commune_text": unit_in_text(commune),
        "kinds": DossierKind.choices,
        "receipts": [
            {"heading": _("Phần tiếp nhận của Ủy ban nhân dân cấp xã"), "number": dossier.commune_receipt_number,
             "day": dossier.received_on, "receiver": receivers.get(DossierStatus.COMMUNE_REVIEW)},
            {"heading": _("Phần tiếp nhận của cơ quan quản lý OCOP cấp tỉnh"), "number": dossier.registration_number,
             "day": local_day(dossier.accepted_at or dossier.forwarded_at), "receiver": receivers.get(DossierStatus.INTAKE)},
        ],
    }


def form_03_context(dossier: Dossier, assessment: CommuneAssessment) -> dict:
    commune = dossier.commune
    province = getattr(commune, "current_province", None) or getattr(commune, "province", None)
    items = [(assessment._meta.get_field(name).verbose_name, getattr(assessment, f"get_{name}_display")(),
              getattr(assessment, f"{name}_note")) for name in CommuneAssessment.ITEMS]
    doc = Letterhead(
        kind=_("Báo cáo"), subject=_("Kết quả đánh giá sản phẩm tham gia đánh giá, phân hạng sản phẩm OCOP"),
        form_code=_("Mẫu số 03"), issuer=peoples_committee(commune), number=_("Số: ……/BC-UBND"),
        place=place_name(commune), day=local_day(assessment.completed_at),
        signers=[Signer(authority=_("TM. Ủy ban nhân dân").upper(), title=_("Chủ tịch").upper())],
        recipients=[_("Cơ quan quản lý OCOP cấp tỉnh"), dossier.producer.name, _("Lưu: VT")],
    )
    return {
        "doc": doc, "dossier": dossier, "assessment": assessment, "revision": assessment.revision,
        "producer": dossier.producer, "items": items, "province_text": unit_in_text(province) if province else "",
        "assessor": assessment.assessed_by,
    }
