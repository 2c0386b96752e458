"""Import of the official scoring sheets (data/rubrics/*.json) into versioned rubric rows.

Kept apart from services.py because it is a bulk loader, not a transition: it validates every sheet first,
refuses any sheet whose points do not add up, and creates the rest with a handful of bulk inserts.
"""
import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from registrations.models import ProductGroup, ProductSet

from .models import Criterion, CriteriaGroup, KnockoutCondition, LegalDocument, Option, Part, Rubric

DEFAULT_RUBRIC_FILE = Path(settings.BASE_DIR) / "data" / "rubrics" / "ocop-26-2026.json"
DEFAULT_CLASSIFICATION_FILE = Path(settings.BASE_DIR) / "data" / "classifications" / "ocop-1048-2019.json"
TOURISM_SET_CODE = "VI.1"  # the tourism set needs no product samples (Art. 6)


@dataclass
class ImportReport:
    legal_document: LegalDocument | None = None
    created: list = field(default_factory=list)  # set numbers
    skipped: list = field(default_factory=list)  # already imported
    refused: dict = field(default_factory=dict)  # set number -> [errors]


def _d(value) -> Decimal:
    return Decimal(str(value))


def _leaf_errors(item: dict) -> list[str]:
    errors = []
    code, maximum = item["code"], _d(item["max_points"])
    options = item.get("options") or []
    for opt in options:
        if _d(opt["points"]) < 0:
            errors.append(f"{code}: điểm âm ({opt['points']})")
        if opt.get("min_star") not in (None, 3, 4, 5):
            errors.append(f"{code}: dấu sao không hợp lệ ({opt.get('min_star')})")
    if options:
        by_case: dict = {}
        for opt in options:
            by_case.setdefault(opt.get("case") or "", []).append(_d(opt["points"]))
        for case, points in by_case.items():
            if max(points) != maximum:
                errors.append(f"{code}{'/' + case if case else ''}: điểm tối đa {maximum} ≠ mức cao nhất {max(points)}")
    return errors


def sheet_errors(sheet: dict, part_maxima: dict) -> list[str]:
    """Every way a sheet's points fail to add up; an empty list means the sheet may be imported."""
    errors = []
    parts = {p["code"]: _d(p["max_points"]) for p in sheet.get("parts", [])}
    if set(parts) != set(part_maxima):
        errors.append(f"các phần {sorted(parts)} khác {sorted(part_maxima)}")
    for code, maximum in parts.items():
        if code in part_maxima and maximum != _d(part_maxima[code]):
            errors.append(f"phần {code}: {maximum} điểm, văn bản quy định {part_maxima[code]}")
    group_sums: dict = {}
    for group in sheet.get("criteria_groups", []):
        group_max = _d(group["max_points"])
        group_sums[group["part"]] = group_sums.get(group["part"], Decimal(0)) + group_max
        criteria_sum = sum((_d(c["max_points"]) for c in group["criteria"]), Decimal(0))
        if criteria_sum != group_max:
            errors.append(f"nhóm {group['number']}: tổng tiêu chí {criteria_sum} ≠ {group_max}")
        for criterion in group["criteria"]:
            subs = criterion.get("subcriteria") or []
            if subs:
                sub_sum = sum((_d(s["max_points"]) for s in subs), Decimal(0))
                if sub_sum != _d(criterion["max_points"]):
                    errors.append(f"{criterion['code']}: tổng tiêu chí con {sub_sum} ≠ {criterion['max_points']}")
                for sub in subs:
                    errors.extend(_leaf_errors(sub))
            else:
                errors.extend(_leaf_errors(criterion))
    for code, maximum in parts.items():
        if group_sums.get(code, Decimal(0)) != maximum:
            errors.append(f"phần {code}: tổng các nhóm {group_sums.get(code, Decimal(0))} ≠ {maximum}")
    return errors


def _split(maxima: dict) -> str:
    return "/".join(f"{k} {maxima[k].normalize():f}" for k in sorted(maxima))


