"""Administrative units as people write them: "huyện Châu Thành", "H. Châu Thành", "Châu Thành, Bến Tre",
"Xa Son Dinh" without diacritics, an old or a current code. Every unit of the province's area (current and
pre-reform) is read once; a name that stays ambiguous is an error listing the candidates."""
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ocop_portal.text import fold
from units.enums import Level
from units.models import AdministrativeUnit

# Folded prefixes of unit names, longest first ("thanh pho" before "tp").
_PREFIXES = {
    Level.PROVINCE: ("thanh pho", "tinh", "tp"),
    Level.DISTRICT: ("thanh pho", "thi xa", "huyen", "quan", "tp", "tx", "h", "q"),
    Level.COMMUNE: ("thi tran", "dac khu", "phuong", "xa", "tt", "p", "x"),
}


def bare(text, level) -> str:
    """The folded name without its kind: "H. Châu Thành" → "chau thanh", "Xã Sơn Định" → "son dinh"."""
    name = " ".join(re.sub(r"[.\-_]", " ", fold(text)).split())
    for prefix in _PREFIXES[level]:
        if name.startswith(prefix + " "):
            return name[len(prefix) + 1:]
    return name


@dataclass
class Resolution:
    unit: AdministrativeUnit | None = None
    error: str = ""
    candidates: list = field(default_factory=list)


class UnitResolver:
    def __init__(self, province: AdministrativeUnit | None):
        qs = AdministrativeUnit.objects.all() if province is None else AdministrativeUnit.objects.filter(
            current_province=province)
        self.units = {u.pk: u for u in qs.only("pk", "code", "name", "level", "kind", "parent_id", "province_id",
                                               "current_province_id", "valid_to")}
        self.by_name: dict = {}
        self.by_code: dict = {}
        for u in self.units.values():
            self.by_name.setdefault((u.level, bare(u.name, u.level)), []).append(u)
            self.by_code.setdefault((u.level, u.code), []).append(u)
        self.province = province

    def describe(self, unit) -> str:
        parts = [unit.name]
        parent = self.units.get(unit.parent_id)
        if parent is not None and parent.level == Level.DISTRICT:
            parts.append(parent.name)
        own = self.units.get(unit.province_id)
        if own is not None and own.pk != unit.pk:
            parts.append(own.name + (" " + _("(cũ)") if own.valid_to else ""))
        elif unit.valid_to and unit.level != Level.PROVINCE:
            parts.append(_("(cũ)"))
        return ", ".join(parts) + f" [{unit.code}]"

    def _province_matches(self, unit, hint: str) -> bool:
        own = self.units.get(unit.province_id) or self.units.get(unit.current_province_id)
        cur = self.units.get(unit.current_province_id)
        wanted = bare(hint, Level.PROVINCE)
        return any(p is not None and (bare(p.name, Level.PROVINCE) == wanted or p.code == hint.strip())
                   for p in (own, cur))

    def _district_matches(self, unit, hint: str) -> bool:
        parent = self.units.get(unit.parent_id)
        return parent is not None and parent.level == Level.DISTRICT and (
            bare(parent.name, Level.DISTRICT) == bare(hint, Level.DISTRICT) or parent.code == hint.strip())

    def resolve(self, level: str, text: str = "", *, code: str = "", district: str = "", province: str = "",
                what: str = "") -> Resolution:
        """The one unit of `level` named by `text` (which may carry ", district, province" after the name) or by
        `code`; the district and province hints narrow same-name units. Current units are preferred to old ones
        only when the row names neither an old district nor an old province."""
        parts = [p.strip() for p in str(text or "").split(",") if p.strip()]
        name = parts[0] if parts else ""
        rest = parts[1:]
        either = ""
        if rest and not district and not province:
            if level == Level.COMMUNE and len(rest) >= 2:
                district, province = rest[0], rest[-1]
            elif level == Level.COMMUNE:  # "Sơn Định, Chợ Lách" or "Sơn Định, Bến Tre"
                either = rest[0]
            else:
                province = rest[-1]
        label = what or name or code
        if code:
            candidates = list(self.by_code.get((level, str(code).strip()), []))
            if name:
                named = [u for u in candidates if bare(u.name, level) == bare(name, level)]
                candidates = named or candidates
        elif name:
            candidates = list(self.by_name.get((level, bare(name, level)), []))
        else:
            return Resolution(error=_("Thiếu tên hoặc mã đơn vị."))
        if either:
            candidates = [u for u in candidates if self._district_matches(u, either) or self._province_matches(u, either)]
        if district and level == Level.COMMUNE:
            candidates = [u for u in candidates if self._district_matches(u, district)]
        if province:
            candidates = [u for u in candidates if self._province_matches(u, province)]
        if len(candidates) > 1 and not (district or province or either):
            current = [u for u in candidates if u.valid_to is None]
            if len(current) == 1:
                candidates = current
        if len(candidates) == 1:
            return Resolution(unit=candidates[0])
        if not candidates:
            scope = self.province.name if self.province else _("cả nước")
            return Resolution(error=_("Không tìm thấy “%(name)s” trong %(scope)s.") % {"name": label, "scope": scope})
        described = sorted(self.describe(u) for u in candidates)
        return Resolution(error=_("“%(name)s” chưa rõ là đơn vị nào: %(list)s. Ghi thêm huyện (cũ) hoặc tỉnh, hoặc mã.")
                          % {"name": label, "list": "; ".join(described)}, candidates=candidates)
