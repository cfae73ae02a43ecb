"""Pages of a long list, the same way on every page that has them.

A page number past the end (`?page=999`) is not an error: the page says there are no more results
and links back to the last page that has some. A number that is not a number counts as the first page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 50


@dataclass
class Paging:
    rows: list[Any]
    number: int  # the page asked for (1 when the request named none or nonsense)
    num_pages: int  # pages that hold rows (0 when there are none at all)
    beyond: bool  # the page asked for is past the last one
    page: Page[Any] | None  # None when beyond
    query: list[tuple[str, str]]  # the request's other query parameters, kept on every link

    def url(self, number: int) -> str:
        return "?" + urlencode([*self.query, ("page", str(number))])

    @property
    def previous_url(self) -> str:
        return self.url(self.number - 1) if self.page is not None and self.page.has_previous() else ""

    @property
    def next_url(self) -> str:
        return self.url(self.number + 1) if self.page is not None and self.page.has_next() else ""

    @property
    def back_url(self) -> str:
        """Where "no more results" links to: the last page with rows, or the first."""
        return self.url(max(self.num_pages, 1))


def page_number(raw: str | None) -> int:
    try:
        number = int(raw or "1")
    except ValueError:
        return 1
    return number if number >= 1 else 1


def paginate(request: HttpRequest, rows: Sequence[Any] | Any, per_page: int = PER_PAGE) -> Paging:
    """The page of `rows` (a list or a queryset) that `?page=` asks for."""
    paginator = Paginator(rows, per_page)
    number = page_number(request.GET.get("page"))
    query = [(k, v) for k, values in request.GET.lists() if k != "page" for v in values]
    num_pages = paginator.num_pages if paginator.count else 0
    if number > max(num_pages, 1):
        return Paging([], number, num_pages, True, None, query)
    page = paginator.page(number)
    return Paging(list(page.object_list), number, num_pages, False, page, query)
