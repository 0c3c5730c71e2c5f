from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from courses.models import ProgrammeKind
from courses.selectors import kinds_for_user
from materials.models import Material

ACCEPT = ".pdf,.doc,.docx,.ppt,.pptx,.jpg,.jpeg,.png"


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Tên học liệu"), max_length=255)
    programme_kind = forms.ModelChoiceField(
        label=_("Loại chương trình"), queryset=ProgrammeKind.objects.filter(is_active=True)
    )
    topic = forms.CharField(label=_("Chủ đề"), max_length=200, help_text=_("Ví dụ: trồng lúa, an toàn giao thông"))
    audience = forms.ChoiceField(label=_("Đối tượng"), choices=Material.Audience.choices)
    author = forms.CharField(label=_("Tác giả, nguồn"), max_length=200)
    issued_on = forms.DateField(
        label=_("Ngày ban hành, biên soạn"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    file = forms.FileField(
        label=_("Tệp tài liệu (PDF, Word, PowerPoint, ảnh)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("Tối đa %(mb)s MB.") % {"mb": settings.MAX_UPLOAD_BYTES // 1048576},
    )
    url = forms.URLField(
        label=_("Hoặc liên kết (video, trang web)"), required=False, max_length=500, assume_scheme="https"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The kinds the uploader's province uses (a hidden kind is not offered: docs/evaluations.md).
        self.fields["programme_kind"].queryset = kinds_for_user(user)

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("file")) == bool(data.get("url")):
            raise forms.ValidationError(_("Chọn một tệp tài liệu hoặc nhập một liên kết (không cả hai)."))
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Lý do không duyệt"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class CourseMaterialForm(forms.Form):
    material = forms.ModelChoiceField(label=_("Học liệu"), queryset=Material.objects.none())

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["material"].queryset = choices
