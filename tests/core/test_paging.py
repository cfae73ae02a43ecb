"""Long lists in pages: a page past the end says there are no more results and links back (never 404)."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from secondopinion.core.audit import AuditAction, Purpose, record
from secondopinion.core.paging import page_number, paginate
from tests.consults.helpers import make_request, make_world
from tests.factories import login, make_user


def _paging(query: str, rows: list[int], per_page: int = 10):
    return paginate(RequestFactory().get("/list/" + query), rows, per_page)


def test_page_numbers_that_are_not_numbers_are_the_first_page():
    assert [page_number(raw) for raw in (None, "", "x", "0", "-3", "2", "1e3")] == [1, 1, 1, 1, 1, 2, 1]


def test_a_page_in_range_keeps_the_other_query_parameters_on_its_links():
    paging = _paging("?status=requested&page=2&kind=a&kind=b", list(range(25)))
    assert paging.rows == list(range(10, 20)) and not paging.beyond
    assert paging.previous_url == "?status=requested&kind=a&kind=b&page=1"
    assert paging.next_url == "?status=requested&kind=a&kind=b&page=3"


def test_a_page_past_the_end_is_beyond_and_links_to_the_last_page():
    paging = _paging("?page=999&status=x", list(range(25)))
    assert paging.beyond and paging.rows == [] and paging.page is None
    assert paging.back_url == "?status=x&page=3"
    empty = _paging("?page=2", [])
    assert empty.beyond and empty.back_url == "?page=1"
    assert not _paging("?page=1", []).beyond


@pytest.mark.django_db
def test_inbox_and_program_queue_past_the_end_say_no_more_results():
    world = make_world()
    make_request(world)
    consultant = login(Client(), world.consultant)
    coordinator = login(Client(), world.coordinator)
    for client, url in (
        (consultant, reverse("consults:inbox")),
        (coordinator, reverse("consults:program", args=[world.program.pk])),
    ):
        ok = client.get(url)
        assert ok.status_code == 200 and "no-more-results" not in ok.content.decode()
        assert len(ok.context["rows"]) == 1
        response = client.get(url, {"page": "999", "status": "requested"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "There are no more results." in html and "No requests match." not in html
        assert "?status=requested&amp;page=1" in html


@pytest.mark.django_db
def test_audit_search_past_the_end_says_no_more_results():
    admin = make_user("admin")
    for _ in range(3):
        record(admin, AuditAction.CASE_LIST, None, Purpose.SECURITY)
    client = login(Client(), admin)
    response = client.get(reverse("audit:search"), {"page": "999"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There are no more results." in html and "No rows match." not in html
    assert 'href="?page=1"' in html
    assert client.get(reverse("audit:search"), {"page": "1"}).context["paging"].rows
