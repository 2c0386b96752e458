"""Formatting for plan pages: sums of money in millions of đồng, as plans write them."""
from decimal import Decimal

from django import template
from django.utils import numberformat
from django.utils.formats import get_format

register = template.Library()

MILLION = Decimal(1_000_000)


@register.filter
def million(vnd) -> str:
    """Integer đồng shown in millions, exact, in the page's number format: 2730500000 → "2.730,5" in Vietnamese,
    "2,730.5" in English. Nothing is rounded: the figure reconciles with the document's totals."""
    if vnd is None or vnd == "":
        return ""
    value = Decimal(int(vnd)) / MILLION
    # Grouped by thousands whatever the locale's NUMBER_GROUPING says (Vietnamese formats set none).
    return numberformat.format(Decimal(f"{value.normalize():f}"), get_format("DECIMAL_SEPARATOR"), grouping=3,
                               thousand_sep=get_format("THOUSAND_SEPARATOR"), force_grouping=True)
