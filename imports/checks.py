"""The verdict on each row of a file: new / unchanged / updated / error, with the reasons in Vietnamese and the
cell. Everything a row needs from the database is read once per file (a Context), so a 10,000-row file costs
a constant number of queries; the checks are the same for the preview, the confirmed import and the dry run."""
import datetime

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext as _

from accounts.enums import OrganisationKind
from accounts.models import Organisation
from evaluations.enums import RecognisingLevel
from evaluations.models import AuthorityRule
from ocop_portal.text import fold
from plans.models import Showroom, Training
from products.enums import CertificateStatus
from products.models import Certificate, Product
from registrations.enums import Gender, ProducerKind
from registrations.models import TAX_CODE_RE, Producer, ProductSet
from units.enums import Level

from .enums import RowStatus, Sheet
from .layout import SHEETS, SheetData, cell_text, column_letter, parse_date
from .resolver import UnitResolver

_KIND_WORDS = {  # folded words people write → ProducerKind
    "htx": ProducerKind.COOPERATIVE, "hop tac xa": ProducerKind.COOPERATIVE,
    "tht": ProducerKind.COOPERATIVE_GROUP, "thtx": ProducerKind.COOPERATIVE_GROUP,
    "to hop tac": ProducerKind.COOPERATIVE_GROUP, "dn": ProducerKind.SME, "doanh nghiep": ProducerKind.SME,
    "cong ty": ProducerKind.SME, "trang trai": ProducerKind.FARM, "ho kinh doanh": ProducerKind.HOUSEHOLD,
    "ho san xuat": ProducerKind.HOUSEHOLD, "hkd": ProducerKind.HOUSEHOLD,
}
_LEVEL_WORDS = {"tinh": RecognisingLevel.PROVINCE, "ubnd tinh": RecognisingLevel.PROVINCE,
                "huyen": RecognisingLevel.DISTRICT, "ubnd huyen": RecognisingLevel.DISTRICT,
                "trung uong": RecognisingLevel.MINISTRY, "bo": RecognisingLevel.MINISTRY,
                "bo nong nghiep va moi truong": RecognisingLevel.MINISTRY}
_YES, _NO = {"co", "x", "1", "true", "yes", "dung"}, {"khong", "0", "false", "no", "sai", ""}
_ISSUER_KIND = {RecognisingLevel.PROVINCE: OrganisationKind.PROVINCIAL_PEOPLES_COMMITTEE,
                RecognisingLevel.DISTRICT: OrganisationKind.DISTRICT_PEOPLES_COMMITTEE,
                RecognisingLevel.MINISTRY: OrganisationKind.MINISTRY}


def _choice(text, choices, words=None):
    wanted = fold(text)
    for value, label in choices:
        if wanted in (fold(value), fold(label)):
            return value
    return (words or {}).get(wanted)


def _tax_code(value) -> str:
    text = cell_text(value)
    return text.zfill(10) if text.isdigit() and 8 <= len(text) < 10 else text


@dataclass
class Verdict:
    sheet: str
    line: int
    key: str = ""
    status: str = RowStatus.NEW
    reasons: list = field(default_factory=list)
    values: dict = field(default_factory=dict)  # JSON-able, shown in the preview
    changes: dict = field(default_factory=dict)  # field → [before, after]
    # Python values the writer uses (units, producers, dates): not stored.
    data: dict = field(default_factory=dict)
    target: object = None  # the existing record (unchanged / updated)


class Row:
    """One line of a sheet: cell access by field, and errors that name the cell ("E7")."""

    def __init__(self, sheet: SheetData, line: int, cells: list, verdict: Verdict):
        self.sheet, self.line, self.cells, self.verdict = sheet, line, cells, verdict

    def cell(self, name: str) -> str:
        i = self.sheet.fields.get(name)
        return f"{column_letter(i)}{self.line}" if i is not None else ""

    def raw(self, name: str):
        i = self.sheet.fields.get(name)
        return self.cells[i] if i is not None and i < len(self.cells) else None

    def text(self, name: str) -> str:
        return cell_text(self.raw(name))

    def error(self, name: str, message: str) -> None:
        self.verdict.reasons.append({"cell": self.cell(name), "message": str(message)})

    def required(self, name: str) -> str:
        value = self.text(name)
        if not value:
            header = next(c.header for c in SHEETS[self.sheet.sheet][1] if c.field == name)
            self.error(name, _("Thiếu “%(h)s”.") % {"h": header})
        return value

    def date(self, name: str, *, required: bool = False) -> datetime.date | None:
        value = self.raw(name)
        if value is None or cell_text(value) == "":
            if required:
                self.required(name)
            return None
        try:
            return parse_date(value)
        except (ValueError, OverflowError):
            self.error(name, _("“%(v)s” không phải ngày (dd/mm/yyyy).") % {"v": cell_text(value)})
            return None

    def integer(self, name: str, *, required: bool = False) -> int | None:
        value = self.text(name).replace(".", "").replace(",", "")
        if not value:
            if required:
                self.required(name)
            return None
        if not value.isdigit():
            self.error(name, _("“%(v)s” không phải số nguyên không âm.") % {"v": self.text(name)})
            return None
        return int(value)