def _classification(data: dict, number: str, effective_from: datetime.date, valid_to: datetime.date | None = None,
                    current_sets: dict | None = None) -> dict:
    """Fill registrations' ProductGroup / ProductSet for this classification; returns set number -> ProductSet.
    A classification no longer in force has a `valid_to` and maps each set to today's (`current_sets`: the
    current classification's set number -> ProductSet)."""
    groups: dict = {}

    def upsert(code, level, name, name_en, parent, ministries):
        obj, _ = ProductGroup.objects.update_or_create(
            classification=number, code=code,
            defaults={"level": level, "name": name, "name_en": name_en or "", "parent": parent,
                      "managing_ministries": ministries or []},
        )
        groups[code] = obj
        return obj

    for group in data.get("product_groups", []):
        top = upsert(group["code"], ProductGroup.Level.GROUP, group.get("label_vi") or group["name_vi"],
                     group.get("name_en"), None, [])
        for sub in group.get("subgroups", []):
            mid = upsert(sub["code"], ProductGroup.Level.SUBGROUP, sub["name_vi"], sub.get("name_en"), top,
                         sub.get("managing_ministries"))
            for div in sub.get("divisions", []):
                upsert(div["code"], ProductGroup.Level.DIVISION, div["name_vi"], div.get("name_en"), mid,
                       div.get("managing_ministries"))
    sets = {}
    for sheet in data.get("product_sets", []):
        sets[sheet["number"]], _ = ProductSet.objects.update_or_create(
            classification=number, number=sheet["number"],
            defaults={
                "code": sheet["code"], "slug": sheet["slug"], "name": sheet["name_vi"],
                "group": groups[sheet["group"]], "subgroup": groups.get(sheet.get("subgroup")),
                "managing_ministries": sheet.get("managing_ministries") or [],
                "needs_samples": sheet["code"] != TOURISM_SET_CODE, "valid_from": effective_from,
                "valid_to": valid_to, "current_set": (current_sets or {}).get(sheet.get("current_set")),
            },
        )
    return sets


def _criterion(rubric, group, item, position, parent=None) -> Criterion:
    return Criterion(
        rubric=rubric, group=group, part_code=group.part.code, parent=parent, code=item["code"],
        name=item["name_vi"][:500], description=item.get("description_vi") or "",
        requirement=item.get("requirement_vi") or "", instruction=(item.get("instruction_vi") or "")[:255],
        cases=item.get("cases") or [], notes=item.get("notes_vi") or [], implicit=bool(item.get("implicit")),
        scorable=not item.get("subcriteria"), max_points=_d(item["max_points"]), position=position,
    )


def _options(rubric, criterion: Criterion, item: dict) -> list[Option]:
    options = item.get("options") or []
    if not options and criterion.scorable:
        # The sheet prints only a maximum (e.g. 2.4 bilingual labelling, 1 point): scored as not met / met.
        return [
            Option(rubric=rubric, criterion=criterion, text="Không đạt", points=Decimal(0), position=0, synthesized=True),
            Option(rubric=rubric, criterion=criterion, text="Đạt", points=criterion.max_points, position=1,
                   synthesized=True),
        ]
    return [
        Option(rubric=rubric, criterion=criterion, text=o["text_vi"], points=_d(o["points"]), min_star=o.get("min_star"),
               case=o.get("case") or "", position=i)
        for i, o in enumerate(options)
    ]


