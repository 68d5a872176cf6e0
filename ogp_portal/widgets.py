"""Form widgets that write their options in Python, where Django renders a template (and the
template of its attributes) for each option: the same HTML, without the ~3 template renders an
option costs (a dashboard's filters have some forty options)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
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


class Select(forms.Select):
    """``forms.Select`` with the HTML of Django's ``select.html`` and ``select_option.html``,
    byte for byte (tests/test_widgets.py compares them)."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
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
