import datetime
import re

from django import template
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

register = template.Library()

# Keys that are not a field of the logged record (or name one differently), shown in Vietnamese.
# A key that is a field of the record is labelled with the field's own verbose name.
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
    "dossier": _("hồ sơ"),
    "member": _("thành viên"),
    "product_group": _("nhóm sản phẩm"),
    "rows": _("số lượt phân công"),
    "per_dossier": _("số thành viên mỗi hồ sơ"),
    "finding": _("loại ý kiến"),
    "central_mean": _("điểm trung bình của hội đồng trung ương"),
    "central_star": _("hạng sao của hội đồng trung ương"),
    "star": _("hạng sao"),
    "items": _("số sản phẩm"),
    "item": _("sản phẩm"),
    "row": _("dòng"),
    "record": _("bản ghi"),
    "dossiers": _("số hồ sơ"),
    "spread": _("độ lệch điểm"),
    "format": _("định dạng"),
    "user": _("người dùng"),
    "code": _("mã"),
    "number": _("số"),
    "issuer": _("cơ quan cấp"),
    "decision": _("quyết định"),
    "replaced_by": _("thay bằng"),
}
YES, NO = _("có"), _("không")


def _own_field(model, key):
    try:
        return model._meta.get_field(key) if model is not None else None
    except FieldDoesNotExist:
        return None


def _field(model, key):
    """The field `key` of the logged record, or of a record it holds (a dossier's revisions are logged on the
    dossier: "has_business_registration" is DossierRevision's), else None."""
    own = _own_field(model, key)
    if own is not None or model is None or key in FIELD_LABELS:
        return own
    for relation in model._meta.related_objects:
        try:
            field = relation.related_model._meta.get_field(key)
        except FieldDoesNotExist:
            continue
        if getattr(field, "verbose_name", None):
            return field
    return None


def _label(model, key):
    field = _field(model, key)
    if field is not None and getattr(field, "verbose_name", None):
        return field.verbose_name
    return FIELD_LABELS.get(key, key.replace("_", " "))


def _value(field, value):
    """A logged value as a reader expects it: yes/no, a choice's label, a list joined, a date as dd/mm/yyyy."""
    if value in ("", None):
        return value
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, list):
        return ", ".join(str(_value(field, v)) for v in value)
    if field is not None and getattr(field, "choices", None) and isinstance(value, (str, int)):
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            return date_format(datetime.date.fromisoformat(value), "d/m/Y")
        except ValueError:
            return value
    return value


@register.simple_tag
def activity_changes(entry) -> list[tuple]:
    """(field label, before, after) rows for a log entry whose before/after are dicts; [] otherwise."""
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    if not before and not after:
        return []
    model = ContentType.objects.get_for_id(entry.content_type_id).model_class()  # cached: no query per row
    rows = []
    for key in dict.fromkeys([*before.keys(), *after.keys()]):
        old, new = before.get(key, ""), after.get(key, "")
        if old == new:
            continue
        field = _field(model, key)
        rows.append((_label(model, key), _value(field, old), _value(field, new)))
    return rows


# A URL in a notification body, up to whitespace, quotes, angle brackets or a backslash (which browsers
# read as a slash, so "/\evil" must never reach an href).
_URL = re.compile(r"https?://[^\s<>\"'\\]+")
_TRAILING = ".,;:!?)”’"


@register.filter(needs_autoescape=True)
def portal_links(text, autoescape=True):
    """Escape a plain-text notification body and turn the portal's own URLs into links (relative, so they
    work on whatever host serves the page). Any other URL stays text: a body never links off the portal."""
    base = settings.OCOP_PUBLIC_BASE_URL.rstrip("/")
    text = str(text)
    parts, last = [], 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        end = match.start() + len(url)
        path = url[len(base):] if url.startswith(base) else None
        parts.append(escape(text[last:match.start()]))
        if path is not None and (path == "" or (path.startswith("/") and not path.startswith("//"))):
            parts.append(format_html('<a href="{}">{}</a>', path or "/", url))
        else:
            parts.append(escape(url))
        last = end
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))
