"""plans.templatetags.plans_format: money in millions of đồng, exact, in the language's number format."""
import pytest
from django.utils import translation

from plans.templatetags.plans_format import million


@pytest.mark.parametrize("language, vnd, shown", [
    ("vi", 25_500_000_000, "25.500"), ("vi", 2_730_500_000, "2.730,5"), ("vi", 500_000, "0,5"), ("vi", 0, "0"),
    ("en", 2_730_500_000, "2,730.5"), ("en", 1_000_000, "1"), ("vi", None, ""),
])
def test_million_shows_dong_in_millions_without_rounding(language, vnd, shown):
    with translation.override(language):
        assert million(vnd) == shown
