"""`{% load terms %}`: plain explanations of clinical terms, and links to the trial registry.

- `{% term "grade" %}` or `{% term "intent" label %}`: the term (or `label`) that opens, by click, tap or
  keyboard (a `<details>`: no script needed), a short explanation and a link to the glossary entry. In
  a printed document (`printing` in the context) it is the plain label.
- `{{ text|trial_links }}`: the text, escaped, with each NCT number linked to its public registry record.
- `{{ nct|registry_url }}`: https://clinicaltrials.gov/study/NCT…
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from secondopinion.opinions import glossary

register = template.Library()


@register.simple_tag(takes_context=True)
def term(context: Any, key: str, label: Any = None) -> str:
    entry = glossary.BY_KEY[key]
    text = str(label) if label not in (None, "") else str(entry.name)
    if context.get("printing"):
        return escape(text)
    return format_html(
        '<details class="so-term" data-term="{}"><summary><span class="so-term__label">{}</span>'
        '<span class="usa-sr-only"> — {}</span></summary><span class="so-term__text">{} '
        '<a href="{}#term-{}">{}</a></span></details>',
        key,
        text,
        _("what this means"),
        entry.explanation,
        reverse("glossary"),
        key,
        _("More in the glossary"),
    )


@register.filter
def registry_url(nct: Any) -> str:
    return glossary.registry_url(str(nct or ""))


@register.filter(needs_autoescape=True)
def trial_links(text: Any, autoescape: bool = True) -> SafeString:
    """Escape the text, then link each NCT number in it to the trial's public registry record."""
    escaped = str(escape(text if text is not None else "")) if autoescape else str(text or "")

    def link(match: Any) -> str:
        nct = match[0].upper()
        return str(format_html('<a href="{}" class="so-trial-link">{}</a>', glossary.registry_url(nct), nct))

    return mark_safe(glossary.NCT_IN_TEXT.sub(link, escaped))  # the text was escaped above
