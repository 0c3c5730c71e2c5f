from django import forms
from django.utils.translation import gettext_lazy as _


class DigestSettingForm(forms.Form):
    daily_digest = forms.BooleanField(label=_("Nhận thư nhắc việc hằng ngày qua thư điện tử"), required=False)
