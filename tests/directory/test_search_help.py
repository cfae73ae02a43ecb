"""The search page when a search finds little: a result count for every search, "did you mean" links, the
nearest matches and a wider distance for an empty search, and "no more results" past the last page."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tests.directory.people import make_practitioner

pytestmark = pytest.mark.django_db

URL = reverse("directory:search")


@pytest.fixture
def billings():
    return [
        make_practitioner("141000001", "Okafor", "Helen"),
        make_practitioner("141000002", "Lindqvist", "Anna"),
    ]


def _body(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


def _hrefs(body: str, element_id: str) -> list[str]:
    block = re.search(rf'id="{element_id}".*?</(?:div|section|p)>', body, re.S)
    assert block, element_id
    return re.findall(r'href="([^"]+)"', block[0])


def test_every_search_shows_a_result_count(client: Client, billings) -> None:
    body = _body(client.get(URL, {"specialty": "medical oncologist", "near": "59301", "radius_miles": "200"}))
    assert "2 doctors found. Showing 1 to 2." in body
    body = _body(client.get(URL, {"specialty": "medical oncologist", "near": "59301", "radius_miles": "25"}))
    assert "0 doctors found." in body


def test_the_count_covers_every_page(client: Client) -> None:
    for n in range(25):
        make_practitioner(f"15100{n:04d}", "Adams", f"Lee{chr(97 + n)}")
    response = client.get(URL, {"name": "adams"})  # a name alone: read page by page, counted apart
    assert response.context["total"] == 25
    assert "25 doctors found. Showing 1 to 20." in _body(response)
    second = client.get(URL + response.context["next_url"])
    assert "25 doctors found. Showing 21 to 25." in _body(second)


def test_an_empty_search_offers_the_nearest_matches_and_a_wider_distance(client: Client, billings) -> None:
    response = client.get(URL, {"specialty": "medical oncologist", "near": "59301", "radius_miles": "25"})
    body = _body(response)
    assert response.context["results"] == []
    assert "The nearest matches farther away" in body
    assert "Okafor" in body and "Lindqvist" in body
    link = re.search(r'id="wider-link" href="([^"]+)">Search within 200 miles<', body)
    assert link, body
    query = parse_qs(urlsplit(link[1]).query)
    assert query["radius_miles"] == ["200"] and query["specialty"] == ["medical oncologist"]
    wider = client.get(URL + link[1])
    assert {r["npi"] for r in wider.context["results"]} == {p.npi for p in billings}


def test_when_nobody_is_near_at_all_the_link_drops_the_distance(client: Client) -> None:
    far = make_practitioner("142000001", "Svensson", "Eric", place=("Minneapolis", "MN", "55455"))
    body = _body(client.get(URL, {"specialty": "medical oncologist", "near": "59301", "radius_miles": "200"}))
    assert re.search(r'id="wider-link" href="[^"]+">Search at any distance<', body)
    assert "Svensson" in body
    link = _hrefs(body, "wider")[-1]
    assert "radius_miles" not in parse_qs(urlsplit(link).query)
    assert far.npi in {r["npi"] for r in client.get(URL + link).context["results"]}


def test_nothing_anywhere_keeps_the_plain_advice(client: Client, billings) -> None:
    body = _body(client.get(URL, {"specialty": "pathologist", "near": "59301", "radius_miles": "500"}))
    assert 'id="wider"' not in body
    assert "Try a larger distance, leave out a filter" in body


def test_did_you_mean_suggestions_are_links_that_run_the_search(client: Client, billings) -> None:
    body = _body(client.get(URL, {"specialty": "medical oncolgist", "near": "59301"}))
    links = _hrefs(body, "did-you-mean")
    assert links
    query = parse_qs(urlsplit(links[0]).query)
    assert query["near"] == ["59301"] and "medical" in query["specialty"][0]
    assert client.get(URL + links[0]).context["searched"] is True


def test_a_place_typo_suggests_places(client: Client, billings) -> None:
    body = _body(client.get(URL, {"specialty": "medical oncologist", "near": "Bilings, MT"}))
    links = _hrefs(body, "did-you-mean")
    places = [parse_qs(urlsplit(link).query)["near"][0] for link in links]
    assert "Billings, MT" in places


@pytest.mark.parametrize("page", ["999", "2", "100000"])
def test_a_page_past_the_end_says_there_are_no_more(client: Client, billings, page: str) -> None:
    params = {"specialty": "medical oncologist", "near": "59301", "radius_miles": "200", "page": page}
    body = _body(client.get(URL, params))
    assert "There are no more results" in body
    assert 'id="wider"' not in body
    back = _hrefs(body, "no-more")
    assert back and "page" not in parse_qs(urlsplit(back[0]).query)
    assert len(client.get(URL + back[0]).context["results"]) == 2


def test_a_page_that_is_not_a_number_is_the_first(client: Client, billings) -> None:
    response = client.get(URL, {"specialty": "medical oncologist", "page": "abc"})
    assert len(response.context["results"]) == 2
