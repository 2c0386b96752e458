"""The demo province: Vĩnh Long (merged on 1 July 2025 from Bến Tre, Trà Vinh and Vĩnh Long).

`demo_load()` is idempotent. It creates the organisations as they were named over time, one user per
role, and then calls each app's `demo_extend(context)` in layer order, so every app adds its own
realistic records (producers, dossiers, rounds, certificates, reports).
"""
import datetime
import importlib
from dataclasses import dataclass, field

from django.db import transaction

from accounts.enums import OrganisationKind, Role
from accounts.models import Organisation, RoleAssignment, User
from units.models import AdministrativeUnit

DEMO_PASSWORD = "ocop-demo-2026"
DEMO_PROVINCE_CODE = "86"  # Tỉnh Vĩnh Long (current)
# Two current communes of Vĩnh Long (looked up by name inside the province).
DEMO_COMMUNE_NAMES = ("Xã Chợ Lách", "Xã Mỏ Cày")
APP_DEMO_MODULES = ("registrations.demo", "evaluations.demo", "products.demo", "plans.demo", "reports.demo",
                    "imports.demo")
# Steps some apps take before the layer-order pass: the certificates entered from before the portal must exist
# before the re-evaluation dossiers that name them are filed (a dossier naming an unknown one is refused).
APP_DEMO_PREPARE = (("registrations.demo", "demo_producers"), ("products.demo", "demo_legacy_certificates"))


@dataclass
class DemoContext:
    province: AdministrativeUnit
    communes: list
    users: dict = field(default_factory=dict)  # key → User
    organisations: dict = field(default_factory=dict)


DEMO_USERS = [
    # key, username, full name, role, unit key ("province" or commune index)
    ("commune_officer", "canbo.xa", "Nguyễn Thị Hồng", Role.COMMUNE_OFFICER, 0),
    ("commune_officer_2", "canbo.xa2", "Trần Văn Lộc", Role.COMMUNE_OFFICER, 1),
    ("province_staff", "canbo.tinh", "Lê Minh Tâm", Role.PROVINCE_STAFF, "province"),
    ("council_chair", "hoidong.chutich", "Phạm Quốc Bảo", Role.COUNCIL_MEMBER, "province"),
    ("council_secretary", "hoidong.thuky", "Võ Thị Mai", Role.COUNCIL_MEMBER, "province"),
    ("council_member", "hoidong.tv1", "Đặng Hữu Phước", Role.COUNCIL_MEMBER, "province"),
    ("council_member_2", "hoidong.tv2", "Huỳnh Thanh Sơn", Role.COUNCIL_MEMBER, "province"),
    ("advisory_member", "totuvan", "Ngô Bích Ngọc", Role.ADVISORY_MEMBER, "province"),
    ("report_viewer", "so.nnmt", "Bùi Văn Khánh", Role.REPORT_VIEWER, "province"),
    ("producer", "chuthe", "HTX Dừa Xiêm Chợ Lách", Role.PRODUCER, 0),
    ("administrator", "quantri", "Quản trị hệ thống", Role.ADMINISTRATOR, None),
]


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def _org(kind, name, unit, valid_from=None, valid_to=None, short_name=""):
    org, _ = Organisation.objects.update_or_create(
        kind=kind, unit=unit, valid_from=valid_from,
        defaults={"name": name, "valid_to": valid_to, "short_name": short_name},
    )
    return org


@transaction.atomic
def demo_load() -> DemoContext:
    province = AdministrativeUnit.objects.get(level="province", code=DEMO_PROVINCE_CODE, valid_to__isnull=True)
    communes = [AdministrativeUnit.objects.get(province=province, level="commune", name=n) for n in DEMO_COMMUNE_NAMES]
    ctx = DemoContext(province=province, communes=communes)

    reform = datetime.date(2025, 7, 1)
    merger = datetime.date(2025, 3, 1)
    old_ben_tre = AdministrativeUnit.objects.get(level="province", code="83", valid_to__isnull=False)
    ctx.organisations = {
        "ministry": _org(OrganisationKind.MINISTRY, "Bộ Nông nghiệp và Môi trường", None, merger, short_name="Bộ NN&MT"),
        "ministry_old": _org(OrganisationKind.MINISTRY, "Bộ Nông nghiệp và Phát triển nông thôn", None, None,
                             merger - datetime.timedelta(days=1), short_name="Bộ NN&PTNT"),
        "ppc": _org(OrganisationKind.PROVINCIAL_PEOPLES_COMMITTEE, "Ủy ban nhân dân tỉnh Vĩnh Long", province, reform,
                    short_name="UBND tỉnh Vĩnh Long"),
        "department": _org(OrganisationKind.AGRICULTURE_DEPARTMENT, "Sở Nông nghiệp và Môi trường tỉnh Vĩnh Long",
                           province, reform, short_name="Sở NN&MT Vĩnh Long"),
        "ocop_office": _org(OrganisationKind.OCOP_OFFICE, "Chi cục Phát triển nông thôn tỉnh Vĩnh Long", province,
                            reform),
        "ppc_ben_tre": _org(OrganisationKind.PROVINCIAL_PEOPLES_COMMITTEE, "Ủy ban nhân dân tỉnh Bến Tre",
                            old_ben_tre, None, reform - datetime.timedelta(days=1), short_name="UBND tỉnh Bến Tre"),
        "dard_ben_tre": _org(OrganisationKind.AGRICULTURE_DEPARTMENT, "Sở Nông nghiệp và Phát triển nông thôn tỉnh Bến Tre",
                             old_ben_tre, None, merger - datetime.timedelta(days=1), short_name="Sở NN&PTNT Bến Tre"),
    }
    for commune in communes:
        ctx.organisations[f"ppc_{commune.pk}"] = _org(
            OrganisationKind.COMMUNE_PEOPLES_COMMITTEE, f"Ủy ban nhân dân {_lower_first(commune.name)}",
            commune, reform,
        )
    # Districts of old Bến Tre that issued 3★ certificates under Decision 148 (2023 – June 2025).
    for district in AdministrativeUnit.objects.filter(level="district", province=old_ben_tre):
        _org(OrganisationKind.DISTRICT_PEOPLES_COMMITTEE, f"Ủy ban nhân dân {_lower_first(district.name)}", district,
             None, reform - datetime.timedelta(days=1))

    for key, username, full_name, role, unit_key in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"full_name": full_name, "email": f"{username}@demo.ocop.local"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        unit = province if unit_key == "province" else (communes[unit_key] if isinstance(unit_key, int) else None)
        if role == Role.ADMINISTRATOR:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        RoleAssignment.objects.get_or_create(user=user, role=role, unit=unit, defaults={"valid_from": reform})
        ctx.users[key] = user

    steps = [*APP_DEMO_PREPARE, *((name, "demo_extend") for name in APP_DEMO_MODULES)]
    for module_name, function in steps:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        getattr(module, function)(ctx)
    return ctx
