"""Notifications. They never carry health data: they say that something is waiting and ask the
person to sign in, or carry a one-time link."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from secondopinion.core.mail import send_plain


def send(to: str, subject: str, body: str) -> None:
    footer = _("This message was sent by secondopinion. It never contains medical information.")
    send_plain(subject, f"{body}\n\n{footer}\n", [to])


def link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def verify_email(to: str, path: str) -> None:
    send(
        to,
        _("Confirm your e-mail address"),
        _("Please confirm your e-mail address by opening this link:\n%(link)s") % {"link": link(path)},
    )


def companion_invitation(to: str, inviter_name: str, path: str) -> None:
    send(
        to,
        _("You have been invited to secondopinion"),
        _(
            "%(name)s invited you to help with their care on secondopinion. "
            "Open this link to accept:\n%(link)s"
        )
        % {"name": inviter_name, "link": link(path)},
    )


def referrer_invitation(to: str, inviter_name: str, path: str) -> None:
    send(
        to,
        _("A patient asks you to request second opinions for them"),
        _(
            "%(name)s allows you to ask for second opinions for them on secondopinion. "
            "Open this link to accept (you need a verified doctor's account with this address):\n%(link)s"
        )
        % {"name": inviter_name, "link": link(path)},
    )


def request_started_for_you(to: str) -> None:
    send(
        to,
        _("Your doctor started a request for you"),
        _(
            "Your doctor started a second-opinion request for you on secondopinion. "
            "Please sign in to see it:\n%(link)s"
        )
        % {"link": link("/")},
    )


def something_waiting(to: str) -> None:
    send(
        to,
        _("Something new is waiting for you"),
        _("Something new is waiting for you on secondopinion. Please sign in to see it:\n%(link)s")
        % {"link": link("/")},
    )


def clinician_reviewed(to: str, approved: bool) -> None:
    text = (
        _("Your clinician account has been verified. Please sign in.")
        if approved
        else _("We could not verify your clinician account. Please sign in to see why.")
    )
    send(to, _("Your clinician account"), text + "\n" + link("/"))


def urgent_call(to: str) -> None:
    send(
        to,
        _("Urgent: please call about your second opinion"),
        _(
            "A doctor reviewing a second-opinion request marked something as urgent. Please sign in now and "
            "call your care team today. If you feel very unwell, call 911.\n%(link)s"
        )
        % {"link": link("/")},
    )
