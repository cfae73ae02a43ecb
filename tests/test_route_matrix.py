"""Every URL route and API operation × every role: the answer each role must get (issue 2).

The routes are walked from Django's URL resolver, the API's included (django-ninja registers one
pattern per operation, each bound to the path's view that answers several methods; the methods
come from that view's operations). The expected answers are in tests/route_matrix_table.py, what each
write sends in tests/route_matrix_bodies.py; a route the resolver knows but the table does not (or the
reverse) fails `test_matrix_covers_every_route`.

Each role's requests run in one test against one set of objects; each request runs in a savepoint
that is rolled back, so a write (a delete, a revoke, a sign-out) never changes what the next
request sees. The world is built once per role (tests/route_matrix_world.py adds the consult requests,
opinions and decision; for `consultant_ended` it revokes the consents). A cell the product answers
wrongly today is listed in KNOWN_BUGS and asserted by `test_known_product_bugs`, xfail(strict=True).
"""

from __future__ import annotations

import copy
import io
import json
import re
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponseBase
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver
from ninja.operation import PathView

from secondopinion.accounts import actions as account_actions
from secondopinion.accounts.models import ClinicianProfile, User
from secondopinion.cases import actions as case_actions
from secondopinion.cases.models import Case
from secondopinion.directory.models import Organization
from tests.directory.people import make_practitioner
from tests.factories import login, make_case, make_companion, make_document, make_user, unique_pdf
from tests.route_matrix_bodies import FORM_BODIES, JSON_BODIES, TRIAGE_ANSWERS
from tests.route_matrix_table import EXPECTED, KNOWN_BUGS, LOGIN, ROLES
from tests.route_matrix_world import build_consults, consult_users

LOGIN_PATH = "/accounts/login/"
MFA_PATH = "/accounts/mfa/"
CASE_TITLE = "Matrix case 5f1c"
_PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


# --- the routes, from the resolver ----------------------------------------------------------------


@dataclass
class Route:
    key: str  # the URL name, or the full pattern for an API path
    pattern: str  # the full pattern, e.g. "cases/<uuid:case_id>/"
    methods: frozenset[str] | None  # for an API path: the methods its operations answer
    shadowed: list[str] = field(default_factory=list)  # API methods hidden behind an earlier pattern


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str | None, Any]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        else:
            assert isinstance(entry, URLPattern)
            yield (
                prefix + str(entry.pattern),
                (namespace + entry.name) if entry.name else None,
                entry.callback,
            )


def _path_view(callback: Any) -> PathView | None:
    """The django-ninja PathView behind a pattern's view function, if it is one."""
    for cell in getattr(callback, "__closure__", None) or ():
        try:
            contents = cell.cell_contents
        except ValueError:  # an empty cell
            continue
        if isinstance(contents, PathView):
            return contents
    return None


def enumerate_routes() -> dict[str, Route]:
    routes: dict[str, Route] = {}
    views: dict[str, PathView] = {}
    for pattern, name, callback in _walk(get_resolver().url_patterns):
        view = _path_view(callback)
        if view is None:
            key = name or pattern
            assert key not in routes, f"two routes share the key {key!r}"
            routes[key] = Route(key, pattern, None)
            continue
        methods = frozenset(m for op in view.operations for m in op.methods)
        if pattern not in routes:
            views[pattern] = view
            routes[pattern] = Route(pattern, pattern, methods)
        elif views[pattern] is not view:  # Django resolves the first pattern; the later one is unreachable
            routes[pattern].shadowed.extend(sorted(methods - routes[pattern].methods))  # type: ignore[operator]
    return routes


# --- the objects every role asks for: all the owner's ----------------------------------------------


