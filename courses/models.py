"""Classes, sessions and attendance, and the per-centre-per-year figures kept current from them.

Contract other apps rely on (reports, evaluations): CentreYearFigure holds, for each centre, year and
programme kind, the counts every report uses. courses/services.py updates it in the same transaction as
every write to classes, sessions and attendance; `manage.py rebuild_figures` recomputes it from the raw
records. Dashboards read it and never scan sessions.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tthtcd_portal.archive import Archivable
from tthtcd_portal.concurrency import version_field
from tthtcd_portal.vietnamese import by_name, person_order


class ProgrammeKind(models.Model):
    """One national reference list kept by administrators (DOMAIN.md: Xóa mù chữ, Khuyến nông, …).
    `is_active` means nationally in use; a province hides the kinds it does not use (ProvinceProgrammeKind),
    and `courses.selectors.kinds_for_province` gives what its forms offer."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200, unique=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        ordering = ["order", by_name()]
        verbose_name = _("loại chương trình")
        verbose_name_plural = _("loại chương trình")

    def __str__(self) -> str:
        return self.name


class ProvinceProgrammeKind(models.Model):
    """A programme kind a province does not use: hidden from its staff's class forms, the class-list import and
    its dashboards' filter. Classes already recorded with it still show and count."""

    province = models.ForeignKey(
        "units.Province", verbose_name=_("tỉnh"), on_delete=models.CASCADE, related_name="hidden_programme_kinds"
    )
    programme_kind = models.ForeignKey(
        ProgrammeKind, verbose_name=_("loại chương trình"), on_delete=models.CASCADE, related_name="hidden_in"
    )
    hidden_at = models.DateTimeField(_("ẩn lúc"), auto_now_add=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ẩn"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["province", "programme_kind"]
        verbose_name = _("loại chương trình tỉnh không dùng")
        verbose_name_plural = _("loại chương trình tỉnh không dùng")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "programme_kind"],
                name="province_programme_kind_hidden_once",
                violation_error_message=_("Loại chương trình này đã được ẩn ở tỉnh."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.province} – {self.programme_kind}"


class FigureCounts(models.Model):
    """The five figures, named here once: courses/figures.py lists them as FIGURE_FIELDS, and the deltas, the
    rebuild, the dashboards' sums and the data stamp loop over that list."""

    classes = models.PositiveIntegerField(_("số lớp"), default=0)
    sessions = models.PositiveIntegerField(_("số buổi"), default=0)
    participations = models.PositiveIntegerField(_("lượt người học"), default=0)
    women = models.PositiveIntegerField(_("lượt nữ"), default=0)
    minorities = models.PositiveIntegerField(_("lượt dân tộc thiểu số"), default=0)

    class Meta:
        abstract = True


