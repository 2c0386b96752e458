from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

# Field names that appear in many logs, shown in Vietnamese.
FIELD_LABELS = {
    "status": _("trạng thái"),
    "phase": _("giai đoạn"),
    "registration_number": _("số phiếu đăng ký"),
    "revision": _("phiên bản"),
    "conclusion": _("kết luận"),
    "reason": _("lý do"),
    "file": _("tệp"),
    "kind": _("loại"),
    "name": _("tên"),
    "product_name": _("tên sản phẩm"),
    "total": _("tổng điểm"),
    "star": _("hạng sao"),
}


@register.simple_tag
def activity_changes(entry) -> list[tuple]:
    """(field label, before, after) rows for a log entry whose before/after are dicts; [] otherwise."""
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    if not before and not after:
        return []
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return [(FIELD_LABELS.get(k, k), before.get(k, ""), after.get(k, "")) for k in keys if before.get(k) != after.get(k)]
