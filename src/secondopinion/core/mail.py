"""E-mail readable as plain text: text parts go out as 7bit/8bit, never quoted-printable or base64, so a
link stays whole in the terminal (the console backend of `make demo`) and in any mail reader.

Django lets Python's e-mail package choose the transfer encoding; for a line longer than 78 characters
(a link with a token) it picks quoted-printable, which breaks the link with "=" soft line breaks. RFC 5322
allows lines of up to 998 characters, so text whose lines fit is sent as is ("7bit" when ASCII, "8bit"
otherwise); longer text keeps Python's choice.
"""

from __future__ import annotations

import email.policy
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends import console
from django.template import loader
from django.utils.encoding import force_str

from secondopinion.core.forms import PlainMessages

logger = logging.getLogger(__name__)

MAX_LINE = 998  # RFC 5322, section 2.1.1


def plain_cte(text: str, charset: str = "utf-8") -> str | None:
    """The transfer encoding that keeps `text` readable: 7bit, 8bit, or None (let Python choose)."""
    lines = text.encode(charset).splitlines()
    if max((len(line) for line in lines), default=0) > MAX_LINE:
        return None
    return "7bit" if text.isascii() else "8bit"


class PlainTextEmail(EmailMultiAlternatives):
    """An e-mail whose text parts keep their lines whole (see the module's note)."""

    def _add_bodies(self, msg: Any) -> None:
        if self.body or not self.attachments:
            encoding = self.encoding or settings.DEFAULT_CHARSET
            body = force_str(self.body or "", encoding=encoding, errors="surrogateescape")
            msg.set_content(
                body, subtype=self.content_subtype, charset=encoding, cte=plain_cte(body, encoding)
            )


def send_plain(subject: str, body: str, to: list[str], *, from_email: str | None = None) -> int:
    message = PlainTextEmail(subject, body, from_email or settings.DEFAULT_FROM_EMAIL, to)
    return message.send(fail_silently=False)


class ConsoleBackend(console.EmailBackend):
    """The console backend, with headers in plain UTF-8 too (a Spanish subject stays readable)."""

    policy = email.policy.default.clone(utf8=True)

    def write_message(self, message: Any) -> None:
        msg = message.message(policy=self.policy)
        self.stream.write(msg.as_bytes().decode("utf-8", "replace") + "\n")
        self.stream.write("-" * 79 + "\n")


class PlainPasswordResetForm(PlainMessages, PasswordResetForm):
    """Django's password-reset form, its e-mail sent as a `PlainTextEmail` (the reset link stays whole)."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        try:
            PlainTextEmail(subject, body, from_email, [to_email]).send()
        except Exception:  # as Django's form: a failure must not tell whether the account exists
            logger.exception("Failed to send password reset email to %s", context["user"].pk)
