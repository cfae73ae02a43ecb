from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from secondopinion.accounts.permissions import admin_required
from secondopinion.accounts.types import AuthedRequest
from secondopinion.core.audit import AuditAction, Outcome, Purpose, record
from secondopinion.core.forms import PlainMessages
from secondopinion.core.models import AuditEvent
from secondopinion.core.paging import paginate


class AuditSearchForm(PlainMessages, forms.Form):
    actor = forms.CharField(label=_("Who (e-mail contains)"), required=False)
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("Any"))] + [(a.value, a.value) for a in AuditAction],
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("Any"))] + [(o.value, o.value) for o in Outcome]
    )
    case_id = forms.UUIDField(label=_("Case id"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


@admin_required
def search(request: AuthedRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    rows = AuditEvent.objects.order_by("-seq")
    if form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            rows = rows.filter(actor_label__icontains=data["actor"])
        for key in ("action", "outcome", "case_id"):
            if data[key]:
                rows = rows.filter(**{key: data[key]})
        if data["since"]:
            rows = rows.filter(occurred_at__date__gte=data["since"])
        if data["until"]:
            rows = rows.filter(occurred_at__date__lte=data["until"])
        record(
            request.user,
            AuditAction.AUDIT_SEARCH,
            None,
            Purpose.SECURITY,
            detail={k: str(v) for k, v in data.items() if v},
        )
    paging = paginate(request, rows)
    return render(
        request, "accounts/pages/audit_search.html", {"form": form, "page": paging.rows, "paging": paging}
    )
