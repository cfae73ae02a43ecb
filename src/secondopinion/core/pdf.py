"""The one renderer for documents we produce: an HTML template rendered to PDF by WeasyPrint."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # heavy: imported where used

    html = render_to_string(template, context)
    return bytes(HTML(string=html).write_pdf())