@dataclass
class World:
    users: dict[str, User | None]
    case: Case
    ids: dict[str, Any]  # URL parameter name -> the owner's object id
    tokens: dict[str, str]  # route key -> the value of its <token> parameter
    extra: dict[str, Any] = field(default_factory=dict)  # objects the request bodies name

    def url(self, route: Route, *, fake_ids: bool = False) -> str:
        def fill(match: re.Match[str]) -> str:
            name, converter = match["name"], match["converter"]
            if fake_ids and (converter == "uuid" or (converter is None and name.endswith("_id"))):
                return str(uuid.uuid4())
            if fake_ids and converter == "int":
                return "987654321"
            if name == "token":
                return self.tokens[route.key]
            return str(self.ids[name])

        return "/" + _PARAM.sub(fill, route.pattern)


def build_world(role: str = "") -> World:
    """The owner's case and everything around it; for `consultant_ended` the consents are revoked."""
    users: dict[str, User | None] = {
        "anonymous": None,
        "owner": make_user("patient"),
        "other_patient": make_user("patient"),
        "companion": make_user("companion"),
        "companion_revoked": make_user("companion"),
        "companion_expired": make_user("companion"),
        "consultant": make_user("consultant"),
        "consultant_pending": make_user("consultant", clinician_status=ClinicianProfile.Status.PENDING),
        "admin": make_user("admin"),
        "referrer": make_user("referring_physician", name="Dr Referrer"),
        **consult_users(),
    }
    owner = users["owner"]
    assert owner is not None
    invitee = f"invitee-{uuid.uuid4().hex[:8]}@example.test"
    mail.outbox = []
    # Run the on-commit work at once: the document's file moves into place, the invitation is sent.
    with TestCase.captureOnCommitCallbacks(execute=True):
        make_case(users["other_patient"], title="Someone else's case")  # type: ignore[arg-type]
        case = make_case(owner, title=CASE_TITLE, cancer_type="Breast cancer")
        medicine = case_actions.add_medicine(owner, case, {"name": "Tamoxifen", "dose": "20 mg"})
        question = case_actions.add_question(owner, case, "Is surgery the only option?")
        case_actions.add_question(owner, case, "How long is the recovery?")
        document = make_document(owner, case, unique_pdf("matrix"))
        companion = make_companion(case, users["companion"])
        revoked = make_companion(case, users["companion_revoked"])
        case_actions.revoke_companion(owner, revoked)
        make_companion(case, users["companion_expired"], days=-1)
        make_companion(case, None, email=invitee)
        # The owner's own doctor, allowed to ask for second opinions for them (accepted).
        make_companion(case, users["referrer"], can_view=False, can_request=True, days=365)
        token, _raw = account_actions.create_access_token(owner, "matrix")
        from secondopinion.triage.actions import save_assessment
        from secondopinion.triage.views import evaluate

        save_assessment(owner, case, TRIAGE_ANSWERS, evaluate(TRIAGE_ANSWERS))
        consult_ids, consult_tokens, extra = build_consults(
            users, case, document, consent_ended=role == "consultant_ended"
        )
    invitation = next(m for m in mail.outbox if m.to == [invitee])
    practitioner = make_practitioner("170000001", "Matrix", "Pat")  # public register data, no account
    practice = practitioner.roles.select_related("location").get()
    centers = Organization.objects.filter(center_designation="nci-comprehensive")
    center_id = centers.values_list("pk", flat=True)[0]
    pending = users["consultant_pending"]
    assert pending is not None
    ids = {
        "case_id": case.pk,
        "medicine_id": medicine.pk,
        "question_id": question.pk,
        "document_id": document.pk,
        "companion_id": companion.pk,
        "token_id": token.pk,
        "profile_id": pending.clinician_profile.pk,
        "direction": "down",
        "uidb64": "MQ",
        "npi": practitioner.npi,
        "org_id": center_id,
        # the FHIR Plan-Net ids (docs/fhir-plannet.md)
        "role_id": f"role-{practice.pk}",
        "location_id": practice.location.address_key,
        "organization_id": f"org-{center_id}",
        **consult_ids,
    }
    tokens = {
        "accounts:verify_email": account_actions.email_token(owner),
        "cases:accept_invitation": re.search(r"/cases/invitations/([^/\s]+)/", invitation.body)[1],  # type: ignore[index]
        "accounts:password_reset_confirm": "not-a-valid-reset-token",
        **consult_tokens,
    }
    return World(users, case, ids, tokens, extra)


