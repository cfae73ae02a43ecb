"""The one number formatter (core.numbers) and its template filter, in English and Spanish."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from secondopinion.core.numbers import format_number


@pytest.mark.parametrize(
    ("value", "decimals", "english", "spanish"),
    [
        (1234.5, None, "1,234.5", "1\xa0234,5"),  # Django's es format groups with a no-break space
        (1234567, None, "1,234,567", "1\xa0234\xa0567"),
        (15.0, None, "15", "15"),
        (66.64, None, "66.6", "66,6"),
        (0.35, None, "0.35", "0,35"),
        (186.04, 1, "186", "186"),
        (14.85, 1, "14.9", "14,9"),
        (Decimal("2.5"), 0, "3", "3"),
        ("37.4", None, "37.4", "37,4"),
    ],
)
def test_format_number_in_both_languages(value, decimals, english, spanish) -> None:
    with translation.override("en"):
        assert format_number(value, decimals) == english
    with translation.override("es"):
        assert format_number(value, decimals) == spanish


@pytest.mark.parametrize("value", [None, "", "many", float("nan"), float("inf"), True])
def test_what_is_not_a_number_is_shown_as_nothing(value) -> None:
    assert format_number(value) == ""


def test_the_template_filter_is_the_same_formatter() -> None:
    template = Template("{% load numbers %}{{ a|number }} {{ b|number:1 }} {{ c|number|default:'—' }}")
    with translation.override("es"):
        assert template.render(Context({"a": 1234.5, "b": 7.25, "c": None})) == "1\xa0234,5 7,3 —"
    with translation.override("en"):
        assert template.render(Context({"a": 1234.5, "b": 7.25, "c": None})) == "1,234.5 7.3 —"


def test_triage_texts_use_it() -> None:
    from secondopinion.triage.wording import format_number as triage_format

    with translation.override("es"):
        assert triage_format(1234.56) == "1\xa0234,6"


def test_the_published_comparison_uses_it() -> None:
    from secondopinion.outcomes.figures import published_source

    with translation.override("es"):
        text = published_source()
    assert "6\xa0791" in text and "14,8 %" in text and "37,4 %" in text
    with translation.override("en"):
        assert "(6,791 cases): diagnosis changed 14.8 %, treatment 37.4 %" in published_source()
