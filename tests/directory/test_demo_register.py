"""The demo register answers the README's example search: "medical oncologist" near 59301 (Miles City, MT)
within 200 miles, loaded the way `secondopinion demo load` loads it."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from secondopinion.directory.demo import RURAL_ONCOLOGISTS, _npi, load_demo_directory
from secondopinion.directory.models import Practitioner

pytestmark = pytest.mark.django_db(transaction=True)

README_SEARCH = ["--specialty", "medical oncologist", "--near", "59301", "--radius-miles", "200", "--json"]


def _search(*args: str) -> list[dict]:
    out = io.StringIO()
    call_command("directory", "search", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_readme_search_finds_medical_oncologists_on_the_demo_register() -> None:
    load_demo_directory()
    results = _search(*README_SEARCH)
    assert len(results) >= 1
    for row in results:
        assert row["distance_miles"] is not None and row["distance_miles"] <= 200
        assert {"207RX0202X", "207RH0003X"} & set(row["specialties"])
    assert {_npi(base) for base, *_ in RURAL_ONCOLOGISTS} <= {row["npi"] for row in results}
    # loading again adds nobody (idempotent), and the answer stays the same
    count = Practitioner.objects.count()
    load_demo_directory()
    assert Practitioner.objects.count() == count
    assert _search(*README_SEARCH) == results