def client_for(world: World, role: str) -> Client:
    client = Client(raise_request_exception=False)
    user = world.users[role]
    return login(client, user) if user is not None else client


def send(client: Client, world: World, route: Route, method: str, url: str) -> tuple[HttpResponseBase, bytes]:
    """One request in a savepoint that is rolled back; the client's cookies are restored after it."""
    cookies = copy.deepcopy(client.cookies)
    key = (route.key, method)
    with transaction.atomic():
        if method == "GET":
            response = client.get(url)
        elif key in JSON_BODIES:
            data = JSON_BODIES[key]
            payload = data(world) if callable(data) else data
            response = client.generic(method, url, json.dumps(payload), content_type="application/json")
        elif method == "POST":
            response = client.post(url, FORM_BODIES.get(key, lambda w: {})(world))
        else:
            response = client.generic(method, url)
        # (Reading a streamed body to its end closes the response, as the test client does for others.)
        body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        transaction.set_rollback(True)
    client.cookies = cookies
    return response, body


def problem_of(response: HttpResponseBase, body: bytes) -> dict[str, Any] | None:
    if response.get("Content-Type") != "application/problem+json":
        return None
    return json.loads(body)


def judge(
    expected: int | str, route: Route, method: str, url: str, response: HttpResponseBase, body: bytes
) -> str | None:
    """None if the answer is right, else what was wrong."""
    status, location = response.status_code, response.get("Location", "")
    if expected == LOGIN:
        ok = status == 302 and location.startswith(LOGIN_PATH)
    elif expected == 302:
        ok = status == 302 and not location.startswith((LOGIN_PATH, MFA_PATH))
    else:
        ok = status == expected
    where = f"{method} {route.key} ({url})"
    if not ok:
        return f"{where}: expected {expected}, got {status} {location}".rstrip()
    if b"Traceback" in body:
        return f"{where}: the answer shows a traceback"
    if url.startswith("/api/") and status >= 400:
        problem = problem_of(response, body)
        if problem is None:
            return f"{where}: {status} is {response.get('Content-Type')}, not application/problem+json"
        if problem.get("status") != status or not problem.get("code"):
            return f"{where}: problem body {problem} lacks its status or code"
    return None


def _normalise(body: bytes, url: str) -> bytes:
    """A page without what differs per request: its own address (the language form's "next"), nonces."""
    body = body.replace(url.encode(), b"URL")
    body = re.sub(rb'nonce="[^"]*"', b'nonce=""', body)
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", body)


def _has_ids(route: Route) -> bool:
    return any(
        m["converter"] in ("uuid", "int") or m["name"].endswith("_id") for m in _PARAM.finditer(route.pattern)
    )


# --- the tests ----------------------------------------------------------------------------------------


