"""core.work: the registry of places of work that the home page and the header read (issue 11, item 5)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from secondopinion.core import work
from secondopinion.core.work import Place


@pytest.fixture
def providers(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    registered: list[Any] = []
    monkeypatch.setattr(work, "_providers", registered)
    return registered


def test_places_are_ordered_and_landings_leave_out_header_links(providers: list[Any]) -> None:
    def queues(user: Any, counts: bool) -> list[Place]:
        return [
            Place("b", "Queue B", "/b/", 30, count=3 if counts else None),
            Place("a", "Queue A", "/a/", 10),
        ]

    def links(user: Any, counts: bool) -> list[Place]:
        return [Place("figures", "Figures", "/figures/", 20, landing=False)]

    work.register(queues)
    work.register(links)
    user = SimpleNamespace(is_authenticated=True)
    assert [p.key for p in work.places(user)] == ["a", "figures", "b"]
    assert [p.key for p in work.landings(user)] == ["a", "b"]
    assert [p.count for p in work.landings(user)] == [None, None]
    assert [p.count for p in work.landings(user, counts=True)] == [None, 3]


def test_a_provider_registered_twice_counts_once(providers: list[Any]) -> None:
    def one(user: Any, counts: bool) -> list[Place]:
        return [Place("x", "X", "/x/", 1)]

    work.register(one)
    work.register(one)
    assert len(work.places(SimpleNamespace(is_authenticated=True))) == 1


@pytest.mark.parametrize("user", [None, SimpleNamespace(is_authenticated=False)])
def test_nobody_signed_in_has_no_places(providers: list[Any], user: Any) -> None:
    work.register(lambda u, counts: [Place("x", "X", "/x/", 1)])
    assert work.places(user) == []


def test_the_apps_register_their_providers() -> None:
    modules = {provider.__module__ for provider in work._providers}
    assert {
        "secondopinion.accounts.work",
        "secondopinion.consults.work",
        "secondopinion.directory.work",
        "secondopinion.outcomes.work",
    } <= modules