class CentreYearFigure(FigureCounts):
    centre = models.ForeignKey(
        "centres.Centre", verbose_name=_("trung tâm"), on_delete=models.CASCADE, related_name="year_figures"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    programme_kind = models.ForeignKey(ProgrammeKind, verbose_name=_("loại chương trình"), on_delete=models.PROTECT)
    # The latest session of that year and kind: "no session in the last 30 days" without scanning sessions.
    last_session_date = models.DateField(_("buổi học gần nhất"), null=True, blank=True)
    # Moved on every change (services set it in their F() updates): with the row count, the dashboards'
    # cache key, so a session saved now shows on the next load (reports.dashboard.data_stamp).
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["centre", "year", "programme_kind"]
        verbose_name = _("số liệu năm của trung tâm")
        verbose_name_plural = _("số liệu năm của trung tâm")
        constraints = [
            models.UniqueConstraint(fields=["centre", "year", "programme_kind"], name="figure_centre_year_kind_unique"),
            models.CheckConstraint(condition=Q(women__lte=F("participations")), name="figure_women_within_total"),
            models.CheckConstraint(
                condition=Q(minorities__lte=F("participations")), name="figure_minorities_within_total"
            ),
        ]
        indexes = [models.Index(fields=["year", "centre"], name="figure_year_centre_idx")]

    def __str__(self) -> str:
        return f"{self.centre} {self.year} {self.programme_kind}"


class CentreClassCount(models.Model):
    """How many live (not archived) classes a centre has, kept by the database itself: triggers on the classes
    table (migration 0014) add and remove on every insert, delete, archive, restore and move, whoever writes
    (the services, an import, the demo's bulk COPY, a test's factory). The classes list sums these rows for its
    pager instead of counting ~145,000 classes on every page of a province (issue 18). Never written by code.
    No foreign key constraint: a deleted centre's row (0 by then) is harmless and the triggers never wait on it."""

    centre = models.OneToOneField(
        "centres.Centre",
        verbose_name=_("trung tâm"),
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    live = models.IntegerField(_("số lớp"), default=0)

    class Meta:
        ordering = ["centre"]
        verbose_name = _("số lớp của trung tâm")
        verbose_name_plural = _("số lớp của trung tâm")

    def __str__(self) -> str:
        return f"{self.centre_id}: {self.live}"


class Course(Archivable):
    """A class (lớp học) or a thematic talk series (chuyên đề) of one centre.

    An open talk records a head count per session; a roster class enrols learners and derives its session
    counts from per-person attendance."""

    class Format(models.TextChoices):
        TALK = "talk", _("Chuyên đề, nói chuyện (đếm số người dự)")
        ROSTER = "roster", _("Lớp có danh sách học viên (điểm danh từng người)")

    centre = models.ForeignKey(
        "centres.Centre", verbose_name=_("trung tâm"), on_delete=models.PROTECT, related_name="courses"
    )
    programme_kind = models.ForeignKey(
        ProgrammeKind, verbose_name=_("loại chương trình"), on_delete=models.PROTECT, related_name="courses"
    )
    title = models.CharField(_("tên lớp, chuyên đề"), max_length=255)
    format = models.CharField(_("hình thức"), max_length=10, choices=Format.choices, default=Format.TALK)
    # The centre's own instructors (registry); the form offers those assigned to the class's centre.
    instructors = models.ManyToManyField(
        "centres.Instructor", verbose_name=_("giảng viên của trung tâm"), blank=True, related_name="courses"
    )
    # Speakers from outside the centre's list (a guest from the district, a company), as free text.
    instructor_names = models.CharField(
        _("người dạy khác, khách mời"),
        max_length=255,
        blank=True,
        help_text=_("Người không có trong danh sách giảng viên của trung tâm: họ tên, cách nhau bằng dấu phẩy."),
    )
    partner = models.CharField(_("đơn vị phối hợp"), max_length=255, blank=True)
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    start_date = models.DateField(_("ngày bắt đầu"))
    end_date = models.DateField(_("ngày kết thúc"))
    planned_sessions = models.PositiveSmallIntegerField(_("số buổi dự kiến"), default=1)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    history = HistoricalRecords()

    version = version_field()

    class Meta:
        ordering = ["-start_date", by_name("title")]
        verbose_name = _("lớp học")
        verbose_name_plural = _("lớp học")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="course_end_not_before_start",
                violation_error_message=_("Ngày kết thúc phải sau hoặc cùng ngày bắt đầu."),
            ),
            models.CheckConstraint(
                condition=Q(format__in=["talk", "roster"]),
                name="course_format_known",
                violation_error_message=_("Hình thức lớp không hợp lệ."),
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "-start_date"], name="course_centre_start_idx"),
            # The classes list's order (newest first) for a province or an office: the first page is read
            # from the index instead of sorting every class in scope (issue 18).
            models.Index(fields=["-start_date", "-id"], name="course_start_idx"),
            # Counting a province's or an office's classes (the list's pager) from the index alone.
            models.Index(
                fields=["centre"], condition=models.Q(archived_at__isnull=True), name="course_live_centre_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_roster(self) -> bool:
        return self.format == self.Format.ROSTER


class ClassSession(Archivable):
    """One session (buổi học). For a roster class present/women/minorities are derived from Attendance."""

    course = models.ForeignKey(Course, verbose_name=_("lớp học"), on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("ngày học"))
    topic = models.CharField(_("nội dung"), max_length=255, blank=True)
    instructor = models.ForeignKey(
        "centres.Instructor",
        verbose_name=_("giảng viên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    instructor_name = models.CharField(
        _("người dạy khác, khách mời"),
        max_length=200,
        blank=True,
        help_text=_("Khi người dạy không có trong danh sách giảng viên của trung tâm."),
    )
    hours = models.DecimalField(_("số giờ"), max_digits=4, decimal_places=1, default=2)
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    present = models.PositiveIntegerField(_("số người dự"), default=0)
    women = models.PositiveIntegerField(_("trong đó nữ"), default=0)
    minorities = models.PositiveIntegerField(_("trong đó dân tộc thiểu số"), default=0)

    history = HistoricalRecords()

    version = version_field()

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("buổi học")
        verbose_name_plural = _("buổi học")
        constraints = [
            models.CheckConstraint(
                condition=Q(present__gte=0, women__gte=0, minorities__gte=0, hours__gte=0),
                name="session_counts_not_negative",
                violation_error_message=_("Số người và số giờ không được là số âm."),
            ),
            models.CheckConstraint(
                condition=Q(women__lte=F("present")),
                name="session_women_within_present",
                violation_error_message=_("Số nữ không được lớn hơn số người dự."),
            ),
            models.CheckConstraint(
                condition=Q(minorities__lte=F("present")),
                name="session_minorities_within_present",
                violation_error_message=_("Số người dân tộc thiểu số không được lớn hơn số người dự."),
            ),
        ]
        indexes = [models.Index(fields=["course", "date"], name="session_course_date_idx")]

    def __str__(self) -> str:
        return f"{self.course} – {self.date:%d/%m/%Y}"

    @property
    def instructor_label(self) -> str:
        """Who taught: the registry's instructor, else the free text (select_related("instructor") first)."""
        return self.instructor.full_name if self.instructor_id else self.instructor_name


KINH = "Kinh"  # the majority people; every other is an ethnic minority (dân tộc thiểu số)


class Learner(Archivable):
    """A person on a centre's rosters, reused across its classes."""

    class Gender(models.TextChoices):
        FEMALE = "female", _("Nữ")
        MALE = "male", _("Nam")

    centre = models.ForeignKey(
        "centres.Centre", verbose_name=_("trung tâm"), on_delete=models.PROTECT, related_name="learners"
    )
    full_name = models.CharField(_("họ và tên"), max_length=200)
    gender = models.CharField(_("giới tính"), max_length=10, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    # The ethnicity decides the tick (every people but the Kinh is a minority); blank is a minority whose people
    # was not told (the quick-add line has only the tick). Services set both (courses.services.ethnicity_of).
    ethnicity = models.CharField(_("dân tộc"), max_length=50, default="Kinh", blank=True)
    is_minority = models.BooleanField(_("dân tộc thiểu số"), default=False)
    village = models.CharField(_("thôn, xóm"), max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = [*person_order(), "id"]
        verbose_name = _("người học")
        verbose_name_plural = _("người học")
        constraints = [
            models.CheckConstraint(
                condition=Q(gender__in=["female", "male"]),
                name="learner_gender_known",
                violation_error_message=_("Giới tính không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__gte=1900, birth_year__lte=2100),
                name="learner_birth_year_plausible",
                violation_error_message=_("Năm sinh không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(ethnicity=KINH, is_minority=False) | (~Q(ethnicity=KINH) & Q(is_minority=True)),
                name="learner_minority_matches_ethnicity",
                violation_error_message=_(
                    "Dân tộc Kinh không phải dân tộc thiểu số; dân tộc khác là dân tộc thiểu số."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def ethnicity_label(self) -> str:
        return self.ethnicity or _("Dân tộc thiểu số (chưa ghi rõ)")

    @property
    def told_apart(self) -> str:
        """ "Nguyễn Thị Lan (sinh 1975, Thôn Đông)": what tells two learners of one name apart."""
        details = [_("sinh %(year)s") % {"year": self.birth_year} if self.birth_year else "", self.village]
        details = [d for d in details if d]
        return f"{self.full_name} ({', '.join(details)})" if details else self.full_name


class Enrolment(Archivable):
    course = models.ForeignKey(Course, verbose_name=_("lớp học"), on_delete=models.CASCADE, related_name="enrolments")
    learner = models.ForeignKey(
        Learner, verbose_name=_("người học"), on_delete=models.PROTECT, related_name="enrolments"
    )
    from_date = models.DateField(_("học từ ngày"))
    until_date = models.DateField(_("đến ngày"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = [*person_order("learner__full_name"), "id"]
        verbose_name = _("ghi danh")
        verbose_name_plural = _("ghi danh")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "learner"],
                condition=Q(archived_at__isnull=True),
                name="enrolment_once_per_live_course",
                violation_error_message=_("Người này đã ghi danh vào lớp."),
            ),
            models.CheckConstraint(
                condition=Q(until_date__isnull=True) | Q(until_date__gte=F("from_date")),
                name="enrolment_dates_ordered",
                violation_error_message=_("Ngày kết thúc học phải sau ngày bắt đầu học."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner} – {self.course}"

    def is_active_on(self, day) -> bool:
        return self.active_on(self.from_date, self.until_date, day)

    @staticmethod
    def active_on(from_date, until_date, day) -> bool:
        """The rule of `is_active_on` for an enrolment read as values (the attendance save's 60 rows)."""
        return from_date <= day and (until_date is None or until_date >= day)


class Attendance(models.Model):
    """Present or absent, per enrolled learner and session. Saved in bulk; AttendanceAudit records each save."""

    session = models.ForeignKey(
        ClassSession, verbose_name=_("buổi học"), on_delete=models.CASCADE, related_name="attendances"
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("ghi danh"), on_delete=models.CASCADE, related_name="attendances"
    )
    present = models.BooleanField(_("có mặt"), default=True)

    class Meta:
        ordering = ["session", "enrolment"]
        verbose_name = _("điểm danh")
        verbose_name_plural = _("điểm danh")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"],
                name="attendance_once_per_session",
                violation_error_message=_("Mỗi người chỉ điểm danh một lần mỗi buổi."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} – {self.enrolment.learner}"


class AttendanceAudit(models.Model):
    """One entry per attendance save of a session: who, when, and the counts before → after."""

    session = models.ForeignKey(
        ClassSession, verbose_name=_("buổi học"), on_delete=models.CASCADE, related_name="attendance_audits"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người lưu"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("lúc"), auto_now_add=True)
    present_before = models.PositiveIntegerField(_("có mặt trước"))
    present_after = models.PositiveIntegerField(_("có mặt sau"))
    women_before = models.PositiveIntegerField(_("nữ trước"))
    women_after = models.PositiveIntegerField(_("nữ sau"))
    minorities_before = models.PositiveIntegerField(_("DTTS trước"))
    minorities_after = models.PositiveIntegerField(_("DTTS sau"))

    class Meta:
        ordering = ["-at", "-id"]
        # The audit trail reads the newest saves first, a page at a time (reports.audit.EntryKeys).
        indexes = [models.Index(fields=["-at", "-id"], name="attendance_audit_at_idx")]
        verbose_name = _("nhật ký điểm danh")
        verbose_name_plural = _("nhật ký điểm danh")

    def __str__(self) -> str:
        return f"{self.session}: {self.present_before} → {self.present_after}"


class SyncedEntry(models.Model):
    """An entry recorded on a phone (offline) and received by the sync API, under the idempotency key the phone
    gave it: the key is unique, so an entry sent twice, or resent after the answer was lost, is recorded once and
    the stored answer is sent again. Refused entries and conflicts write nothing, this row included."""

    class Kind(models.TextChoices):
        SESSION = "session", _("Buổi học (đếm số người dự)")
        ATTENDANCE = "attendance", _("Điểm danh")

    key = models.UUIDField(_("mã mục"))
    kind = models.CharField(_("loại mục"), max_length=12, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người gửi"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    course = models.ForeignKey(
        Course, verbose_name=_("lớp học"), on_delete=models.CASCADE, related_name="synced_entries"
    )
    session = models.ForeignKey(
        ClassSession,
        verbose_name=_("buổi học"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="synced_entries",
    )
    received_at = models.DateTimeField(_("nhận lúc"), auto_now_add=True)
    # The answer sent the first time, sent again for a retry of the same key.
    result = models.JSONField(_("kết quả"), default=dict)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("mục gửi từ máy")
        verbose_name_plural = _("mục gửi từ máy")
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                name="synced_entry_key_unique",
                violation_error_message=_("Mục này đã được gửi."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["session", "attendance"]),
                name="synced_entry_kind_known",
                violation_error_message=_("Loại mục không hợp lệ."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} – {self.course}"
