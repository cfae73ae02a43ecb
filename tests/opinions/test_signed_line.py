"""The signed line of an opinion ends with one full stop, not "a.m.." (the time already ends in one)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from secondopinion.opinions.models import Opinion
from tests.opinions.support import Setup

pytestmark = pytest.mark.django_db


def test_signed_line_has_no_double_full_stop() -> None:
    s = Setup()
    opinion = s.signed()
    morning = timezone.make_aware(dt.datetime(2026, 3, 3, 10, 30))
    Opinion.objects.filter(pk=opinion.pk).update(signed_at=morning)
    html = s.client(s.patient).get(reverse("opinions:detail", args=[opinion.pk])).content.decode()
    assert f"Signed by {opinion.signed_by.full_name} on " in html
    assert "a.m." in html and "a.m.." not in html
