from django.db import migrations

# The programme kinds reports count separately (shared/DOMAIN.md); the province edits them afterwards.
KINDS = [
    ("xoa-mu-chu", "Xóa mù chữ"),
    ("sau-biet-chu", "Giáo dục tiếp tục sau khi biết chữ"),
    ("phap-luat", "Chuyên đề pháp luật – chính sách"),
    ("khuyen-nong", "Khuyến nông, khuyến lâm, khuyến ngư, khuyến công"),
    ("khoa-hoc-cong-nghe", "Cập nhật kiến thức khoa học – công nghệ"),
    ("nghe-ngan-han", "Đào tạo nghề ngắn hạn"),
    ("suc-khoe", "Sức khỏe cộng đồng"),
    ("van-hoa-the-thao", "Văn hóa – văn nghệ – thể thao"),
    ("tin-hoc-ngoai-ngu", "Tin học, ngoại ngữ"),
    ("khac", "Khác"),
]


def load(apps, schema_editor):
    ProgrammeKind = apps.get_model("courses", "ProgrammeKind")
    for order, (code, name) in enumerate(KINDS, start=1):
        ProgrammeKind.objects.update_or_create(code=code, defaults={"name": name, "order": order})


def unload(apps, schema_editor):
    ProgrammeKind = apps.get_model("courses", "ProgrammeKind")
    ProgrammeKind.objects.filter(code__in=[code for code, _ in KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_programme_kinds_and_year_figures")]

    operations = [migrations.RunPython(load, unload)]
