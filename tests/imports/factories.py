"""A province to import into: Tỉnh Vĩnh Long today, formed from old Bến Tre and Trà Vinh, each with a
“Huyện Châu Thành” (same-name districts), the committees that issued certificates then, and province staff."""
import datetime
import io

import openpyxl

from accounts.enums import OrganisationKind, Role
from accounts.models import Organisation
from tests.factories import user_with_role
from tests.products.factories import authority_rules, legacy_setup
from tests.registrations.factories import ProductSetFactory
from units.enums import Kind, Level
from units.models import AdministrativeUnit

D = datetime.date
OLD_END = D(2025, 6, 30)


def _unit(code, name, level, kind, parent, province, current, valid_to=OLD_END):
    return AdministrativeUnit.objects.create(code=code, name=name, level=level, kind=kind, parent=parent,
                                             province=province, current_province=current, valid_to=valid_to)


def import_world():
    authority_rules()
    vinh_long, cho_lach, son_dinh = legacy_setup()
    ben_tre = son_dinh.province
    vinh_long.current_province = vinh_long
    vinh_long.save(update_fields=["current_province"])
    ben_tre.province = ben_tre
    ben_tre.save(update_fields=["province"])
    tra_vinh = _unit("84", "Tỉnh Trà Vinh", Level.PROVINCE, Kind.PROVINCE, None, None, vinh_long)
    tra_vinh.province = tra_vinh
    tra_vinh.save(update_fields=["province"])
    chau_thanh_bt = _unit("831", "Huyện Châu Thành", Level.DISTRICT, Kind.RURAL_DISTRICT, ben_tre, ben_tre, vinh_long)
    chau_thanh_tv = _unit("847", "Huyện Châu Thành", Level.DISTRICT, Kind.RURAL_DISTRICT, tra_vinh, tra_vinh, vinh_long)
    tan_thach = _unit("28642", "Xã Tân Thạch", Level.COMMUNE, Kind.COMMUNE, chau_thanh_bt, ben_tre, vinh_long)
    hoa_loi_bt = _unit("28651", "Xã Hòa Lợi", Level.COMMUNE, Kind.COMMUNE, chau_thanh_bt, ben_tre, vinh_long)
    hoa_loi_tv = _unit("29005", "Xã Hòa Lợi", Level.COMMUNE, Kind.COMMUNE, chau_thanh_tv, tra_vinh, vinh_long)
    cho_lach_new = _unit("28849", "Xã Chợ Lách", Level.COMMUNE, Kind.COMMUNE, vinh_long, vinh_long, vinh_long,
                         valid_to=None)
    for unit, kind, name in ((ben_tre, OrganisationKind.PROVINCIAL_PEOPLES_COMMITTEE, "Ủy ban nhân dân tỉnh Bến Tre"),
                             (tra_vinh, OrganisationKind.PROVINCIAL_PEOPLES_COMMITTEE, "Ủy ban nhân dân tỉnh Trà Vinh"),
                             (chau_thanh_bt, OrganisationKind.DISTRICT_PEOPLES_COMMITTEE, "Ủy ban nhân dân huyện Châu Thành"),
                             (chau_thanh_tv, OrganisationKind.DISTRICT_PEOPLES_COMMITTEE,
                              "Ủy ban nhân dân huyện Châu Thành (Trà Vinh)")):
        Organisation.objects.create(kind=kind, unit=unit, name=name, valid_to=OLD_END)
    ProductSetFactory(code="B01", name="Bánh, mứt, kẹo")
    ProductSetFactory(code="B02", name="Trái cây tươi")
    staff = user_with_role(Role.PROVINCE_STAFF, vinh_long)
    return {"province": vinh_long, "staff": staff, "son_dinh": son_dinh, "cho_lach": cho_lach,
            "tan_thach": tan_thach, "hoa_loi_bt": hoa_loi_bt, "hoa_loi_tv": hoa_loi_tv, "cho_lach_new": cho_lach_new}


