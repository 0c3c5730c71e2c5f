"""A centre's library and reading activity (thư viện, tủ sách, điểm đọc): its kind, holdings as of a date,
readers and loans by month, reading events (docs/library.md). Sits above the registry, below evaluations."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tthtcd_portal.archive import Archivable
from tthtcd_portal.concurrency import version_field


class Library(models.Model):
    """What the centre has: a library, a bookshelf, a reading point, or none (kind ""). No row: nothing recorded
    yet, shown as "no library" as well (the registry's old `has_library` was False for them)."""

    class Kind(models.TextChoices):
        THU_VIEN = "thu_vien", _("Thư viện")
        TU_SACH = "tu_sach", _("Tủ sách")
        DIEM_DOC = "diem_doc", _("Điểm đọc")
        NONE = "", _("Không có thư viện")

    centre = models.OneToOneField(
        "centres.Centre", verbose_name=_("trung tâm"), on_delete=models.PROTECT, related_name="library"
    )
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices, blank=True, default="")
    place = models.CharField(_("nơi đặt"), max_length=255, blank=True, help_text=_("Ví dụ: nhà văn hóa thôn Đông"))
    # The registry's "lượt bạn đọc mỗi năm" before monthly figures existed (migration 0002): shown as the figure
    # the registry declared, never added to the monthly readers.
    declared_readers_per_year = models.PositiveIntegerField(
        _("lượt bạn đọc/năm khai trong hồ sơ cũ"), null=True, blank=True
    )

    history = HistoricalRecords()
    version = version_field()

    class Meta:
        ordering = ["centre"]
        verbose_name = _("thư viện của trung tâm")
        verbose_name_plural = _("thư viện của trung tâm")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.centre}"

    @property
    def exists(self) -> bool:
        return bool(self.kind)


class Holding(Archivable):
    """The library's holdings counted on a date: books, newspaper titles, magazine titles."""

    centre = models.ForeignKey(
        "centres.Centre", verbose_name=_("trung tâm"), on_delete=models.PROTECT, related_name="library_holdings"
    )
    as_of = models.DateField(_("tính đến ngày"))
    books = models.PositiveIntegerField(_("số sách"), default=0)
    newspapers = models.PositiveIntegerField(_("số đầu báo"), default=0)
    magazines = models.PositiveIntegerField(_("số đầu tạp chí"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["centre", "-as_of"]
        default_manager_name = "objects"
        verbose_name = _("vốn tài liệu")
        verbose_name_plural = _("vốn tài liệu")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "as_of"],
                condition=Q(archived_at__isnull=True),
                name="library_holding_one_per_day",
                violation_error_message=_("Đã có số liệu vốn tài liệu của ngày này."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre} – {self.as_of:%d/%m/%Y}"


class LibraryMonth(Archivable):
    """Readers (lượt bạn đọc) and loans (lượt mượn) of one month. Natural key: centre, year, month."""

    centre = models.ForeignKey(
        "centres.Centre", verbose_name=_("trung tâm"), on_delete=models.PROTECT, related_name="library_months"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    month = models.PositiveSmallIntegerField(_("tháng"))
    readers = models.PositiveIntegerField(_("lượt bạn đọc"), default=0)
    loans = models.PositiveIntegerField(_("lượt mượn"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["centre", "year", "month"]
        default_manager_name = "objects"
        verbose_name = _("bạn đọc trong tháng")
        verbose_name_plural = _("bạn đọc theo tháng")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "year", "month"],
                condition=Q(archived_at__isnull=True),
                name="library_month_once",
                violation_error_message=_("Tháng này đã có số liệu."),
            ),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="library_month_valid"),
            models.CheckConstraint(condition=Q(year__gte=1900, year__lte=2200), name="library_month_year_plausible"),
        ]

    def __str__(self) -> str:
        return f"{self.centre} – {self.month:02d}/{self.year}"


class ReadingEvent(Archivable):
    """A reading event: a book day, a reading contest, a book introduction, with its participants."""

    centre = models.ForeignKey(
        "centres.Centre", verbose_name=_("trung tâm"), on_delete=models.PROTECT, related_name="reading_events"
    )
    date = models.DateField(_("ngày"))
    title = models.CharField(_("tên hoạt động"), max_length=255)
    participants = models.PositiveIntegerField(_("số người tham gia"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["centre", "-date", "id"]
        default_manager_name = "objects"
        verbose_name = _("hoạt động đọc sách")
        verbose_name_plural = _("hoạt động đọc sách")

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d/%m/%Y})"
