"""Where each signed-in person's work is: their landing page after sign-in and their header links.

Core knows no domain app, so each app registers a provider (in its AppConfig.ready) that says, for one
user, which of its pages are that user's work (`landing=True`: a queue or list the person works through)
and which are only links in the header (outcome figures, a directory profile, the audit log). The home page
sends a person with one place of work straight to it and lists the places of a person with several.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Place:
    key: str  # stable name, for tests and markup (data-work="...")
    label: str  # the link text
    url: str
    order: int  # header and home order, smallest first
    landing: bool = True  # a place of work (home lists it); False: a header link only
    about: str = ""  # one sentence on the staff home
    count: int | None = None  # waiting items, only when asked for (the staff home)


Provider = Callable[[Any, bool], list[Place]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def places(user: Any, *, counts: bool = False) -> list[Place]:
    """The user's places (landing pages and header links), in order; none for an anonymous visitor."""
    if not getattr(user, "is_authenticated", False):
        return []
    found = [place for provider in _providers for place in provider(user, counts)]
    return sorted(found, key=lambda place: (place.order, place.label))


def landings(user: Any, *, counts: bool = False) -> list[Place]:
    return [place for place in places(user, counts=counts) if place.landing]
