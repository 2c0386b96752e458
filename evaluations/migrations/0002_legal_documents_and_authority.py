"""Seed the decisions that issued OCOP scoring sheets and who recognised which star, by date.

Sources: shared domain notes §0 #1, #21, §1 and §3.3 (490/QĐ-TTg, 1048/QĐ-TTg, 148/QĐ-TTg, 1489/QĐ-TTg, 26/2026/QĐ-TTg).
"""
import datetime

from django.db import migrations

D = datetime.date

LEGAL_DOCUMENTS = [
    # number, title, date, effective_from, effective_to, A, B, C
    ("1048/QĐ-TTg", "Ban hành Bộ tiêu chí đánh giá, phân hạng sản phẩm Chương trình mỗi xã một sản phẩm",
     D(2019, 8, 21), D(2019, 8, 21), D(2023, 2, 23), 35, 25, 40),
    ("148/QĐ-TTg", "Ban hành Bộ tiêu chí và quy trình đánh giá, phân hạng sản phẩm Chương trình mỗi xã một sản phẩm",
     D(2023, 2, 24), D(2023, 2, 24), D(2026, 5, 21), 40, 25, 35),
    ("26/2026/QĐ-TTg", "Ban hành Bộ tiêu chí và quy trình đánh giá, phân hạng sản phẩm Mỗi xã một sản phẩm",
     D(2026, 5, 22), D(2026, 5, 22), None, 40, 25, 35),
]

AUTHORITY = [
    # legal basis, from, to, {star: level}
    # 490/QĐ-TTg (7 May 2018), the first national programme, until 1048 took effect: no national criteria yet; the
    # provincial council ranked and the province's People's Committee recognised 3★–4★, 5★ was the central level's
    # (migration 0008_plans2_authority_2018 adds these rows to databases seeded before).
    ("490/QĐ-TTg", D(2018, 5, 7), D(2019, 8, 20), {3: "province", 4: "province", 5: "ministry"}),
    ("1048/QĐ-TTg", D(2019, 8, 21), D(2023, 2, 23), {3: "province", 4: "province", 5: "ministry"}),
    ("148/QĐ-TTg", D(2023, 2, 24), D(2025, 6, 30), {3: "district", 4: "province", 5: "ministry"}),
    # District-level units ceased on 1 July 2025; 1489/QĐ-TTg (6 July) then moved 3★ to the province. Nothing
    # is recognised by a district from 1 July (migration 0005 corrects databases seeded with 5 July).
    ("148/QĐ-TTg; cấp huyện chấm dứt hoạt động từ 01/07/2025", D(2025, 7, 1), D(2025, 7, 5),
     {3: "province", 4: "province", 5: "ministry"}),
    ("148/QĐ-TTg + 1489/QĐ-TTg", D(2025, 7, 6), D(2026, 5, 21), {3: "province", 4: "province", 5: "ministry"}),
    ("26/2026/QĐ-TTg", D(2026, 5, 22), None, {3: "province", 4: "province", 5: "ministry"}),
]


def seed(apps, schema_editor):
    LegalDocument = apps.get_model("evaluations", "LegalDocument")
    AuthorityRule = apps.get_model("evaluations", "AuthorityRule")
    for number, title, date, start, end, a, b, c in LEGAL_DOCUMENTS:
        LegalDocument.objects.update_or_create(
            number=number,
            defaults={"title": title, "date": date, "effective_from": start, "effective_to": end,
                      "part_a_max": a, "part_b_max": b, "part_c_max": c},
        )
    for basis, start, end, levels in AUTHORITY:
        for star, level in levels.items():
            AuthorityRule.objects.update_or_create(
                effective_from=start, star=star, defaults={"legal_basis": basis, "effective_to": end, "level": level}
            )


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_rubrics")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
