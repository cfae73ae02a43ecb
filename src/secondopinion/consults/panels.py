"""What consults adds to the directory's pages (core.contributions): "ask this doctor" with their terms on a
practitioner's page, the programs a center runs on its page, and "takes requests here" on search results."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from secondopinion.core import contributions
from secondopinion.core.contributions import Mark, Panel

from . import on_service


def ask_panel(viewer: Any, practitioner: Any) -> Panel:
    target = on_service.request_targets([practitioner.npi]).get(practitioner.npi)
    terms = on_service.terms_of(target) if target else None
    return Panel(
        "consults/partials/ask_practitioner.html",
        {"practitioner": practitioner, "target": target, "terms": terms},
        column="side",
    )


def programs_panel(viewer: Any, organization: Any) -> Panel:
    return Panel(
        "consults/partials/center_programs.html",
        {"programs": list(on_service.center_programs(organization))},
        order=10,
    )


def on_service_marks(viewer: Any, npis: Sequence[str]) -> dict[str, list[Mark]]:
    mark = Mark("on-service", _("Takes requests on secondopinion"), "so-tag--ok")
    return {npi: [mark] for npi in on_service.request_targets(list(npis))}


def follow_directory_profile(sender: Any, user: Any, data: dict[str, Any], **kwargs: Any) -> None:
    """A consultant who says in the directory that they take second opinions takes requests here, and one
    who says they do not, does not."""
    from .models import ConsultantProfile

    ConsultantProfile.objects.update_or_create(
        user=user, defaults={"accepts_requests": data["accepts_second_opinions"]}
    )


def register() -> None:
    from secondopinion.directory.signals import profile_saved

    profile_saved.connect(follow_directory_profile, dispatch_uid="consults.follow_directory_profile")
    contributions.register_panel("directory.practitioner", ask_panel)
    contributions.register_panel("directory.center", programs_panel)
    contributions.register_marker("directory.results", on_service_marks)