class Context:
    """What the checks need from the database, read once per file."""

    def __init__(self, province, sheets: list[SheetData]):
        self.province = province
        self.resolver = UnitResolver(province)
        wanted = {s.sheet: s for s in sheets}

        def column_values(sheet, name, convert=cell_text):
            data = wanted.get(sheet)
            if data is None or name not in data.fields:
                return set()
            i = data.fields[name]
            return {convert(r[i]) for _line, r in data.rows if i < len(r) and r[i] not in (None, "")}

        codes = (column_values(Sheet.PRODUCERS, "tax_code", _tax_code)
                 | column_values(Sheet.PRODUCTS, "producer_tax_code", _tax_code)
                 | column_values(Sheet.SHOWROOMS, "owner_tax_code", _tax_code))
        self.producers = {p.tax_code: p for p in _chunked(Producer.objects.select_related("commune"), "tax_code", codes)}
        self.file_producers: set[str] = set()  # tax codes the file's Chủ thể sheet brings (valid rows)
        numbers = column_values(Sheet.PRODUCTS, "certificate_number")
        self.certificates = {c.number: c for c in _chunked(
            Certificate.objects.select_related("product", "decision"), "number", numbers)}
        self.products = {p.code: p for p in _chunked(Product.objects.all(), "code",
                                                     column_values(Sheet.PRODUCTS, "product_code"))}
        self.product_sets = list(ProductSet.objects.all())
        self.rules = list(AuthorityRule.objects.all())
        self.organisations = list(Organisation.objects.filter(kind__in=_ISSUER_KIND.values()))
        area = {"commune__current_province": province} if province is not None else {}
        self.trainings = {(fold(t.title), t.commune_id, t.held_on): t
                          for t in Training.objects.filter(**area)} if Sheet.TRAININGS in wanted else {}
        self.showrooms = {(fold(s.name), s.commune_id, s.opened_on): s
                          for s in Showroom.objects.filter(**area)} if Sheet.SHOWROOMS in wanted else {}
        self.seen: dict = {}

    def authority(self, star: int, day: datetime.date):
        rules = [r for r in self.rules if r.star == star and r.effective_from <= day
                 and (r.effective_to is None or day <= r.effective_to)]
        return max(rules, key=lambda r: r.effective_from).level if rules else None

    def issuer(self, level: str, unit, day: datetime.date):
        unit_id = None if level == RecognisingLevel.MINISTRY else getattr(unit, "pk", None)
        found = [o for o in self.organisations if o.kind == _ISSUER_KIND[level] and o.unit_id == unit_id
                 and (o.valid_from is None or o.valid_from <= day) and (o.valid_to is None or day <= o.valid_to)]
        return max(found, key=lambda o: o.valid_from or datetime.date.min) if found else None

    def product_set(self, text: str, day: datetime.date | None):
        wanted = fold(text)
        found = [s for s in self.product_sets if fold(s.code) == wanted or fold(s.name) == wanted
                 or fold(str(s)) == wanted]
        if len(found) > 1:
            # A name or code shared by today's classification and one no longer in force (1048/2019 has sets of the
            # same names) means today's set; "… (1048/QĐ-TTg)" names the old one.
            current = [s for s in found if s.valid_to is None]
            found = current if len(current) == 1 else found
        if len(found) > 1 and day is not None:
            dated = [s for s in found if (s.valid_from is None or s.valid_from <= day)
                     and (s.valid_to is None or day <= s.valid_to)]
            found = dated or found
        return found

    def duplicate(self, sheet: str, key, line: int) -> int | None:
        first = self.seen.setdefault((sheet, key), line)
        return first if first != line else None


