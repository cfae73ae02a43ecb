"""What an app adds to a page another app owns, without that app knowing it.

The directory's pages show the public register. Apps that depend on the directory know more: consults knows
who takes requests through this service and which programs a center runs, reviews knows what patients said.
Each registers, in its AppConfig.ready, a panel maker for a page; the page asks for its panels and renders
each one's template with `panel` bound to the panel's context. The same for marks on the rows of a list, and
for plain context a page's own template shows (the case page's journey, from the apps that know requests,
opinions and reviews).
Arrows keep running one way: the page's app imports only this module.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Panel:
    template: str  # rendered with `panel` = context
    context: dict[str, Any] = field(default_factory=dict)
    column: str = "main"  # "side": beside the page's own facts; "main": below them
    order: int = 50  # smallest first


@dataclass(frozen=True)
class Mark:
    """A tag shown on one row of a list (e.g. a search result)."""

    key: str  # stable name, for tests and markup (data-mark="...")
    label: str
    style: str = ""  # a CSS class of the tag


PanelMaker = Callable[[Any, Any], Panel | None]  # (viewer, subject) -> its panel, or None
# (viewer, subject, the context the makers before it gave) -> more context for the page
ContextMaker = Callable[[Any, Any, dict[str, Any]], dict[str, Any]]
Marker = Callable[[Any, Sequence[str]], dict[str, list[Mark]]]  # (viewer, row keys) -> marks by key

_panel_makers: dict[str, list[PanelMaker]] = defaultdict(list)
_markers: dict[str, list[Marker]] = defaultdict(list)
_context_makers: dict[str, list[tuple[int, ContextMaker]]] = defaultdict(list)


def register_panel(page: str, maker: PanelMaker) -> None:
    if maker not in _panel_makers[page]:
        _panel_makers[page].append(maker)


def register_marker(page: str, marker: Marker) -> None:
    if marker not in _markers[page]:
        _markers[page].append(marker)


def register_context(page: str, maker: ContextMaker, order: int = 50) -> None:
    if all(known is not maker for _, known in _context_makers[page]):
        _context_makers[page].append((order, maker))
        _context_makers[page].sort(key=lambda entry: entry[0])


def context(page: str, viewer: Any, subject: Any) -> dict[str, Any]:
    """The page's context from every maker registered for it, in order; a later maker sees what the
    earlier ones gave."""
    found: dict[str, Any] = {}
    for _, maker in _context_makers[page]:
        found |= maker(viewer, subject, dict(found))
    return found


def panels(page: str, viewer: Any, subject: Any) -> dict[str, list[Panel]]:
    """The page's panels by column ("side", "main"), each column in order."""
    found = [panel for maker in _panel_makers[page] if (panel := maker(viewer, subject)) is not None]
    columns: dict[str, list[Panel]] = {"side": [], "main": []}
    for panel in sorted(found, key=lambda p: p.order):
        columns.setdefault(panel.column, []).append(panel)
    return columns


def marks(page: str, viewer: Any, keys: Sequence[str]) -> dict[str, list[Mark]]:
    """Each row key's marks from every marker registered for the page."""
    found: dict[str, list[Mark]] = defaultdict(list)
    for marker in _markers[page]:
        for key, row_marks in marker(viewer, keys).items():
            found[key].extend(row_marks)
    return dict(found)
