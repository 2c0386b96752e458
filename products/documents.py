"""The recognition decision of the People's Committee, with its annexed list of products, as an official document
for signing: "DỰ THẢO" until it is recorded as signed (layout: ocop_portal.documents)."""
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.enums import RecognisingLevel
from ocop_portal.documents import Letterhead, Signer, committee_in_text, peoples_committee, place_name, unit_in_text

from .enums import DecisionStatus
from .models import Decision
from .selectors import decision_items


def _subject(decision: Decision) -> str:
    title = decision.title or _("Công nhận sản phẩm đạt chuẩn OCOP")
    return _("Về việc %(title)s") % {"title": title[:1].lower() + title[1:]}


def decision_signer(decision: Decision) -> Signer:
    """'KT. CHỦ TỊCH — PHÓ CHỦ TỊCH' is the authority and the title on two lines; none yet: the chair's block."""
    if not decision.signer_title:
        return Signer(authority=_("TM. Ủy ban nhân dân").upper(), title=_("Chủ tịch").upper(), name=decision.signer_name)
    authority, _dash, title = decision.signer_title.partition("—")
    if not title:
        return Signer(title=decision.signer_title.upper(), name=decision.signer_name)
    return Signer(authority=authority.strip().upper(), title=title.strip().upper(), name=decision.signer_name)


def decision_context(decision: Decision) -> dict:
    unit = decision.issuing_unit or decision.province
    draft = decision.status == DecisionStatus.DRAFT
    if decision.level == RecognisingLevel.MINISTRY:
        issuer, symbol = _("Bộ Nông nghiệp và Môi trường").upper(), "QĐ-BNNMT"
    else:
        issuer, symbol = peoples_committee(unit), "QĐ-UBND"
    reference = decision.number or f"……/{symbol}"
    round_ = decision.round
    year = decision.decided_on.year if decision.decided_on else (round_.year if round_ else timezone.localdate().year)
    rows = []
    for item in decision_items(decision):
        source = item.dossier or item.product
        product_set = getattr(source, "product_set", None)
        rows.append({"item": item, "producer": source.producer if source else None,
                     "commune": source.commune if source else None, "product_set": product_set,
                     "mean": item.result.mean if item.result else None, "stars": "★" * item.star})
    doc = Letterhead(
        kind=_("Quyết định"), subject=_subject(decision), issuer=issuer, draft=draft,
        number=_("Số: %(n)s") % {"n": reference},
        place=place_name(unit), day=decision.decided_on, year=year, signers=[decision_signer(decision)],
        recipients=[_("Như Điều 3"), _("Bộ Nông nghiệp và Môi trường (để báo cáo)"), _("Chủ tịch, các Phó Chủ tịch"),
                    _("Sở Nông nghiệp và Môi trường"), _("Ủy ban nhân dân các xã, phường có sản phẩm"), _("Lưu: VT")],
    )
    return {
        "doc": doc, "decision": decision, "round": round_, "rows": rows, "unit_text": unit_in_text(unit),
        "authority": _("Bộ trưởng Bộ Nông nghiệp và Môi trường") if decision.level == RecognisingLevel.MINISTRY
        else _("Chủ tịch %(committee)s") % {"committee": committee_in_text(unit)},
        "legal_document": round_.legal_document if round_ else None,
        "annex_reference": reference,
        "annex_day": decision.decided_on,
    }
