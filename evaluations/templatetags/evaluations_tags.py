from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


@register.filter
def points(value, places=2):
    """74.6 → "74,60" (Vietnamese decimal comma); empty for None."""
    if value in (None, ""):
        return ""
    q = Decimal(1).scaleb(-int(places))
    return f"{Decimal(value).quantize(q, rounding=ROUND_HALF_UP):.{int(places)}f}".replace(".", ",")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
