"""Forms written in Python where Django renders a template for each piece: ``FormRenderer``
(settings.FORM_RENDERER) writes a field's group (label, errors, widget), the plain ``<input>``
widgets and the selects (~3 template renders an option; a dashboard's filters have some
forty). The same HTML, byte for byte (tests/test_widgets.py compares them); anything else goes
to Django's templates."""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def flat_attrs(attrs: dict[str, Any]) -> SafeString:
    """Django's ``django/forms/widgets/attrs.html`` in Python: ``False`` leaves the attribute
    out, ``True`` writes its name alone, any other value is written escaped."""
    written = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            written.append(format_html(" {}", name))
        else:
            written.append(format_html(' {}="{}"', name, conditional_escape(str(value))))
    return mark_safe("".join(written))


def _select(context: dict[str, Any]) -> SafeString:
    """``django/forms/widgets/select.html`` and its ``select_option.html`` for each option."""
    widget = context["widget"]
    html: list[str] = [
        format_html('<select name="{}"{}>', widget["name"], flat_attrs(widget["attrs"]))
    ]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            html.append(format_html('\n  <optgroup label="{}">', group_name))
        for option in options:
            html.append(
                format_html(
                    '\n  <option value="{}"{}>{}</option>\n',
                    conditional_escape(str(option["value"])),
                    flat_attrs(option["attrs"]),
                    option["label"],
                )
            )
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return mark_safe("".join(html))


def _input(context: dict[str, Any]) -> SafeString:
    """``django/forms/widgets/input.html``."""
    widget = context["widget"]
    value = widget["value"]
    written = "" if value is None else format_html(' value="{}"', conditional_escape(str(value)))
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        widget["type"],
        widget["name"],
        written,
        flat_attrs(widget["attrs"]),
    )


def _label(context: dict[str, Any]) -> SafeString:
    """``django/forms/label.html``."""
    if not context["use_tag"]:
        return conditional_escape(context["label"])
    tag = context["tag"]
    return format_html(
        "<{}{}>{}</{}>", tag, flat_attrs(context["attrs"] or {}), context["label"], tag
    )


def _errors(context: dict[str, Any]) -> SafeString | None:
    """``django/forms/errors/list/default.html`` when there is no error: nothing."""
    return None if context["errors"] else mark_safe("")


def _field(context: dict[str, Any]) -> SafeString | None:
    """``django/forms/field.html`` of a field that is not a fieldset."""
    field = context["field"]
    if field.use_fieldset:
        return None
    help_text = ""
    if field.help_text:
        help_id = format_html(' id="{}_helptext"', field.auto_id) if field.auto_id else ""
        help_text = format_html(
            '<div class="helptext"{}>{}</div>', help_id, mark_safe(field.help_text)
        )
    label = field.label_tag() if field.label else ""
    return format_html("\n  {}\n\n{}\n{}\n{}\n", label, help_text, field.errors, field)


INPUTS = ("text", "email", "hidden", "checkbox", "number", "password", "url", "search", "tel")
WRITERS = {
    "django/forms/field.html": _field,
    "django/forms/label.html": _label,
    "django/forms/errors/list/default.html": _errors,
    "django/forms/widgets/select.html": _select,
    **{f"django/forms/widgets/{name}.html": _input for name in INPUTS},
}


class FormRenderer(DjangoTemplates):
    """Django's form renderer, with the templates WRITERS names written in Python (a writer
    answering None leaves its case to the template); stripped, as Django strips a template's
    output."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        writer = WRITERS.get(template_name)
        if writer is not None and (written := writer(context)) is not None:
            return mark_safe(written.strip())
        return super().render(template_name, context, request)
