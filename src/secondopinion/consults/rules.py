"""Consultants' and coordinators' visibility rules, registered with the access gateway (in progress)."""

from __future__ import annotations


def register() -> None:
    """No rule yet: until consents are wired into the gateway, clinicians see no case."""