def _chunked(queryset, field_name, values, size=5000):
    values = sorted(values)
    for i in range(0, len(values), size):
        yield from queryset.filter(**{f"{field_name}__in": values[i:i + size]})


def _unit(row: Row, ctx: Context):
    res = ctx.resolver.resolve(Level.COMMUNE, row.text("commune"), code=row.text("commune_code"),
                               district=row.text("district"), province=row.text("province_name"))
    if res.unit is None:
        row.error("commune" if row.text("commune") or not row.text("commune_code") else "commune_code", res.error)
    return res.unit


def _compare(row: Row, target, wanted: dict) -> None:
    """unchanged, or updated with the changes; a value left blank in the file changes nothing."""
    verdict = row.verdict
    verdict.target = target
    for name, value in wanted.items():
        if value is None or value == "":
            continue
        old = getattr(target, name)
        if old != value:
            verdict.changes[name] = [_jsonable(old), _jsonable(value)]
    verdict.status = RowStatus.UPDATED if verdict.changes else RowStatus.UNCHANGED


def _jsonable(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return getattr(value, "pk", value)


def check_producer(row: Row, ctx: Context) -> None:
    v = row.verdict
    tax_code = _tax_code(row.raw("tax_code"))
    if not tax_code:
        row.required("tax_code")
    else:
        try:
            RegexValidator(TAX_CODE_RE)(tax_code)
        except ValidationError:
            row.error("tax_code", _("Mã số thuế “%(v)s” phải gồm 10 hoặc 13 chữ số.") % {"v": tax_code})
    v.key = tax_code
    name = row.required("name")
    kind = _choice(row.required("kind"), ProducerKind.choices, _KIND_WORDS)
    if row.text("kind") and kind is None:
        row.error("kind", _("Loại hình “%(v)s” không có trong danh mục.") % {"v": row.text("kind")})
    gender = _choice(row.required("representative_gender"), Gender.choices)
    if row.text("representative_gender") and gender is None:
        row.error("representative_gender", _("Giới tính ghi Nam, Nữ hoặc Khác."))
    chain = fold(row.text("in_value_chain"))
    if chain not in _YES | _NO:
        row.error("in_value_chain", _("Ghi “Có” hoặc “Không”."))
    commune = _unit(row, ctx)
    v.data = {"tax_code": tax_code, "name": name, "kind": kind, "commune": commune,
              "address": row.required("address"), "representative_name": row.required("representative_name"),
              "representative_gender": gender, "registered_on": row.date("registered_on"),
              "phone": row.text("phone"), "craft_village": row.text("craft_village"),
              "in_value_chain": chain in _YES if row.text("in_value_chain") else None}
    if tax_code and (first := ctx.duplicate(Sheet.PRODUCERS, tax_code, row.line)):
        row.error("tax_code", _("Trùng mã số thuế với dòng %(n)s.") % {"n": first})
    if v.reasons:
        return
    existing = ctx.producers.get(tax_code)
    if existing is not None:
        if ctx.province is not None and existing.commune.current_province_id != ctx.province.pk:
            row.error("tax_code", _("Chủ thể có mã số thuế này thuộc tỉnh khác."))
            return
        _compare(row, existing, v.data)
    ctx.file_producers.add(tax_code)


def check_product(row: Row, ctx: Context) -> None:
    v = row.verdict
    number = row.required("certificate_number")
    v.key = number
    code = row.required("product_code")
    name = row.required("product_name")
    tax_code = _tax_code(row.raw("producer_tax_code"))
    producer = ctx.producers.get(tax_code)
    if not tax_code:
        row.required("producer_tax_code")
    elif producer is None and tax_code not in ctx.file_producers:
        row.error("producer_tax_code", _("Chưa có chủ thể mã số thuế %(v)s (thêm ở trang “Chủ thể”).") % {"v": tax_code})
    decided_on = row.date("decided_on", required=True)
    star = row.integer("star", required=True)
    if star is not None and not 3 <= star <= 5:
        row.error("star", _("Hạng sao phải từ 3 đến 5 (tệp ghi %(v)s).") % {"v": star})
    valid_until = row.date("valid_until")
    if valid_until and decided_on and valid_until <= decided_on:
        row.error("valid_until", _("Ngày hết hiệu lực %(end)s phải sau ngày quyết định %(day)s.")
                  % {"end": valid_until.strftime("%d/%m/%Y"), "day": decided_on.strftime("%d/%m/%Y")})
    decision_number = row.required("decision_number")
    level = _choice(row.required("level"), RecognisingLevel.choices, _LEVEL_WORDS)
    if row.text("level") and level is None:
        row.error("level", _("Cấp công nhận ghi Tỉnh, Huyện hoặc Trung ương."))
    product_set = None
    if row.required("product_set"):
        sets = ctx.product_set(row.text("product_set"), decided_on)
        if len(sets) == 1:
            product_set = sets[0]
        else:
            row.error("product_set", _("Không tìm thấy bộ sản phẩm “%(v)s”.") % {"v": row.text("product_set")}
                      if not sets else _("Bộ sản phẩm “%(v)s” chưa rõ: %(list)s.")
                      % {"v": row.text("product_set"), "list": "; ".join(f"{s.code} ({s.classification})" for s in sets)})
    commune = _unit(row, ctx)
    issuing_unit = None
    if commune is not None and level in (RecognisingLevel.PROVINCE, RecognisingLevel.DISTRICT):
        unit_level = Level.DISTRICT if level == RecognisingLevel.DISTRICT else Level.PROVINCE
        if row.text("issuing_unit"):
            res = ctx.resolver.resolve(unit_level, row.text("issuing_unit"))
            issuing_unit = res.unit
            if res.unit is None:
                row.error("issuing_unit", res.error)
        else:
            own = ctx.resolver.units.get(commune.parent_id if unit_level == Level.DISTRICT else commune.province_id)
            if own is None or own.level != unit_level:
                row.error("issuing_unit", _("Ghi đơn vị ban hành: xã “%(c)s” không thuộc huyện nào.") % {"c": commune.name})
            issuing_unit = own
    if star is not None and decided_on and level and not v.reasons:
        allowed = ctx.authority(star, decided_on)
        if allowed != level:
            row.error("level", _("Ngày %(day)s, %(star)s sao thuộc thẩm quyền công nhận của %(allowed)s, không phải %(level)s.")
                      % {"day": decided_on.strftime("%d/%m/%Y"), "star": star, "level": RecognisingLevel(level).label,
                         "allowed": RecognisingLevel(allowed).label if allowed else "—"})
        elif ctx.issuer(level, issuing_unit, decided_on) is None:
            row.error("issuing_unit", _("Chưa khai báo cơ quan ban hành (%(level)s) của %(unit)s có hiệu lực ngày %(day)s.")
                      % {"level": RecognisingLevel(level).label, "unit": issuing_unit or "—",
                         "day": decided_on.strftime("%d/%m/%Y")})
    v.data = {"certificate_number": number, "product_code": code, "product_name": name, "producer_tax_code": tax_code,
              "product_set": product_set, "commune": commune, "star": star, "level": level,
              "issuing_unit": issuing_unit, "decision_number": decision_number, "decided_on": decided_on,
              "valid_until": valid_until, "signer_name": row.text("signer_name")}
    if number and (first := ctx.duplicate(Sheet.PRODUCTS, number, row.line)):
        row.error("certificate_number", _("Trùng số giấy chứng nhận với dòng %(n)s.") % {"n": first})
    if v.reasons:
        return
    product = ctx.products.get(code)
    if product is not None and producer is not None and product.producer_id != producer.pk:
        row.error("product_code", _("Mã sản phẩm %(v)s đã thuộc chủ thể khác.") % {"v": code})
        return
    existing = ctx.certificates.get(number)
    if existing is None:
        if fold(row.text("status")) == fold(CertificateStatus.REVOKED.label):
            row.error("status", _("Giấy chứng nhận đã bị thu hồi: nhập giấy này rồi ghi quyết định thu hồi trên trang "
                                  "giấy chứng nhận, không qua nhập tệp."))
        return
    v.target = existing
    differ = [label for label, old, new in (
        (_("mã sản phẩm"), existing.product.code, code), (_("hạng sao"), existing.star, star),
        (_("số quyết định"), existing.decision.number, decision_number),
        (_("ngày quyết định"), existing.issued_on, decided_on),
        (_("hiệu lực đến"), existing.valid_until, valid_until or existing.valid_until)) if old != new]
    if differ:
        row.error("certificate_number", _("Giấy chứng nhận %(n)s đã có với %(list)s khác: sửa giấy đã cấp bằng "
                                          "nghiệp vụ thu hồi, cấp lại, không qua nhập tệp.") % {"n": number, "list": ", ".join(differ)})
    else:
        v.status = RowStatus.UNCHANGED


def check_training(row: Row, ctx: Context) -> None:
    v = row.verdict
    title = row.required("title")
    commune = _unit(row, ctx)
    held_on = row.date("held_on", required=True)
    participants = row.integer("participants", required=True)
    managers = row.integer("managers") or 0
    if participants is not None and managers > participants:
        row.error("managers", _("Số cán bộ quản lý, chủ thể (%(m)s) lớn hơn số người tham gia (%(p)s).")
                  % {"m": managers, "p": participants})
    v.data = {"title": title, "commune": commune, "held_on": held_on, "participants": participants,
              "managers": managers, "organiser": row.text("organiser")}
    key = (fold(title), getattr(commune, "pk", None), held_on)
    v.key = f"{title} · {held_on:%d/%m/%Y}" if held_on else title
    if title and commune and held_on and (first := ctx.duplicate(Sheet.TRAININGS, key, row.line)):
        row.error("title", _("Trùng lớp (tên, xã, ngày) với dòng %(n)s.") % {"n": first})
    if not v.reasons and key in ctx.trainings:
        _compare(row, ctx.trainings[key], {"participants": participants, "managers": managers,
                                           "organiser": v.data["organiser"]})


def check_showroom(row: Row, ctx: Context) -> None:
    v = row.verdict
    name = row.required("name")
    commune = _unit(row, ctx)
    opened_on = row.date("opened_on", required=True)
    closed_on = row.date("closed_on")
    if opened_on and closed_on and closed_on < opened_on:
        row.error("closed_on", _("Ngày đóng cửa trước ngày khai trương."))
    tax_code = _tax_code(row.raw("owner_tax_code"))
    owner = ctx.producers.get(tax_code) if tax_code else None
    if tax_code and owner is None and tax_code not in ctx.file_producers:
        row.error("owner_tax_code", _("Chưa có chủ thể mã số thuế %(v)s.") % {"v": tax_code})
    v.data = {"name": name, "commune": commune, "opened_on": opened_on, "closed_on": closed_on,
              "owner_name": row.required("owner_name"), "owner_tax_code": tax_code, "address": row.text("address")}
    key = (fold(name), getattr(commune, "pk", None), opened_on)
    v.key = f"{name} · {opened_on:%d/%m/%Y}" if opened_on else name
    if name and commune and opened_on and (first := ctx.duplicate(Sheet.SHOWROOMS, key, row.line)):
        row.error("name", _("Trùng điểm bán (tên, xã, ngày khai trương) với dòng %(n)s.") % {"n": first})
    if not v.reasons and key in ctx.showrooms:
        _compare(row, ctx.showrooms[key], {"owner_name": v.data["owner_name"], "address": v.data["address"],
                                           "closed_on": closed_on})


CHECKS = {Sheet.PRODUCERS: check_producer, Sheet.PRODUCTS: check_product, Sheet.TRAININGS: check_training,
          Sheet.SHOWROOMS: check_showroom}


def required_headers_missing(sheet: SheetData) -> list[str]:
    return [c.header for c in SHEETS[sheet.sheet][1] if c.required and c.field not in sheet.fields
            and not (c.field == "commune" and "commune_code" in sheet.fields)]


def verdicts(province, sheets: list[SheetData], progress=None):
    """Yield a Verdict per data row, producers first (products and showrooms may name the file's new producers)."""
    from .layout import SHEET_ORDER

    ctx = Context(province, sheets)
    done = 0
    for kind in SHEET_ORDER:
        for sheet in (s for s in sheets if s.sheet == kind):
            missing = required_headers_missing(sheet)
            for line, cells in sheet.rows:
                verdict = Verdict(sheet=kind, line=line)
                if missing:
                    verdict.reasons.append({"cell": f"{line}", "message": _("Trang thiếu cột: %(c)s.")
                                            % {"c": ", ".join(missing)}})
                else:
                    CHECKS[kind](Row(sheet, line, cells, verdict), ctx)
                if verdict.reasons:
                    verdict.status = RowStatus.ERROR
                verdict.values = {name: _jsonable(value) if not hasattr(value, "name") else str(value)
                                  for name, value in verdict.data.items() if value not in (None, "")}
                done += 1
                if progress is not None:
                    progress(done)
                yield verdict
    yield from ()


