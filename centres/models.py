"""The registry: community learning centres (TTHTCĐ)."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import centre_q
from tthtcd_portal.archive import Archivable, ArchivableQuerySet, every_row_manager, live_manager
from tthtcd_portal.concurrency import version_field
from tthtcd_portal.vietnamese import by_name, person_order

# Vietnamese phone numbers: 10 digits starting with 0 (mobiles and landlines since 2017), optional +84.
phone_validator = RegexValidator(
    regex=r"^(\+84|0)[0-9]{9,10}$",
    message=_("Số điện thoại không hợp lệ: nhập 10 chữ số bắt đầu bằng 0 (ví dụ 0912345678) hoặc +84…"),
)


class CentreQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The centres `user` may see (accounts.scoping decides)."""
        return self.filter(centre_q(user))

    def with_units(self):
        return self.select_related("commune__district", "commune__province", "review_office")

    def active(self):
        return self.filter(status=Centre.Status.ACTIVE)


class Centre(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Đang hoạt động")
        MERGED = "merged", _("Đã sáp nhập")
        DISSOLVED = "dissolved", _("Đã giải thể")

    class Building(models.TextChoices):
        OWN = "own", _("Trụ sở riêng")
        CULTURE_HOUSE = "culture_house", _("Dùng chung nhà văn hóa")
        POST_OFFICE = "post_office", _("Dùng chung bưu điện văn hóa xã")
        SCHOOL = "school", _("Dùng chung trường học")
        COMMUNE_OFFICE = "commune_office", _("Dùng chung trụ sở UBND xã")
        OTHER = "other", _("Khác")

    commune = models.ForeignKey(
        "units.Commune", verbose_name=_("xã/phường/thị trấn"), on_delete=models.PROTECT, related_name="centres"
    )
    name = models.CharField(_("tên trung tâm"), max_length=255)
    review_office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("đơn vị đánh giá"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="centres",
    )

    decision_number = models.CharField(_("số quyết định thành lập"), max_length=100, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_issuer = models.CharField(_("cơ quan ra quyết định"), max_length=255, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True, validators=[phone_validator])
    email = models.EmailField(_("thư điện tử"), blank=True)
    has_seal = models.BooleanField(_("có con dấu riêng"), default=False)
    has_bank_account = models.BooleanField(_("có tài khoản riêng"), default=False)

    status = models.CharField(_("tình trạng"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    status_date = models.DateField(_("ngày chuyển tình trạng"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("sáp nhập vào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )

    building = models.CharField(_("cơ sở vật chất"), max_length=20, choices=Building.choices, default=Building.OWN)
    rooms = models.PositiveSmallIntegerField(_("số phòng học"), default=0)
    seats = models.PositiveIntegerField(_("số chỗ ngồi"), default=0)
    computers_with_internet = models.PositiveSmallIntegerField(_("máy tính nối mạng"), default=0)
    # The library (thư viện, tủ sách, điểm đọc) is the library app's: Centre.library (docs/library.md).

    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    history = HistoricalRecords()
    objects = CentreQuerySet.as_manager()

    version = version_field()

    class Meta:
        ordering = ["commune__code", by_name()]
        verbose_name = _("trung tâm học tập cộng đồng")
        verbose_name_plural = _("trung tâm học tập cộng đồng")
        constraints = [
            models.UniqueConstraint(
                fields=["commune"], condition=Q(status="active"), name="centre_one_active_per_commune"
            ),
            models.CheckConstraint(
                condition=Q(status="active", merged_into__isnull=True, status_date__isnull=True)
                | Q(status="merged", merged_into__isnull=False, status_date__isnull=False)
                | Q(status="dissolved", merged_into__isnull=True, status_date__isnull=False),
                name="centre_status_consistent",
            ),
            models.CheckConstraint(condition=~Q(merged_into=F("id")), name="centre_not_merged_into_itself"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


def centre_default_name(commune) -> str:
    """ "Trung tâm học tập cộng đồng xã Minh Tân": the kind in lower case, as in official documents."""
    kind = commune.get_kind_display().lower()
    return f"Trung tâm học tập cộng đồng {kind} {commune.short_name}"


class Rating(models.TextChoices):
    TOT = "tot", _("Tốt")
    KHA = "kha", _("Khá")
    TRUNG_BINH = "trung_binh", _("Trung bình")
    YEU = "yeu", _("Yếu")


# Best first: the order thresholds are tried in and tables are shown in.
RATING_ORDER = [Rating.TOT, Rating.KHA, Rating.TRUNG_BINH, Rating.YEU]


class Gender(models.TextChoices):
    MALE = "nam", _("Nam")
    FEMALE = "nu", _("Nữ")


class Engagement(models.TextChoices):
    FULL_TIME = "full_time", _("Chuyên trách")
    PART_TIME = "part_time", _("Kiêm nhiệm")


class BoardMemberQuerySet(ArchivableQuerySet):
    def on_date(self, day):
        """Members in office on `day` (BoardMember.in_office_q)."""
        return self.filter(BoardMember.in_office_q(day))

    def past_on(self, day):
        return self.filter(term_end__lt=day)


class BoardMember(Archivable):
    """One term of one person on a centre's management board (Ban Giám đốc). A member who leaves keeps
    the row with its term_end: the board on any past date can be shown."""

    class Position(models.TextChoices):
        # The values sort in board order (giam_doc < pho_giam_doc < uy_vien), which `ordering` relies on.
        GIAM_DOC = "giam_doc", _("Giám đốc")
        PHO_GIAM_DOC = "pho_giam_doc", _("Phó Giám đốc")
        UY_VIEN = "uy_vien", _("Ủy viên")

    centre = models.ForeignKey(
        Centre, verbose_name=_("trung tâm"), on_delete=models.PROTECT, related_name="board_members"
    )
    full_name = models.CharField(_("họ và tên"), max_length=100)
    gender = models.CharField(_("giới tính"), max_length=5, choices=Gender.choices)
    position = models.CharField(_("chức danh trong Ban Giám đốc"), max_length=20, choices=Position.choices)
    main_post = models.CharField(
        _("chức vụ chính"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ: Phó Chủ tịch UBND xã, Chủ tịch Hội Khuyến học xã"),
    )
    engagement = models.CharField(
        _("chuyên trách/kiêm nhiệm"), max_length=20, choices=Engagement.choices, default=Engagement.PART_TIME
    )
    # The appointment's decision (số, ngày, người ký). From 01/07/2025 the Chủ tịch UBND xã appoints the Giám đốc
    # and Phó Giám đốc (Thông tư 11/2025/TT-BGDĐT); before, the district's People's Committee usually did.
    appointment_decision = models.CharField(_("số quyết định bổ nhiệm"), max_length=200, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_signer = models.CharField(
        _("người ký quyết định"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ: Chủ tịch UBND xã (Giám đốc, Phó Giám đốc từ 01/07/2025)"),
    )
    term_start = models.DateField(_("bắt đầu nhiệm kỳ"))
    term_end = models.DateField(_("kết thúc nhiệm kỳ"), null=True, blank=True)

    history = HistoricalRecords()
    objects = live_manager(BoardMemberQuerySet)
    all_objects = every_row_manager(BoardMemberQuerySet)

    version = version_field()

    class Meta:
        ordering = ["centre", "position", "-term_start", *person_order()]
        default_manager_name = "objects"
        verbose_name = _("thành viên Ban Giám đốc")
        verbose_name_plural = _("thành viên Ban Giám đốc")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=F("term_start")),
                name="board_term_ordered",
                violation_error_message=_("Ngày kết thúc nhiệm kỳ không được trước ngày bắt đầu."),
            ),
            # The database holds what it can of "one Giám đốc at a time": one open-ended term. Overlapping
            # dated terms are refused by services.board_member_* (an exclusion constraint needs PostgreSQL).
            models.UniqueConstraint(
                fields=["centre"],
                condition=Q(position="giam_doc", term_end__isnull=True, archived_at__isnull=True),
                name="board_one_open_live_director",
                violation_error_message=_("Trung tâm đã có một Giám đốc đang tại nhiệm."),
            ),
            # A decision is named by its number: a date or a signer without one is a half-entered decision.
            models.CheckConstraint(
                condition=Q(appointment_decision__gt="") | Q(decision_date__isnull=True, decision_signer=""),
                name="board_decision_has_number",
                violation_error_message=_("Nhập số quyết định bổ nhiệm trước ngày và người ký."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_position_display()})"

    @staticmethod
    def in_office_q(day, prefix: str = "") -> Q:
        """The one "in office on a date" rule: term_start ≤ day ≤ term_end, an open term counting as running.
        `prefix` reaches board members through a relation ("board_members__" from Centre), where the default
        manager's hiding of archived terms does not reach, so the rule says it too."""
        return Q(**{f"{prefix}archived_at__isnull": True, f"{prefix}term_start__lte": day}) & (
            Q(**{f"{prefix}term_end__isnull": True}) | Q(**{f"{prefix}term_end__gte": day})
        )


class Instructor(models.Model):
    """A person who teaches; may teach at several centres (InstructorAssignment). What is true of the
    person lives here; what depends on the centre (kind, engagement, active) lives on the assignment."""

    full_name = models.CharField(_("họ và tên"), max_length=100)
    gender = models.CharField(_("giới tính"), max_length=5, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    ethnicity = models.CharField(_("dân tộc"), max_length=50, default="Kinh")
    field = models.CharField(
        _("lĩnh vực"), max_length=100, blank=True, help_text=_("Ví dụ: trồng trọt, chăn nuôi, pháp luật, y tế")
    )
    workplace = models.CharField(_("nơi công tác"), max_length=200, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True, validators=[phone_validator])
    centres = models.ManyToManyField(
        Centre, through="InstructorAssignment", verbose_name=_("trung tâm"), related_name="instructors"
    )

    history = HistoricalRecords()

    version = version_field()

    class Meta:
        ordering = [*person_order(), "id"]
        verbose_name = _("giảng viên")
        verbose_name_plural = _("giảng viên")
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__gte=1900, birth_year__lte=2020),
                name="instructor_birth_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class InstructorAssignment(models.Model):
    """An instructor teaching at one centre: the row a centre's page lists and its staff edit."""

    class Kind(models.TextChoices):
        GIAO_VIEN = "giao_vien", _("Giáo viên")
        BAO_CAO_VIEN = "bao_cao_vien", _("Báo cáo viên")
        HUONG_DAN_VIEN = "huong_dan_vien", _("Hướng dẫn viên")
        CONG_TAC_VIEN = "cong_tac_vien", _("Cộng tác viên")

    centre = models.ForeignKey(
        Centre, verbose_name=_("trung tâm"), on_delete=models.PROTECT, related_name="instructor_assignments"
    )
    instructor = models.ForeignKey(
        Instructor, verbose_name=_("giảng viên"), on_delete=models.PROTECT, related_name="assignments"
    )
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices, default=Kind.CONG_TAC_VIEN)
    engagement = models.CharField(
        _("chuyên trách/kiêm nhiệm"), max_length=20, choices=Engagement.choices, default=Engagement.PART_TIME
    )
    active = models.BooleanField(_("đang tham gia"), default=True)

    history = HistoricalRecords()

    version = version_field()

    class Meta:
        ordering = ["centre", "-active", *person_order("instructor__full_name")]
        verbose_name = _("giảng viên của trung tâm")
        verbose_name_plural = _("giảng viên của trung tâm")
        constraints = [
            models.UniqueConstraint(fields=["centre", "instructor"], name="instructor_once_per_centre"),
        ]

    def __str__(self) -> str:
        return f"{self.instructor} – {self.centre}"


class Equipment(Archivable):
    """An item of the centre's equipment (thiết bị), part of its facilities. Equipment given to the centre is
    recorded by the resources app's contribution, which adds the item here in the same transaction and links
    to it (`Equipment.contribution`, declared there)."""

    centre = models.ForeignKey(Centre, verbose_name=_("trung tâm"), on_delete=models.PROTECT, related_name="equipment")
    name = models.CharField(_("tên thiết bị"), max_length=255)
    quantity = models.PositiveIntegerField(_("số lượng"), default=1)
    received_on = models.DateField(_("ngày nhận"))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["centre", "-received_on", "id"]
        default_manager_name = "objects"
        verbose_name = _("thiết bị")
        verbose_name_plural = _("thiết bị")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1),
                name="equipment_quantity_positive",
                violation_error_message=_("Số lượng thiết bị ít nhất là 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.quantity})"
