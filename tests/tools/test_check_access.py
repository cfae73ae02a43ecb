"""tools/check_access.py on small trees of its own: each rule fails on a bad example, and the table
of exemptions cannot hold a stale entry or one without its reason."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.tools.loader import load_tool

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "check_access.py"
check_access = load_tool("check_access")

MODELS = """
from django.db import models


class Case(models.Model):
    owner = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="cases")


class Document(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    uploaded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL)
    invited_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")


class Program(models.Model):
    staff = models.ManyToManyField("accounts.User", related_name="programs")


class Consent(models.Model):
    documents = models.ManyToManyField("cases.Document", related_name="consents")
"""


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "src"
    (root / "app").mkdir(parents=True)
    (root / "app" / "models.py").write_text(MODELS)
    for name, text in files.items():
        path = root / "app" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_the_related_managers_come_from_the_models(tmp_path: Path) -> None:
    names = check_access.related_managers([_tree(tmp_path, {}) / "app" / "models.py"])
    # reverse managers of the health-data models, the default `<model>_set` included; a many-to-many
    # field to a health-data model is one too; `+`, and relations of other models, are none.
    assert names == {"cases", "documents", "document_set", "consents"}


def test_the_current_tree_passes() -> None:
    done = subprocess.run([sys.executable, str(SCRIPT)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout


@pytest.mark.parametrize(
    ("code", "rule"),
    [
        ("Case.objects.filter(pk=1)", "manager"),
        ("Document._default_manager.all()", "manager"),
        ("case.documents.filter(kind='x')", "related-manager"),
        ("consent.documents.all()", "related-manager"),
        ("user.document_set.first()", "related-manager"),
        ("request.user.cases.count()", "related-manager"),
    ],
)
def test_a_read_outside_the_gateway_fails(tmp_path: Path, code: str, rule: str) -> None:
    root = _tree(tmp_path, {"views.py": f"def page(case, consent, user, request):\n    return {code}\n"})
    problems = check_access.check(root, [])
    assert len(problems) == 1 and problems[0].endswith(f"[{rule}]"), problems
    assert problems[0].startswith(f"{root / 'app' / 'views.py'}:2: ")


@pytest.mark.parametrize(
    "code",
    [
        "Program.objects.all()",  # not health data
        "program.staff.all()",  # a relation of another model
        "form.cleaned_data.get('documents')",
        "Case.documents.through",  # the descriptor on the class, not a read
        "case.documents",  # handed on, not read here
    ],
)
def test_what_is_not_a_read_of_health_data_passes(tmp_path: Path, code: str) -> None:
    root = _tree(tmp_path, {"views.py": f"def page(case, program, form):\n    return {code}\n"})
    assert check_access.check(root, []) == []


@pytest.mark.parametrize("name", ["queries.py", "actions.py", "migrations/0001_initial.py"])
def test_the_gateway_modules_may_read(tmp_path: Path, name: str) -> None:
    code = "def rows(case):\n    return case.documents.all(), Case.objects.all()\n"
    assert check_access.check(_tree(tmp_path, {name: code}), []) == []


def test_an_exemption_excuses_its_file_and_rule_only(tmp_path: Path) -> None:
    code = "def page(case):\n    return case.documents.all(), case.opinions\n"
    root = _tree(tmp_path, {"views.py": code, "api.py": code})
    views = str(root / "app" / "views.py")
    assert check_access.check(root, [(views, "related-manager", "the context of a gated object")]) == [
        f"{root / 'app' / 'api.py'}:2: case.documents.all outside the access gateway [related-manager]"
    ]
    narrowed = [
        (views, "related-manager:documents", "the context"),
        (str(root / "app" / "api.py"), "related-manager", "r"),
    ]
    assert check_access.check(root, narrowed) == []


def test_a_stale_exemption_fails(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"views.py": "def page(case):\n    return case.title\n"})
    views = str(root / "app" / "views.py")
    for rule in ("related-manager", "related-manager:documents", "manager"):
        problems = check_access.check(root, [(views, rule, "it read the documents once")])
        assert problems == [f"exemption {views} {rule}: stale, the file has no such read; remove it"]
    # an exemption for another manager than the one read is stale too
    root2 = _tree(tmp_path / "b", {"views.py": "def page(case):\n    return case.documents.all()\n"})
    views2 = str(root2 / "app" / "views.py")
    problems = check_access.check(root2, [(views2, "related-manager:consents", "why")])
    assert any("stale" in p for p in problems) and any("[related-manager]" in p for p in problems)


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_exemption_without_a_reason_is_rejected(tmp_path: Path, reason: str) -> None:
    root = _tree(tmp_path, {"views.py": "def page(case):\n    return case.documents.all()\n"})
    views = str(root / "app" / "views.py")
    problems = check_access.check(root, [(views, "related-manager", reason)])
    assert problems == [f"exemption {views} related-manager: give the reason the read is right there"]


def test_an_exemption_for_an_unknown_rule_is_rejected(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"views.py": "def page(case):\n    return case.documents.all()\n"})
    views = str(root / "app" / "views.py")
    problems = check_access.check(root, [(views, "related", "a reason")])
    assert problems[0].startswith(f"exemption {views} related: unknown rule")


def test_the_table_in_the_tool_gives_every_exemption_a_reason() -> None:
    assert check_access.bad_exemptions(check_access.EXEMPTIONS) == []
    assert all(len(reason.split()) >= 3 for _path, _rule, reason in check_access.EXEMPTIONS)


def test_main_exits_1_naming_each_place(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"views.py": "def page(case):\n    return case.documents.all()\n"})
    done = subprocess.run([sys.executable, str(SCRIPT), str(root)], capture_output=True, text=True)
    assert done.returncode == 1
    assert "views.py:2: case.documents.all outside the access gateway" in done.stdout
