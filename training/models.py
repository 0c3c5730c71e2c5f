"""Training courses (lớp tập huấn, bồi dưỡng) the province or its Hội Khuyến học runs for centres' board members
and instructors: the course, the centres invited to it, and who attended.

Attendance names a person of the registry — a board member's term or an instructor (a person across centres) —
so an instructor's training history follows them to every centre they teach at; `centre` records which centre
the person came for (the evidence that centre offers in its self-assessment)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tthtcd_portal.vietnamese import by_name


class TrainingCourse(models.Model):
    class Organiser(models.TextChoices):
        DEPARTMENT = "department", _("Sở GD&ĐT")
        ASSOCIATION = "association", _("Hội Khuyến học tỉnh")
        JOINT = "joint", _("Sở GD&ĐT phối hợp Hội Khuyến học tỉnh")

    class Audience(models.TextChoices):
        BOARD = "board", _("Ban Giám đốc")
        INSTRUCTORS = "instructors", _("Giảng viên, báo cáo viên")
        BOTH = "both", _("Ban Giám đốc và giảng viên")

    province = models.ForeignKey(
        "units.Province", verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="training_courses"
    )
    title = models.CharField(_("tên lớp tập huấn"), max_length=255)
    topic = models.CharField(_("nội dung, chủ đề"), max_length=255)
    organiser = models.CharField(_("đơn vị tổ chức"), max_length=20, choices=Organiser.choices)
    audience = models.CharField(_("đối tượng"), max_length=20, choices=Audience.choices, default=Audience.BOTH)
    place = models.CharField(_("địa điểm"), max_length=255)
    start_date = models.DateField(_("ngày bắt đầu"))
    end_date = models.DateField(_("ngày kết thúc"))
    centres = models.ManyToManyField(
        "centres.Centre", through="TrainingInvitation", verbose_name=_("trung tâm được mời"), related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", by_name("title"), "-id"]
        verbose_name = _("lớp tập huấn")
        verbose_name_plural = _("lớp tập huấn")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="training_end_not_before_start",
                violation_error_message=_("Ngày kết thúc phải sau hoặc cùng ngày bắt đầu."),
            ),
            models.CheckConstraint(
                condition=Q(organiser__in=["department", "association", "joint"]), name="training_organiser_known"
            ),
            models.CheckConstraint(
                condition=Q(audience__in=["board", "instructors", "both"]), name="training_audience_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def invites_board(self) -> bool:
        return self.audience in (self.Audience.BOARD, self.Audience.BOTH)

    @property
    def invites_instructors(self) -> bool:
        return self.audience in (self.Audience.INSTRUCTORS, self.Audience.BOTH)


class TrainingInvitation(models.Model):
    course = models.ForeignKey(
        TrainingCourse, verbose_name=_("lớp tập huấn"), on_delete=models.CASCADE, related_name="invitations"
    )
    centre = models.ForeignKey(
        "centres.Centre", verbose_name=_("trung tâm"), on_delete=models.PROTECT, related_name="training_invitations"
    )
    invited_at = models.DateTimeField(_("mời lúc"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["course", "centre__commune__code"]
        verbose_name = _("trung tâm được mời tập huấn")
        verbose_name_plural = _("trung tâm được mời tập huấn")
        constraints = [models.UniqueConstraint(fields=["course", "centre"], name="training_invite_once")]

    def __str__(self) -> str:
        return f"{self.course} – {self.centre}"


class TrainingAttendance(models.Model):
    """One person present at a training course, for one invited centre."""

    class Role(models.TextChoices):
        BOARD = "board", _("Ban Giám đốc")
        INSTRUCTOR = "instructor", _("Giảng viên")

    course = models.ForeignKey(
        TrainingCourse, verbose_name=_("lớp tập huấn"), on_delete=models.CASCADE, related_name="attendances"
    )
    centre = models.ForeignKey(
        "centres.Centre", verbose_name=_("trung tâm"), on_delete=models.PROTECT, related_name="training_attendances"
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    board_member = models.ForeignKey(
        "centres.BoardMember",
        verbose_name=_("thành viên Ban Giám đốc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_attendances",
    )
    instructor = models.ForeignKey(
        "centres.Instructor",
        verbose_name=_("giảng viên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_attendances",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ghi"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["course", "centre__commune__code", "role", "id"]
        verbose_name = _("người dự tập huấn")
        verbose_name_plural = _("người dự tập huấn")
        constraints = [
            models.CheckConstraint(
                name="training_attendance_one_person",
                condition=Q(role="board", board_member__isnull=False, instructor__isnull=True)
                | Q(role="instructor", board_member__isnull=True, instructor__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["course", "board_member"],
                condition=Q(board_member__isnull=False),
                name="training_board_member_once",
            ),
            models.UniqueConstraint(
                fields=["course", "instructor"], condition=Q(instructor__isnull=False), name="training_instructor_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} – {self.course}"

    @property
    def person_name(self) -> str:
        person = self.board_member if self.role == self.Role.BOARD else self.instructor
        return person.full_name if person else ""
