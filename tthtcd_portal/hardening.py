"""A framework gap closed once for every form.

Django's ModelChoiceField and ModelMultipleChoiceField turn a malformed id into "not a valid choice", but an
id beyond 64 bits ("999999999999999999999") raises OverflowError on SQLite, which becomes a 500. The form
fuzz test (tests/platform/test_form_fuzz.py) found it on the reviewing-office assignment page; every form
with a choice of a model has it. Here such an id is an invalid choice like any other.
"""

from django import forms
from django.core.exceptions import ValidationError

_applied = False


def apply() -> None:
    global _applied
    if _applied:
        return
    _applied = True
    single_to_python = forms.ModelChoiceField.to_python
    multiple_check = forms.ModelMultipleChoiceField._check_values

    def to_python(self, value):
        try:
            return single_to_python(self, value)
        except OverflowError:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            ) from None

    def check_values(self, value):
        try:
            return multiple_check(self, value)
        except OverflowError:
            raise ValidationError(
                self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": "…"}
            ) from None

    forms.ModelChoiceField.to_python = to_python
    forms.ModelMultipleChoiceField._check_values = check_values
