from django.core.files.base import ContentFile
from django.utils import timezone

from materials.models import Material
from tests.factories import programme_kind

PDF = b"%PDF-1.4 tai lieu"


def material(*, province, by, centre=None, status=None, title="Kỹ thuật trồng lúa chất lượng cao", **kw):
    status = status or (Material.Status.PENDING if centre else Material.Status.PUBLISHED)
    item = Material(
        province=province,
        centre=centre,
        uploaded_by=by,
        title=title,
        programme_kind=kw.pop("kind", None) or programme_kind("khuyen-nong"),
        topic=kw.pop("topic", "trồng lúa"),
        author="Trung tâm Khuyến nông tỉnh",
        issued_on=timezone.localdate(),
        kind=Material.Kind.FILE,
        file_name="lua.pdf",
        size=len(PDF),
        status=status,
        reject_reason="Thiếu nguồn" if status == Material.Status.REJECTED else "",
        **kw,
    )
    item.file.save("lua.pdf", ContentFile(PDF), save=False)
    item.save()
    return item
