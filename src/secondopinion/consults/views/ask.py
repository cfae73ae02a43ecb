"""Asking a doctor for a second opinion from their page in the directory: straight to the request form with
this consultant chosen, after choosing the case when the patient has several."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from secondopinion.accounts.types import AuthedRequest
from secondopinion.consults import on_service
from secondopinion.directory.queries import practitioner_profile


@login_required
@require_GET
def ask_practitioner(request: AuthedRequest, npi: str) -> HttpResponse:
    profile = practitioner_profile(npi)
    if profile is None:
        raise Http404
    target = on_service.request_targets([npi]).get(npi)
    if target is None:
        return render(request, "consults/pages/not_on_service.html", profile)
    cases = on_service.own_cases(request.user)
    if len(cases) == 1:
        return redirect(_request_url(cases[0].pk, target))
    return render(
        request,
        "consults/pages/choose_case.html",
        {
            **profile,
            "cases": [(case, _request_url(case.pk, target)) for case in cases],
            "new_case_url": reverse("cases:create"),
        },
    )


def _request_url(case_id: Any, target: str) -> str:
    return f"{reverse('consults:new', args=[case_id])}?{urlencode({'target': target})}"
