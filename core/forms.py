"""Form fields and widgets every app's pages share: dates as the browser's pickers give them, amounts typed
the Belgian way."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.parsing import NumberError, parse_decimal

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M", "%d/%m/%Y %H:%M"]
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")

    def format_value(self, value):
        if hasattr(value, "tzinfo") and value.tzinfo is not None:
            value = timezone.localtime(value)
        return super().format_value(value)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class BelgianDecimalField(forms.DecimalField):
    """Reads what the pages show and what people type: ``1.234,56``, ``1234,56``, ``1234.56``, ``1 000``,
    ``200.000`` (``core.parsing``, the one reading of typed numbers)."""

    widget = forms.TextInput

    def to_python(self, value):
        if isinstance(value, str):
            if not value.strip():
                return None
            try:
                value = parse_decimal(value, belgian=True)
            except NumberError as error:
                raise ValidationError(error.message, code=error.code) from None
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs.update({"inputmode": "decimal", "autocomplete": "off"})
        return attrs
