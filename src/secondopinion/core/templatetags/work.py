"""`{% work_links as links %}`: the signed-in person's header links (core.work)."""

from __future__ import annotations

from typing import Any

from django import template

from secondopinion.core import work

register = template.Library()


@register.simple_tag(takes_context=True)
def work_links(context: Any) -> list[work.Place]:
    request = context.get("request")
    return work.places(getattr(request, "user", None))
