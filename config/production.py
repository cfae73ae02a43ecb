"""Production mode refuses development secrets and DEBUG (docs/configuration.md, docs/security.md).

`problems(environ)` is pure: it reads only the mapping it is given and never echoes a secret's value, so the
one message can go to a terminal or a log. config/settings.py calls `refuse_unsafe(os.environ)` when
SECONDOPINION_PRODUCTION is on; its ImproperlyConfigured stops every command, `check` and the server.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

# The development defaults config/settings.py falls back on outside production.
DEV_SECRET_KEY = "dev-only-insecure-secret-key-change-me-0123456789abcdef"  # noqa: S105
DEV_AUDIT_KEY = "dev-only-audit-chain-key"
DEV_FILE_MASTER_KEY = "00112233445566778899aabbccddeeff" * 2

# Django's own deploy check asks for 50 characters and 5 distinct ones.
MIN_SECRET_KEY_CHARS = 50
MIN_SECRET_KEY_UNIQUE = 5
# HMAC-SHA256: a key shorter than the 32-byte digest weakens the audit chain.
MIN_AUDIT_KEY_BYTES = 32
# AES-256 key wrap: exactly 32 bytes, written as 64 hex digits.
FILE_MASTER_KEY_HEX_DIGITS = 64

TRUE = {"1", "true", "yes", "on"}


def is_on(environ: Mapping[str, str], name: str) -> bool:
    return environ.get(name, "").strip().lower() in TRUE


def _secret_key(value: str) -> str | None:
    if value == DEV_SECRET_KEY:
        return "is the development default"
    if len(value) < MIN_SECRET_KEY_CHARS:
        return f"is too short ({len(value)} characters; at least {MIN_SECRET_KEY_CHARS})"
    if len(set(value)) < MIN_SECRET_KEY_UNIQUE:
        return f"has fewer than {MIN_SECRET_KEY_UNIQUE} distinct characters"
    if value.startswith("django-insecure-"):
        return "starts with 'django-insecure-' (a generated development key)"
    return None


def _audit_key(value: str) -> str | None:
    if value == DEV_AUDIT_KEY:
        return "is the development default"
    size = len(value.encode())
    if size < MIN_AUDIT_KEY_BYTES:
        return f"is too short ({size} bytes; at least {MIN_AUDIT_KEY_BYTES})"
    return None


def _file_master_key(value: str) -> str | None:
    if value.lower() == DEV_FILE_MASTER_KEY:
        return "is the development default"
    if len(value) != FILE_MASTER_KEY_HEX_DIGITS or not set(value) <= set(string.hexdigits):
        return f"is not {FILE_MASTER_KEY_HEX_DIGITS} hex digits (32 bytes)"
    return None


SECRETS = (
    ("SECONDOPINION_SECRET_KEY", _secret_key),
    ("SECONDOPINION_AUDIT_KEY", _audit_key),
    ("SECONDOPINION_FILE_MASTER_KEY", _file_master_key),
)


def problems(environ: Mapping[str, str]) -> list[str]:
    """What stops production from starting, one line per failing setting, each naming its variable."""
    found = []
    for name, judge in SECRETS:
        value = environ.get(name, "")
        reason = "is not set" if not value.strip() else judge(value)
        if reason:
            found.append(f"{name} {reason}")
    if is_on(environ, "SECONDOPINION_DEBUG"):
        found.append("SECONDOPINION_DEBUG is on (it shows settings and code to anyone who hits an error)")
    if is_on(environ, "SECONDOPINION_TESTING"):
        found.append("SECONDOPINION_TESTING is on (fast insecure password hashing, mail kept in memory)")
    return found


def message(found: list[str]) -> str:
    lines = "\n".join(f"  - {problem}" for problem in found)
    return (
        "SECONDOPINION_PRODUCTION is on, and these settings are not fit for production:\n"
        f"{lines}\nSee docs/configuration.md (Production)."
    )


def refuse_unsafe(environ: Mapping[str, str]) -> None:
    found = problems(environ)
    if found:
        raise ImproperlyConfigured(message(found))


def proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """SECONDOPINION_PROXY_SSL_HEADER, "Header-Name: value" (empty: none), as SECURE_PROXY_SSL_HEADER."""
    if not value.strip():
        return None
    header, colon, expected = value.partition(":")
    if not colon or not header.strip() or not expected.strip():
        raise ImproperlyConfigured('SECONDOPINION_PROXY_SSL_HEADER must look like "X-Forwarded-Proto: https"')
    return "HTTP_" + header.strip().upper().replace("-", "_"), expected.strip()
