"""``{{ name|cancer_name }}``: a cancer type's name in the page's language (reference.cancer_type_name)."""

from __future__ import annotations

from django import template

from secondopinion.core.reference import cancer_type_name

register = template.Library()


@register.filter
def cancer_name(value: object) -> str:
    """A name from the cancer-type list in the active language; other text as written."""
    return cancer_type_name("" if value is None else str(value))
