"""Health data is never cached: every answer that may carry it says `Cache-Control: no-store`.

The rule (core/middleware.py, NoStoreMiddleware): every answer is no-store except an anonymous visitor's
answers on the public register, the glossary and static files. The route matrix's world and requests
(tests/test_route_matrix.py) walk every route × role, so a new page is checked as soon as it is listed.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from secondopinion.accounts import actions as account_actions
from secondopinion.core.middleware import CACHEABLE_WHEN_ANONYMOUS
from tests.factories import make_user
from tests.route_matrix_table import EXPECTED, ROLES
from tests.test_route_matrix import build_world, client_for, enumerate_routes, send


def _no_store(response: object) -> bool:
    return "no-store" in response.get("Cache-Control", "")  # type: ignore[attr-defined]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_answer_that_may_carry_health_data_is_never_stored(role: str) -> None:
    cache.clear()  # the triage rate limit counts per address
    world = build_world(role)
    client = client_for(world, role)
    routes = enumerate_routes()
    missing: list[str] = []
    stored_200 = 0
    for key, method in EXPECTED:
        route = routes[key]
        url = world.url(route)
        response, _body = send(client, world, route, method, url)
        public = role == "anonymous" and url.startswith(CACHEABLE_WHEN_ANONYMOUS)
        if public:
            continue
        if not _no_store(response):
            missing.append(f"{method} {key} ({url}): {response.status_code}, {response.get('Cache-Control')}")
        elif response.status_code == 200:
            stored_200 += 1
    assert not missing, f"answers to {role} without no-store:\n" + "\n".join(missing)
    if role != "anonymous":
        assert stored_200 > 10  # the walk really reached pages with data


@pytest.mark.django_db
def test_the_pdfs_the_packet_and_a_document_are_never_stored() -> None:
    world = build_world()
    client = client_for(world, "owner")
    case_id = world.case.pk
    for url, content_type in (
        (f"/opinions/{world.ids['opinion_id']}/pdf/", "application/pdf"),
        (f"/opinions/cases/{case_id}/guide/pdf/", "application/pdf"),
        (f"/cases/{case_id}/export/", "application/zip"),
        (f"/cases/documents/{world.ids['document_id']}/download/", None),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert content_type is None or response["Content-Type"] == content_type, url
        assert _no_store(response), url


@pytest.mark.django_db
def test_the_api_with_a_token_is_never_stored_even_on_public_data() -> None:
    owner = make_user("patient")
    _token, raw = account_actions.create_access_token(owner, "cache")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    for url in ("/api/v1/cases", "/api/v1/fhir/metadata", "/api/v1/directory/practitioners"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _no_store(response), url
    bad = Client(headers={"Authorization": "Bearer so_not-a-token"}).get("/api/v1/cases")
    assert bad.status_code == 401 and _no_store(bad)


@pytest.mark.django_db
def test_public_register_pages_keep_their_own_caching_only_for_anonymous_visitors() -> None:
    anonymous = Client()
    for url in ("/directory/", "/api/v1/fhir/metadata", "/help/glossary/"):
        assert not _no_store(anonymous.get(url)), url
    assert _no_store(anonymous.get("/accounts/login/"))  # not on the list: never stored
    signed_in = Client()
    signed_in.force_login(make_user("patient"))
    assert _no_store(signed_in.get("/directory/"))
