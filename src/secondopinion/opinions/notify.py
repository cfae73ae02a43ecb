"""The opinion e-mails. Like every notification they carry no health data: only a link."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from secondopinion.accounts.notify import link, send


def opinion_shared(to: str, raw_token: str) -> None:
    send(
        to,
        _("A patient of yours shared a document with you"),
        _(
            "A patient of yours chose to share a document with you on secondopinion. "
            "Open it with this link (it works for 30 days):\n%(link)s"
        )
        % {"link": link(reverse("opinions:shared", args=[raw_token]))},
    )
