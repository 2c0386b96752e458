from decimal import ROUND_DOWN, Decimal

from django import template

register = template.Library()


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
