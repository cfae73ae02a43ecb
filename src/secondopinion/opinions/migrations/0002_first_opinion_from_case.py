"""The case's first_diagnosis, first_plan and first_plan_modalities move into the first opinion.

The first opinion (`Opinion` with source "first") is the one record of the first doctor's diagnosis and
plan. Where a case has no first opinion, one is made from the case's fields; where both exist the opinion
wins and the case's texts are added to its narrative (`narrative`, the first doctor's words). No text is
lost: texts go into the narrative, treatments into the option (unless the opinion already has one: it
wins), and a treatment that is not a known modality is named in the narrative.
cases.0003 then drops the three fields.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

MODALITIES = (
    "surgery",
    "radiation",
    "chemotherapy",
    "hormone_therapy",
    "immunotherapy",
    "targeted_therapy",
    "active_surveillance",
    "clinical_trial",
    "other",
)


def _topography(cancer_type: str) -> str:
    from secondopinion.core.reference import cancer_types

    return next((t.topography for t in cancer_types() if t.name == cancer_type.strip()), "")


def merged_content(
    content: dict[str, Any] | None,
    *,
    cancer_type: str,
    first_diagnosis: str,
    first_plan: str,
    first_plan_modalities: list[Any],
    topography: str = "",
) -> dict[str, Any]:
    """The first opinion's content once the case's three fields are moved into it (pure)."""
    result: dict[str, Any] = dict(content or {})
    modalities = [m for m in first_plan_modalities or [] if m in MODALITIES]
    unknown = [str(m) for m in first_plan_modalities or [] if m not in MODALITIES]
    note = (result.get("narrative") or "").strip()
    parts = [note] if note else []
    for text in (first_diagnosis, first_plan, ", ".join(unknown)):
        text = (text or "").strip()
        if text and text not in note:
            parts.append(text)
    if parts:
        result["narrative"] = "\n\n".join(parts)
    diagnosis = dict(result.get("diagnosis") or {})
    if not diagnosis.get("site_text") and cancer_type.strip():
        diagnosis["site_text"] = cancer_type.strip()
        if topography and not diagnosis.get("site"):
            diagnosis["site"] = topography
    if diagnosis:
        result["diagnosis"] = diagnosis
    options = (
        (result.get("treatment") or {}).get("options") if isinstance(result.get("treatment"), dict) else None
    )
    if not options and modalities:  # the opinion wins; it had no treatment, so the case's is kept
        result["treatment"] = {"options": [{"modalities": modalities, "preferred": True}]}
    return result


def forwards(apps: Any, schema_editor: Any) -> None:
    Case = apps.get_model("cases", "Case")
    Opinion = apps.get_model("opinions", "Opinion")
    for case in Case.objects.all().iterator():
        diagnosis, plan = case.first_diagnosis or "", case.first_plan or ""
        modalities = list(case.first_plan_modalities or [])
        if not (diagnosis.strip() or plan.strip() or modalities):
            continue
        opinion = Opinion.objects.filter(case=case, source="first").order_by("created_at").first()
        if opinion is None:
            opinion = Opinion(case=case, source="first", author_id=case.owner_id)
        opinion.content = merged_content(
            opinion.content,
            cancer_type=case.cancer_type or "",
            first_diagnosis=diagnosis,
            first_plan=plan,
            first_plan_modalities=modalities,
            topography=_topography(case.cancer_type or ""),
        )
        opinion.save()


def backwards(apps: Any, schema_editor: Any) -> None:
    """Back to the case's fields (the opinion stays): its diagnosis in words, narrative and modalities."""
    Opinion = apps.get_model("opinions", "Opinion")
    for opinion in Opinion.objects.filter(source="first").select_related("case"):
        content = opinion.content or {}
        options = (content.get("treatment") or {}).get("options") or []
        case = opinion.case
        case.first_diagnosis = (content.get("diagnosis") or {}).get("site_text") or ""
        case.first_plan = content.get("narrative") or ""
        case.first_plan_modalities = list(options[0].get("modalities") or []) if options else []
        case.save(update_fields=["first_diagnosis", "first_plan", "first_plan_modalities"])


class Migration(migrations.Migration):
    dependencies = [
        ("opinions", "0001_initial"),
        ("cases", "0002_companion_can_request"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
