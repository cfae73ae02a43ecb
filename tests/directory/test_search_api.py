"""GET /api/v1/directory/practitioners: the same search as the command, errors as problem details."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from tests.directory.test_search import cli, directory  # noqa: F401 - the shared directory fixture

pytestmark = pytest.mark.django_db


def test_api_gives_the_same_results_as_the_command(directory) -> None:  # noqa: F811
    cache.clear()
    code, expected = cli("--specialty", "medical oncologist", "--near", "10001", "--json")
    assert code == 0 and expected
    response = Client().get(
        "/api/v1/directory/practitioners", {"specialty": "medical oncologist", "near": "10001"}
    )
    assert response.status_code == 200
    assert response.json() == expected


def test_api_errors_are_problem_details_with_suggestions(directory) -> None:  # noqa: F811
    cache.clear()
    response = Client().get("/api/v1/directory/practitioners", {"specialty": "medical oncologst"})
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "unknown_specialty" and "medical oncologist" in body["suggestions"]


def test_api_near_a_city_and_its_errors(directory) -> None:  # noqa: F811
    cache.clear()
    code, expected = cli("--near", "Boston, MA", "--radius-miles", "250", "--json")
    response = Client().get("/api/v1/directory/practitioners", {"near": "boston ma", "radius_miles": 250})
    assert code == 0 and response.status_code == 200
    assert [r["npi"] for r in response.json()] == [r["npi"] for r in expected] and len(expected) == 4
    response = Client().get("/api/v1/directory/practitioners", {"near": "Bostn, MA"})
    assert response.status_code == 422 and response.json()["code"] == "unknown_place"
    assert "Boston, MA" in response.json()["suggestions"]


def test_api_is_rate_limited(directory) -> None:  # noqa: F811
    cache.clear()
    client = Client()
    statuses = [client.get("/api/v1/directory/practitioners", {"name": "zz"}).status_code for _ in range(121)]
    assert statuses[:120] == [200] * 120 and statuses[120] == 429
    cache.clear()