PRODUCER_HEADERS = ["Mã số thuế", "Tên chủ thể", "Loại hình", "Xã, phường", "Huyện (cũ)", "Tỉnh", "Địa chỉ",
                    "Người đại diện", "Giới tính người đại diện", "Ngày cấp đăng ký", "Làng nghề",
                    "Tham gia chuỗi giá trị"]
PRODUCT_HEADERS = ["Mã sản phẩm", "Tên sản phẩm", "Mã số thuế chủ thể", "Bộ sản phẩm", "Xã, phường", "Huyện (cũ)",
                   "Tỉnh", "Số giấy chứng nhận", "Hạng sao", "Số quyết định", "Ngày quyết định", "Cấp công nhận",
                   "Hiệu lực đến"]
TRAINING_HEADERS = ["Tên lớp", "Xã, phường", "Huyện (cũ)", "Tỉnh", "Ngày khai giảng", "Số người tham gia",
                    "Trong đó: cán bộ quản lý, chủ thể", "Đơn vị tổ chức"]
SHOWROOM_HEADERS = ["Tên điểm", "Xã, phường", "Huyện (cũ)", "Tỉnh", "Đơn vị, người sở hữu",
                    "Mã số thuế chủ thể sở hữu", "Địa chỉ", "Ngày khai trương", "Ngày đóng cửa"]

GOOD = {
    "Chủ thể": (PRODUCER_HEADERS, [
        ["1300111222", "HTX Dừa Sơn Định", "Hợp tác xã", "Xã Sơn Định", "Huyện Chợ Lách", "Tỉnh Bến Tre", "Ấp 1",
         "Nguyễn Văn A", "Nam", "15/03/2018", "Làng nghề kẹo dừa", "Có"],
        ["1300333444", "Cơ sở Bánh Tân Thạch", "Hộ sản xuất có đăng ký kinh doanh", "Tân Thạch, Châu Thành, Bến Tre",
         "", "", "Ấp 2", "Trần Thị B", "Nữ", D(2019, 5, 2), "", "Không"],
    ]),
    "Sản phẩm OCOP": (PRODUCT_HEADERS, [
        ["83-834-28870-1-2020", "Kẹo dừa Sơn Định", "1300111222", "B01", "Xã Sơn Định", "Huyện Chợ Lách",
         "Tỉnh Bến Tre", "05/2020/GCN", 3, "611/QĐ-UBND", "01/03/2020", "Tỉnh", ""],
        ["83-834-28870-1-2020", "Kẹo dừa Sơn Định", "1300111222", "B01", "Xã Sơn Định", "Huyện Chợ Lách",
         "Tỉnh Bến Tre", "31/2024/GCN", 4, "1402/QĐ-UBND", D(2024, 6, 1), "Tỉnh", ""],
        ["83-831-28642-1-2023", "Bánh phồng Tân Thạch", "1300333444", "Bánh, mứt, kẹo", "Xã Tân Thạch",
         "Huyện Châu Thành", "Tỉnh Bến Tre", "12/2023/GCN-CT", 3, "2871/QĐ-UBND", "15/12/2023", "Huyện", ""],
    ]),
    "Tập huấn": (TRAINING_HEADERS, [
        ["Tập huấn chu trình OCOP 2024", "Xã Hòa Lợi", "Huyện Châu Thành", "Tỉnh Trà Vinh", "10/04/2024", 45, 12,
         "Sở Nông nghiệp"],
    ]),
    "Điểm bán": (SHOWROOM_HEADERS, [
        ["Điểm bán OCOP Chợ Lách", "Xã Chợ Lách", "", "", "HTX Dừa Sơn Định", "1300111222", "Chợ Lách",
         "01/09/2025", ""],
    ]),
}


def workbook(sheets: dict) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, (headers, rows) in sheets.items():
        ws = book.create_sheet(title)
        ws.append(headers)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
