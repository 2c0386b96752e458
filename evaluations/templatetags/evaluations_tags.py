import re
from decimal import ROUND_DOWN, Decimal

from django import template
from django.utils.translation import gettext

from evaluations.ranking import REASONS

register = template.Library()


def _pattern(msgid: str) -> re.Pattern:
    parts = re.split(r"%\((\w+)\)s", msgid)
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts)) + r"\Z")


_REASON_PATTERNS = [(msgid, _pattern(msgid)) for msgid in REASONS]


def reason_parts(line: str) -> tuple[str, dict] | None:
    """A stored Vietnamese reason read back as (source text, values), or None for a text of no known kind."""
    for msgid, pattern in _REASON_PATTERNS:
        match = pattern.match(str(line))
        if match:
            return msgid, match.groupdict()
    return None


@register.filter
def reason(line):
    """A result's reason in the reader's language (stored in Vietnamese, see ranking.REASONS)."""
    parts = reason_parts(line)
    if parts is None:
        return line
    msgid, values = parts
    return gettext(msgid) % values if values else gettext(msgid)


@register.filter
def points(value, places=2):
    """74.6 → "74,60" (Vietnamese decimal comma); empty for None.

    Truncated, never rounded up, like ranking.format_points: a mean of 69.995 is 3★ and must not read "70,00"
    (nor 89.996 read "90,00" beside 4★)."""
    if value in (None, ""):
        return ""
    q = Decimal(1).scaleb(-int(places))
    return f"{Decimal(value).quantize(q, rounding=ROUND_DOWN):.{int(places)}f}".replace(".", ",")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
