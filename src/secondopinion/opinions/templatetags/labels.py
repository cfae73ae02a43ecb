"""`{% load labels %}`: words for codes (`{{ code|kind_label }}`), so that pages never show a code."""

from __future__ import annotations

from typing import Any

from django import template

from secondopinion.consults.models import STATUS_CHOICES, Kind
from secondopinion.opinions import labels
from secondopinion.opinions.models import Decision

register = template.Library()


@register.filter
def kind_label(code: Any) -> str:
    return labels.label(dict(Kind.choices), code)


@register.filter
def status_label(code: Any) -> str:
    return labels.label({str(value): text for value, text in STATUS_CHOICES}, code)


@register.filter
def answer_label(code: Any) -> str:
    return labels.label(dict(Decision.Follows.choices), code)


@register.filter
def laterality_label(code: Any) -> str:
    return labels.label(labels.LATERALITY_LABELS, code)


@register.filter
def stage_type_label(code: Any) -> str:
    return labels.label(labels.STAGE_TYPE_LABELS, code)


@register.filter
def intent_label(code: Any) -> str:
    return labels.label(labels.INTENT_LABELS, code)


@register.filter
def concordance_label(code: Any) -> str:
    return labels.label(labels.CONCORDANCE_LABELS, code)


@register.filter
def class_label(code: Any) -> str:
    return labels.label(labels.CLASS_LABELS, code)
