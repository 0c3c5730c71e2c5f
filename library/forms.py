from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from library.models import Library
from tthtcd_portal.concurrency import VersionedForm

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
COUNT = {"min_value": 0, "max_value": 10**9}


class LibraryForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Library
        fields = ["kind", "place"]
        labels = {"kind": gettext_lazy("Trung tâm có")}


class HoldingForm(forms.Form):
    as_of = forms.DateField(label=gettext_lazy("Tính đến ngày"), widget=DATE_WIDGET)
    books = forms.IntegerField(label=gettext_lazy("Số sách"), initial=0, **COUNT)
    newspapers = forms.IntegerField(label=gettext_lazy("Số đầu báo"), initial=0, **COUNT)
    magazines = forms.IntegerField(label=gettext_lazy("Số đầu tạp chí"), initial=0, **COUNT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["as_of"].initial = timezone.localdate()


class ReadingEventForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Ngày"), widget=DATE_WIDGET)
    title = forms.CharField(label=gettext_lazy("Tên hoạt động"), max_length=255)
    participants = forms.IntegerField(label=gettext_lazy("Số người tham gia"), initial=0, **COUNT)


class MonthGridForm(forms.Form):
    """Twelve months of a year: readers and loans; a month left blank is "not recorded" (its row is removed)."""

    nam = forms.IntegerField(widget=forms.HiddenInput, min_value=1900, max_value=2200)

    def __init__(self, *args, year: int, months=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nam"].initial = year
        shown = {m.month: m for m in months}
        for month in range(1, 13):
            row = shown.get(month)
            for name, label in (("readers", _("Lượt bạn đọc")), ("loans", _("Lượt mượn"))):
                self.fields[f"m{month}_{name}"] = forms.IntegerField(
                    label=f"{label} {month:02d}/{year}",
                    required=False,
                    initial=getattr(row, name, None),
                    **COUNT,
                )

    def rows(self):
        """(month, [readers field, loans field]) for the template."""
        return [(m, [self[f"m{m}_readers"], self[f"m{m}_loans"]]) for m in range(1, 13)]

    def figures(self) -> dict[int, tuple[int, int] | None]:
        data, found = self.cleaned_data, {}
        for month in range(1, 13):
            readers, loans = data.get(f"m{month}_readers"), data.get(f"m{month}_loans")
            found[month] = None if readers is None and loans is None else (readers or 0, loans or 0)
        return found


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp Excel (.xlsx) theo mẫu"))
