"""Project lint: health data is fetched only through the access gateway (DESIGN.md §4).

Outside `queries.py`, `actions.py` and `core/access.py`, no code may touch a health-data model's
manager (`Case.objects…`, `Document._default_manager…`, rule `manager`), nor read health data through
a related manager (`case.documents.filter(…)`, `request.messages.all()`, rule `related-manager`): an
object the gateway gave out does not make everything hanging off it visible to the same user.

The related-manager names are read from the models (each relation a health-data model declares gives
the model it points at a manager of health data: its `related_name`, or `<model>_set`; a many-to-many
field pointing at a health-data model is one too). A place that is right to read through a manager
is listed in EXEMPTIONS with its reason; an exemption that matches nothing fails the check, so the
table cannot outlive the code it excuses. Run by `make lint`; exits 1 naming each place.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

HEALTH_MODELS = {
    "Addendum",
    "AppointmentSlot",
    "Case",
    "Companion",
    "Consent",
    "ConsultRequest",
    "Decision",
    "Document",
    "Medicine",
    "Message",
    "Opinion",
    "Question",
    "RequestQuestion",
    "Review",  # links its author to the consult that made them eligible
    "ReviewReport",
    "ShareLink",
    "Shipment",
    "StatusChange",
    "TriageAssessment",
    "UrgentFinding",
}
MANAGERS = {"objects", "_default_manager", "_base_manager"}
# What is called on a related manager to read (or change) the rows behind it.
MANAGER_METHODS = {
    "add",
    "aggregate",
    "all",
    "annotate",
    "count",
    "create",
    "defer",
    "distinct",
    "earliest",
    "exclude",
    "exists",
    "filter",
    "first",
    "get",
    "get_or_create",
    "in_bulk",
    "iterator",
    "last",
    "latest",
    "none",
    "only",
    "order_by",
    "prefetch_related",
    "remove",
    "select_related",
    "set",
    "update_or_create",
    "values",
    "values_list",
}
RELATION_FIELDS = {"ForeignKey", "ManyToManyField"}  # a reverse one-to-one is an object, not a manager
RULES = {"manager", "related-manager"}
ALLOWED_NAMES = {"queries.py", "actions.py"}
ALLOWED_PATHS = {Path("src/secondopinion/core/access.py")}

# (path, rule, reason). The rule may name one manager, `related-manager:documents`, to excuse only it.
EXEMPTIONS: list[tuple[str, str, str]] = [
    (
        "src/secondopinion/consults/api.py",
        "related-manager:documents",
        "_consent_out lists the document ids of a consent that queries.latest_consent fetched (documents "
        "prefetched there) or that the patient has just granted",
    ),
    (
        "src/secondopinion/opinions/demo.py",
        "related-manager",
        "the demo loader backdates the consents and status changes it has just created; no user reads them",
    ),
    (
        "src/secondopinion/reviews/rules.py",
        "related-manager:reports",
        "moderation_card is built by reviews.queries for a moderator, on reviews fetched there",
    ),
]


@dataclass(frozen=True)
class Hit:
    path: Path
    line: int
    rule: str
    name: str  # the manager: `objects`, `documents`…
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text} outside the access gateway [{self.rule}]"


def allowed(path: Path) -> bool:
    return path.name in ALLOWED_NAMES or path in ALLOWED_PATHS or "migrations" in path.parts


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _keyword(call: ast.Call, name: str) -> str | None:
    for keyword in call.keywords:
        if keyword.arg == name and isinstance(keyword.value, ast.Constant):
            return str(keyword.value.value)
    return None


def _target(call: ast.Call) -> str:
    """The model a relation points at, without its app label: `"cases.Document"` → `Document`."""
    value = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "to"), None)
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return value.value.rsplit(".", 1)[-1]
    if isinstance(value, ast.Name):
        return value.id
    return value.attr if isinstance(value, ast.Attribute) else ""


def related_managers(model_files: Iterable[Path]) -> set[str]:
    """The attribute names under which a model instance hands out a manager of health data."""
    names = set()
    for path in model_files:
        for model in ast.parse(path.read_text(), filename=str(path)).body:
            if not isinstance(model, ast.ClassDef):
                continue
            for statement in model.body:
                if not (
                    isinstance(statement, ast.Assign | ast.AnnAssign)
                    and isinstance(statement.value, ast.Call)
                    and _call_name(statement.value) in RELATION_FIELDS
                ):
                    continue
                field = statement.value
                if model.name in HEALTH_MODELS:
                    related_name = _keyword(field, "related_name") or f"{model.name.lower()}_set"
                    if not related_name.endswith("+"):
                        names.add(related_name)
                if _call_name(field) == "ManyToManyField" and _target(field) in HEALTH_MODELS:
                    target = statement.targets[0] if isinstance(statement, ast.Assign) else statement.target
                    if isinstance(target, ast.Name):
                        names.add(target.id)
    return names


def violations(path: Path, related: Collection[str] = frozenset()) -> list[Hit]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        if node.attr in MANAGERS and isinstance(node.value, ast.Name) and node.value.id in HEALTH_MODELS:
            text = f"{node.value.id}.{node.attr}"
            found.append(Hit(path, node.lineno, "manager", node.attr, text))
        elif (
            node.attr in MANAGER_METHODS
            and isinstance(node.value, ast.Attribute)
            and node.value.attr in related
            and not (isinstance(node.value.value, ast.Name) and node.value.value.id in HEALTH_MODELS)
        ):
            text = f"{ast.unparse(node.value)}.{node.attr}"
            found.append(Hit(path, node.lineno, "related-manager", node.value.attr, text))
    return found


def _covers(exemption: tuple[str, str, str], hit: Hit) -> bool:
    path, rule, _reason = exemption
    return Path(path) == hit.path and rule in (hit.rule, f"{hit.rule}:{hit.name}")


def bad_exemptions(exemptions: list[tuple[str, str, str]]) -> list[str]:
    problems = []
    for path, rule, reason in exemptions:
        if rule.split(":", 1)[0] not in RULES:
            problems.append(f"exemption {path} {rule}: unknown rule (one of {', '.join(sorted(RULES))})")
        if not reason.strip():
            problems.append(f"exemption {path} {rule}: give the reason the read is right there")
    return problems


def check(root: Path, exemptions: list[tuple[str, str, str]]) -> list[str]:
    """Every problem found under `root`: unexcused reads, then bad or stale exemptions."""
    problems = bad_exemptions(exemptions)
    related = related_managers(p for p in sorted(root.rglob("models.py")) if "migrations" not in p.parts)
    hits = [hit for p in sorted(root.rglob("*.py")) if not allowed(p) for hit in violations(p, related)]
    problems += [str(hit) for hit in hits if not any(_covers(e, hit) for e in exemptions)]
    for exemption in exemptions:
        if not any(_covers(exemption, hit) for hit in hits):
            path, rule, _reason = exemption
            problems.append(f"exemption {path} {rule}: stale, the file has no such read; remove it")
    return problems


def main(root: str = "src") -> int:
    problems = check(Path(root), EXEMPTIONS)
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} problem(s): read health data through core.access or the app's queries.py")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