def classification_import_file(path: Path = DEFAULT_CLASSIFICATION_FILE) -> dict:
    """Load a classification no longer in force (e.g. 1048/QĐ-TTg's 26 sub-groups) with each set mapped to the
    current classification's set (`maps_to`), which must be loaded first. Idempotent."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    current = {ps.number: ps for ps in ProductSet.objects.filter(classification=data["maps_to"])}
    missing = sorted({s["current_set"] for s in data["product_sets"]} - set(current))
    if missing:
        raise ValueError(f"{data['maps_to']} chưa có các bộ sản phẩm số {missing}: hãy nạp phân loại hiện hành trước")
    with transaction.atomic():
        return _classification(data, data["classification"], datetime.date.fromisoformat(data["valid_from"]),
                               datetime.date.fromisoformat(data["valid_to"]), current)


def legal_data_seed() -> None:
    """(Re)create the decisions and authority rules seeded by migration 0002, e.g. after a flushed test DB."""
    import importlib

    from django.apps import apps

    importlib.import_module("evaluations.migrations.0002_legal_documents_and_authority").seed(apps, None)


@transaction.atomic
def rubrics_import(data: dict, *, only_sets: set | None = None) -> ImportReport:
    """Import a rubric file. Idempotent: a sheet already imported for its legal document is left alone."""
    doc = data["legal_document"]
    declared = {p["code"]: _d(p["max_points"]) for p in data["parts"]}
    effective_from = datetime.date.fromisoformat(doc["effective_from"])
    legal_document = LegalDocument.objects.filter(number=doc["number"]).first()
    if legal_document is None:
        legal_document = LegalDocument.objects.create(
            number=doc["number"], title=doc.get("title", "")[:500], date=datetime.date.fromisoformat(doc["date"]),
            effective_from=effective_from, part_a_max=declared["A"], part_b_max=declared["B"],
            part_c_max=declared["C"], source=doc.get("source") or {},
        )
    else:
        # A known decision keeps its own split (1048: 35/25/40; 148 and 26/2026: 40/25/35): a file that claims
        # another one is refused whole, and never rewrites the decision.
        known = legal_document.part_maxima()
        if declared != known:
            report = ImportReport(legal_document=legal_document)
            error = f"tệp ghi các phần {_split(declared)}, {legal_document.number} quy định {_split(known)}"
            for sheet in data["product_sets"]:
                if only_sets is None or sheet["number"] in only_sets:
                    report.refused[sheet["number"]] = [error]
            return report
        if doc.get("title"):
            legal_document.title = doc["title"][:500]
        if doc.get("source"):
            legal_document.source = doc["source"]
        legal_document.save(update_fields=["title", "source"])
    part_maxima = legal_document.part_maxima()
    report = ImportReport(legal_document=legal_document)
    sets = _classification(data, legal_document.number, effective_from)
    existing = set(Rubric.objects.filter(legal_document=legal_document).values_list("product_set__number", flat=True))

    sheets = []
    for sheet in data["product_sets"]:
        number = sheet["number"]
        if only_sets is not None and number not in only_sets:
            continue
        if number in existing:
            report.skipped.append(number)
            continue
        errors = sheet_errors(sheet, part_maxima)
        if errors:
            report.refused[number] = errors
            continue
        sheets.append(sheet)
    if not sheets:
        return report

    rubrics = Rubric.objects.bulk_create([
        Rubric(legal_document=legal_document, product_set=sets[s["number"]], heading=s.get("heading_vi", "")[:500],
               classification=s.get("classification_vi", "")[:500], footer_notes=s.get("footer_notes_vi") or [],
               max_points=sum((_d(p["max_points"]) for p in s["parts"]), Decimal(0)))
        for s in sheets
    ])
    parts = Part.objects.bulk_create([
        Part(rubric=r, code=p["code"], heading=p.get("heading_vi", "")[:255], max_points=_d(p["max_points"]))
        for r, s in zip(rubrics, sheets) for p in s["parts"]
    ])
    part_of = {(p.rubric_id, p.code): p for p in parts}
    group_rows, group_src = [], []
    for r, s in zip(rubrics, sheets):
        for i, g in enumerate(s["criteria_groups"]):
            group_rows.append(CriteriaGroup(
                rubric=r, part=part_of[(r.pk, g["part"])], number=g["number"], name=g["name_vi"][:500],
                description=g.get("description_vi") or "", requirement=g.get("requirement_vi") or "",
                notes=g.get("notes_vi") or [], max_points=_d(g["max_points"]), position=i,
            ))
            group_src.append(g)
    groups = CriteriaGroup.objects.bulk_create(group_rows)

    top_rows, top_src = [], []
    position: dict = {}
    for group, g in zip(groups, group_src):
        for c in g["criteria"]:
            position[group.rubric_id] = position.get(group.rubric_id, 0) + 1
            top_rows.append(_criterion(group.rubric, group, c, position[group.rubric_id]))
            top_src.append(c)
            for sub in c.get("subcriteria") or []:
                position[group.rubric_id] += 1  # reserve the sub-criterion's place right after its parent
    top = Criterion.objects.bulk_create(top_rows)
    sub_rows, sub_src = [], []
    for parent, c in zip(top, top_src):
        for i, sub in enumerate(c.get("subcriteria") or [], start=1):
            sub_rows.append(_criterion(parent.rubric, parent.group, sub, parent.position + i, parent=parent))
            sub_src.append(sub)
    subs = Criterion.objects.bulk_create(sub_rows)
    options = []
    for criterion, item in list(zip(top, top_src)) + list(zip(subs, sub_src)):
        options.extend(_options(criterion.rubric, criterion, item))
    Option.objects.bulk_create(options)
    KnockoutCondition.objects.bulk_create([
        KnockoutCondition(rubric=r, text=text, position=i)
        for r, s in zip(rubrics, sheets) for i, text in enumerate(s.get("knockout_conditions_vi") or [])
    ])
    report.created = [s["number"] for s in sheets]
    return report


def rubrics_import_file(path: Path = DEFAULT_RUBRIC_FILE, *, only_sets: set | None = None) -> ImportReport:
    with open(path, encoding="utf-8") as fh:
        return rubrics_import(json.load(fh), only_sets=only_sets)
