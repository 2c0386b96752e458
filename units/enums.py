import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

# The two-tier local government took effect on this day (Resolution 202/2025/QH15 and the NA
# Standing Committee resolutions per province); districts ceased the day before.
REFORM_DATE = datetime.date(2025, 7, 1)
LEGACY_VALID_TO = REFORM_DATE - datetime.timedelta(days=1)


class Level(models.TextChoices):
    PROVINCE = "province", _("Tỉnh")
    DISTRICT = "district", _("Huyện")
    COMMUNE = "commune", _("Xã")


class Kind(models.TextChoices):
    CENTRAL_CITY = "thanh_pho_tw", _("Thành phố trực thuộc trung ương")
    PROVINCE = "tinh", _("Tỉnh")
    URBAN_DISTRICT = "quan", _("Quận")
    RURAL_DISTRICT = "huyen", _("Huyện")
    TOWN = "thi_xa", _("Thị xã")
    PROVINCIAL_CITY = "thanh_pho", _("Thành phố thuộc tỉnh")
    COMMUNE = "xa", _("Xã")
    WARD = "phuong", _("Phường")
    TOWNSHIP = "thi_tran", _("Thị trấn")
    SPECIAL_ZONE = "dac_khu", _("Đặc khu")
