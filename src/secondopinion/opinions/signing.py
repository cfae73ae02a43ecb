"""The sign form: before the signature, the clinician confirms or corrects their class for each dimension.

The computed class (comparison.py) is a check; the class the clinician states here is what the patient's
pages and the outcome figures count. Each dimension must be stated; the form starts from the class the
clinician gave in the editor, else from the computed one.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from secondopinion.core.forms import PlainMessages
from secondopinion.opinions.content import DIMENSIONS, SIGN_CLASSES
from secondopinion.opinions.wording import CLASS_LABELS

REQUIRED = _("Choose one: confirmed, refined, changed or cannot be compared.")
REFUSED = _("Choose your class for the diagnosis, the stage and the treatment before you sign.")


class SignForm(PlainMessages, forms.Form):
    def __init__(self, *args: Any, rows: list[dict[str, Any]], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {f"stated_{r['dimension']}": r["stated"] or r["class"] for r in rows})
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"stated_{row['dimension']}"] = forms.ChoiceField(
                label=row["label"],
                choices=[(c, str(CLASS_LABELS[c]).capitalize()) for c in SIGN_CLASSES],
                widget=forms.RadioSelect,
                error_messages={"required": REQUIRED, "invalid_choice": REQUIRED},
            )

    def dimensions(self) -> list[tuple[dict[str, Any], Any]]:
        """(comparison row, bound field) for each dimension, for the page."""
        return [(row, self[f"stated_{row['dimension']}"]) for row in self.rows]

    def stated(self) -> dict[str, str]:
        return {dim: self.cleaned_data[f"stated_{dim}"] for dim in DIMENSIONS}