def test_matrix_covers_every_route() -> None:
    routes = enumerate_routes()
    shadowed = {r.key: r.shadowed for r in routes.values() if r.shadowed}
    assert not shadowed, (
        f"API operations no request can reach (an earlier pattern takes their path): {shadowed}"
    )
    table_keys = {key for key, _method in EXPECTED}
    assert table_keys - routes.keys() == set(), "the matrix lists routes that do not exist"
    assert routes.keys() - table_keys == set(), (
        "routes missing from the matrix (add them to route_matrix_table.py)"
    )
    for route in routes.values():
        listed = {method for key, method in EXPECTED if key == route.key}
        if route.methods is not None:
            assert listed == set(route.methods), (
                f"{route.key}: the matrix has {listed}, the API answers {route.methods}"
            )
        else:
            assert "GET" in listed, f"{route.key}: the matrix has no GET row"
            signed_in = EXPECTED[(route.key, "GET")][1:]
            if 405 in signed_in:
                assert "POST" in listed, f"{route.key} answers only POST: the matrix needs its POST row"
    assert len(routes) >= 50  # the walk really went through the included URLconfs and the API


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_expected(role: str) -> None:
    cache.clear()  # the triage rate limit counts per address
    world = build_world(role)
    client = client_for(world, role)
    column = ROLES.index(role)
    routes = enumerate_routes()
    wrong: list[str] = []
    checked = 0
    for (key, method), row in EXPECTED.items():
        if (key, method, role) in KNOWN_BUGS:
            continue  # asserted, xfail, by test_known_product_bugs
        route = routes[key]
        url = world.url(route)
        response, body = send(client, world, route, method, url)
        checked += 1
        if (problem := judge(row[column], route, method, url, response, body)) is not None:
            wrong.append(problem)
            continue
        if role == "other_patient" and row[column] == 404 and _has_ids(route):
            # Another patient's object answers exactly as an object that does not exist.
            fake_url = world.url(route, fake_ids=True)
            fake, fake_body = send(client, world, route, method, fake_url)
            same = (
                fake_body == body
                if url.startswith("/api/")
                else _normalise(fake_body, fake_url) == _normalise(body, url)
            )
            if fake.status_code != 404 or not same:
                wrong.append(f"{method} {key}: another patient's object and a missing one answer differently")
    assert checked == len(EXPECTED) - sum(1 for bug in KNOWN_BUGS if bug[2] == role)
    assert not wrong, f"{len(wrong)} of {checked} answers are wrong for {role}:\n" + "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "method", "role"),
    [pytest.param(*bug, marks=pytest.mark.xfail(strict=True, reason=why)) for bug, why in KNOWN_BUGS.items()],
)
def test_known_product_bugs(key: str, method: str, role: str) -> None:
    world = build_world(role)
    route = enumerate_routes()[key]
    url = world.url(route)
    response, body = send(client_for(world, role), world, route, method, url)
    assert judge(EXPECTED[(key, method)][ROLES.index(role)], route, method, url, response, body) is None


@pytest.mark.django_db
def test_a_consultant_exports_only_the_consented_documents() -> None:
    """The packet a consultant may download holds the consented document, never the others."""
    world = build_world("consultant_assigned")
    client = client_for(world, "consultant_assigned")
    response = client.get(f"/cases/{world.case.pk}/export/")
    assert response.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()  # type: ignore[attr-defined]
    assert len(names) == 2, names  # the summary and the one consented document
    from secondopinion.core.models import AuditEvent

    export_row = (
        AuditEvent.objects.filter(action="packet.export", case_id=world.case.pk).order_by("-seq").first()
    )
    assert export_row is not None and export_row.purpose == "TREAT"  # a consultant's purpose of use
    hidden = world.extra["unshared_document"]
    assert client.get(f"/cases/documents/{hidden.pk}/download/").status_code == 404
    owner_names = zipfile.ZipFile(
        io.BytesIO(
            b"".join(client_for(world, "owner").get(f"/cases/{world.case.pk}/export/").streaming_content)
        )  # type: ignore[attr-defined]
    ).namelist()
    assert len(owner_names) == 3, owner_names


SEES_THE_CASE = {"owner", "companion", "consultant_assigned", "coordinator", "referrer"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_case_lists_show_a_case_only_to_those_who_may_see_it(role: str) -> None:
    """An unverified clinician, an admin, a revoked companion… sees nothing of the case, even in lists."""
    world = build_world(role)
    client = client_for(world, role)
    page = client.get("/cases/")
    api = client.get("/api/v1/cases")
    assert page.status_code == 200 and api.status_code == 200
    listed = {item["id"] for item in api.json()}
    if role in SEES_THE_CASE:
        assert CASE_TITLE in page.content.decode()
        assert str(world.case.pk) in listed
    else:
        assert CASE_TITLE not in page.content.decode()
        assert str(world.case.pk) not in listed
        if role != "other_patient":
            assert listed == set()
