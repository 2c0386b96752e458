from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ cấp xã")
    PROVINCE_STAFF = "province_staff", _("Cán bộ OCOP cấp tỉnh")
    COUNCIL_MEMBER = "council_member", _("Thành viên hội đồng")
    ADVISORY_MEMBER = "advisory_member", _("Thành viên tổ tư vấn")
    REPORT_VIEWER = "report_viewer", _("Cán bộ Sở NN&MT xem báo cáo")
    PRODUCER = "producer", _("Chủ thể OCOP")
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")


# Roles held in a province (their scope is the whole province) vs in a commune.
PROVINCE_ROLES = {Role.PROVINCE_STAFF, Role.COUNCIL_MEMBER, Role.ADVISORY_MEMBER, Role.REPORT_VIEWER}
COMMUNE_ROLES = {Role.COMMUNE_OFFICER, Role.PRODUCER}


class OrganisationKind(models.TextChoices):
    PROVINCIAL_PEOPLES_COMMITTEE = "ubnd_tinh", _("UBND cấp tỉnh")
    DISTRICT_PEOPLES_COMMITTEE = "ubnd_huyen", _("UBND cấp huyện")
    COMMUNE_PEOPLES_COMMITTEE = "ubnd_xa", _("UBND cấp xã")
    AGRICULTURE_DEPARTMENT = "so_nnmt", _("Sở Nông nghiệp và Môi trường")
    OCOP_OFFICE = "ocop_office", _("Cơ quan tham mưu quản lý OCOP cấp tỉnh")
    MINISTRY = "ministry", _("Bộ Nông nghiệp và Môi trường")
    OTHER_DEPARTMENT = "other_department", _("Sở, ngành khác")
