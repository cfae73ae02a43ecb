"""opinions.0002 moves the case's first_diagnosis, first_plan and first_plan_modalities into the first
opinion, and cases.0003 drops them: no case loses what it holds; where both exist the opinion wins."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

migration = importlib.import_module("secondopinion.opinions.migrations.0002_first_opinion_from_case")

BEFORE = [("opinions", "0001_initial"), ("cases", "0002_companion_can_request")]
AFTER = [("opinions", "0002_first_opinion_from_case"), ("cases", "0003_remove_first_opinion_fields")]


def merged(content: dict[str, Any] | None = None, **case: Any) -> dict[str, Any]:
    fields = {"cancer_type": "", "first_diagnosis": "", "first_plan": "", "first_plan_modalities": []}
    return migration.merged_content(content, **(fields | case))


def test_a_case_without_a_first_opinion_gets_one_with_all_it_held() -> None:
    content = merged(
        cancer_type="Breast cancer (female)",
        first_diagnosis="Invasive ductal carcinoma, grade 2",
        first_plan="Lumpectomy, then radiation",
        first_plan_modalities=["surgery", "radiation"],
        topography="C50",
    )
    assert content == {
        "diagnosis": {"site_text": "Breast cancer (female)", "site": "C50"},
        "treatment": {"options": [{"modalities": ["surgery", "radiation"], "preferred": True}]},
        "narrative": "Invasive ductal carcinoma, grade 2\n\nLumpectomy, then radiation",
    }


def test_where_both_exist_the_opinion_wins_and_the_texts_join_its_narrative() -> None:
    opinion = {
        "diagnosis": {"site_text": "Lung cancer", "site": "C34.1"},
        "treatment": {"options": [{"modalities": ["chemotherapy"], "preferred": True}]},
        "narrative": "Said in the visit.",
    }
    content = merged(
        opinion,
        cancer_type="Breast cancer (female)",
        first_diagnosis="IDC",
        first_plan="Said in the visit.",  # already in the narrative: not repeated
        first_plan_modalities=["surgery", "magic"],
        topography="C50",
    )
    assert content["diagnosis"] == {"site_text": "Lung cancer", "site": "C34.1"}
    assert content["treatment"] == opinion["treatment"]
    assert (
        content["narrative"] == "Said in the visit.\n\nIDC\n\nmagic"
    )  # an unknown treatment is kept as words


def test_an_opinion_without_a_treatment_takes_the_case_plan() -> None:
    content = merged({"stage": {"group": "IIA"}}, first_plan_modalities=["surgery"])
    assert content["stage"] == {"group": "IIA"}
    assert content["treatment"] == {"options": [{"modalities": ["surgery"], "preferred": True}]}


@pytest.mark.django_db(transaction=True)
def test_the_migrations_move_the_fields_on_real_rows() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User, Case, Opinion = (
        old.get_model(*m) for m in (("accounts", "User"), ("cases", "Case"), ("opinions", "Opinion"))
    )
    owner = User.objects.create(email="migrate@example.test", password="x")
    plain = Case.objects.create(
        owner=owner,
        title="Only the case's fields",
        cancer_type="Lung cancer",
        first_diagnosis="Adenocarcinoma",
        first_plan="Surgery",
        first_plan_modalities=["surgery"],
    )
    both = Case.objects.create(
        owner=owner, title="Both", first_plan="Radiation after", first_plan_modalities=["radiation"]
    )
    Opinion.objects.create(
        case=both, source="first", content={"treatment": {"options": [{"modalities": ["chemotherapy"]}]}}
    )
    empty = Case.objects.create(owner=owner, title="Nothing entered")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Case, Opinion = new.get_model("cases", "Case"), new.get_model("opinions", "Opinion")
    assert not {"first_diagnosis", "first_plan", "first_plan_modalities"} & {
        f.name for f in Case._meta.get_fields()
    }
    first = Opinion.objects.get(case_id=plain.pk, source="first")
    assert first.author_id == owner.pk
    assert first.content == {
        "diagnosis": {"site_text": "Lung cancer", "site": "C34"},
        "treatment": {"options": [{"modalities": ["surgery"], "preferred": True}]},
        "narrative": "Adenocarcinoma\n\nSurgery",
    }
    [kept] = Opinion.objects.filter(case_id=both.pk, source="first")
    assert kept.content == {
        "treatment": {"options": [{"modalities": ["chemotherapy"]}]},
        "narrative": "Radiation after",
    }
    assert not Opinion.objects.filter(case_id=empty.pk).exists()

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # leave the database as the other tests expect


@pytest.mark.django_db
def test_a_first_opinion_of_words_only_still_counts_on_the_checklist() -> None:
    """What the migration makes of a case that held only texts keeps its checklist item done."""
    from django.urls import reverse

    from secondopinion.opinions import actions
    from tests.factories import login, make_case, make_user

    patient = make_user("patient")
    case = make_case(patient)
    client = login(Client(), patient)
    url = reverse("cases:detail", args=[case.pk])
    item = 'data-item="first_opinion" data-present="{}"'
    assert item.format("no") in client.get(url).content.decode()
    actions.save_first_opinion(patient, case, merged(first_diagnosis="IDC", first_plan="Lumpectomy"))
    page = client.get(url).content.decode()
    assert item.format("yes") in page and "Lumpectomy" in page
