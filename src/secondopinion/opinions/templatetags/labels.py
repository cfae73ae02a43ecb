"""`{% load labels %}`: words for codes (`{{ code|kind_label }}`), so that pages never show a code."""

from __future__ import annotations

from typing import Any

from django import template

from secondopinion.consults.models import STATUS_CHOICES, Kind
from secondopinion.opinions import wording
from secondopinion.opinions.models import Decision

register = template.Library()


@register.filter
def kind_label(code: Any) -> str:
    return wording.label(dict(Kind.choices), code)


@register.filter
def status_label(code: Any) -> str:
    return wording.label({str(value): text for value, text in STATUS_CHOICES}, code)


@register.filter
def answer_label(code: Any) -> str:
    return wording.label(dict(Decision.Follows.choices), code)


@register.filter
def laterality_label(code: Any) -> str:
    return wording.label(wording.LATERALITY_LABELS, code)


@register.filter
def stage_type_label(code: Any) -> str:
    return wording.label(wording.STAGE_TYPE_LABELS, code)


@register.filter
def intent_label(code: Any) -> str:
    return wording.label(wording.INTENT_LABELS, code)


@register.filter
def concordance_label(code: Any) -> str:
    return wording.label(wording.CONCORDANCE_LABELS, code)


@register.filter
def class_label(code: Any) -> str:
    return wording.label(wording.CLASS_LABELS, code)
