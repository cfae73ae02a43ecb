"""The directory's pages: search, a practitioner's profile, the cancer-center finder, a center's page, and
the profile a verified consultant keeps. Directory data is public; only "my profile" needs an account. Other
apps add their panels to the profile and center pages (core.contributions)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from secondopinion.accounts.models import CONSULTANT_ROLES
from secondopinion.accounts.types import AuthedRequest
from secondopinion.core import contributions
from secondopinion.core.geo import place_centroid
from secondopinion.core.ratelimit import over_limit
from secondopinion.core.thresholds import rural_miles as configured_rural_miles

from . import actions, queries
from .api import RATE_LIMIT
from .centers import center_types, nearest_centers
from .forms import PAGE_SIZE, CenterFinderForm, PractitionerProfileForm, SearchForm
from .search import SearchError, search_counted
from .search.help import query_url, suggestion_links, wider_search

RURAL_CENTERS_SHOWN = 3
SEARCH_ERROR_FIELDS = {
    "unknown_specialty": "specialty",
    "unknown_cancer_type": "cancer_type",
    "unknown_zip": "near",
    "unknown_place": "near",
    "radius_without_near": "near",
    "invalid_radius": "radius_miles",
    "invalid_name": "name",
    "unknown_center_type": "center_type",
}


def _slow_down(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/pages/slow_down.html", status=429)


def _rural_centers(near: str) -> dict[str, Any] | None:
    """For a place farther than the rural distance from every comprehensive center: the nearest ones."""
    origin = place_centroid(near) if near.strip() else None
    if origin is None:
        return None
    rural_miles = configured_rural_miles()
    centers = nearest_centers(*origin, designations=center_types("comprehensive"), limit=RURAL_CENTERS_SHOWN)
    if not centers or centers[0].distance_miles <= rural_miles:
        return None
    return {"centers": centers, "rural_miles": rural_miles, "near": near.strip()}


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results: list[dict[str, Any]] = []
    searched = has_next = beyond = False
    rural = wider = None
    total = 0
    suggestions: list[tuple[str, str]] = []
    if form.is_bound and form.is_valid() and form.has_query():
        if over_limit(request, "directory-search", *RATE_LIMIT):
            return _slow_down(request)
        try:
            rows, total = ([], 0) if form.beyond_reach() else search_counted(form.params())
        except SearchError as exc:
            field = SEARCH_ERROR_FIELDS.get(exc.code)
            form.add_error(field if field in form.fields else None, exc.message)
            suggestions = suggestion_links(request.GET, field, exc.suggestions)
        else:
            searched = True
            has_next = len(rows) > PAGE_SIZE
            results = queries.result_cards(request.user, rows[:PAGE_SIZE])
            beyond = not results and (form.cleaned_data.get("page") or 1) > 1
            if not results and not beyond:
                wider = wider_search(form.params(), request.GET)
            rural = _rural_centers(form.cleaned_data.get("near") or "")
    page = (form.cleaned_data.get("page") or 1) if form.is_bound and hasattr(form, "cleaned_data") else 1
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directory/pages/search.html",
        {
            "form": form,
            "results": results,
            "searched": searched,
            "total": total,
            "beyond": beyond,
            "first_page_url": query_url(request.GET),
            "wider": wider,
            "suggestions": suggestions,
            "page": page,
            "first_number": (page - 1) * PAGE_SIZE + 1,
            "last_number": (page - 1) * PAGE_SIZE + len(results),
            "previous_url": f"?{urlencode({**query.dict(), 'page': page - 1})}" if page > 1 else "",
            "next_url": f"?{urlencode({**query.dict(), 'page': page + 1})}" if has_next else "",
            "rural": rural,
            "back": request.GET.urlencode(),
            "specialty_names": queries.everyday_specialty_names(get_language() or "en"),
        },
    )


@require_GET
def practitioner_page(request: HttpRequest, npi: str) -> HttpResponse:
    profile = queries.practitioner_profile(npi)
    if profile is None:
        raise Http404
    return render(
        request,
        "directory/pages/practitioner.html",
        {
            **profile,
            "panels": contributions.panels("directory.practitioner", request.user, profile["practitioner"]),
            # the search this page was opened from, re-encoded so it can only ever be a query string
            "back_url": f"?{QueryDict(request.GET.get('back', '')).urlencode()}",
        },
    )


@require_GET
def centers_page(request: HttpRequest) -> HttpResponse:
    form = CenterFinderForm(request.GET or None)
    centers = []
    rural_miles = configured_rural_miles()
    if form.is_bound and form.is_valid():
        if over_limit(request, "directory-search", *RATE_LIMIT):
            return _slow_down(request)
        origin = place_centroid(form.cleaned_data["near"])
        if origin is None:
            form.add_error(
                "near", _("We cannot find that place. Type a 5-digit ZIP code or a town as “City, ST”.")
            )
        else:
            kinds = center_types(form.cleaned_data.get("center_type") or "")
            centers = nearest_centers(*origin, designations=kinds, limit=10)
    return render(
        request,
        "directory/pages/centers.html",
        {
            "form": form,
            "centers": centers,
            "rural_miles": rural_miles,
            "far": bool(centers) and centers[0].distance_miles > rural_miles,
        },
    )


@require_GET
def center_page(request: HttpRequest, org_id: int) -> HttpResponse:
    center = queries.center_profile(org_id)
    if center is None:
        raise Http404
    panels = contributions.panels("directory.center", request.user, center["organization"])
    return render(request, "directory/pages/center.html", {**center, "panels": panels})


@login_required
@require_http_methods(["GET", "POST"])
def my_profile(request: AuthedRequest) -> HttpResponse:
    """A verified consultant's directory profile: languages, video visits, second opinions, cancer focus."""
    if request.user.role not in CONSULTANT_ROLES:
        raise Http404
    practitioner = queries.practitioner_for_account(request.user)
    if practitioner is None:
        return render(request, "directory/pages/my_profile.html", {"practitioner": None})
    form = PractitionerProfileForm(request.POST or None, initial=queries.profile_initial(practitioner))
    if request.method == "POST" and form.is_valid():
        actions.update_practitioner_profile(request.user, practitioner, form.cleaned_data)
        messages.success(request, _("Your directory profile is saved. Patients see it now."))
        return redirect("directory:my_profile")
    return render(request, "directory/pages/my_profile.html", {"practitioner": practitioner, "form": form})
