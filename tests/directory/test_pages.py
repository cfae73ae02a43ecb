"""The directory's web pages through HTTP: search, profile, asking for an opinion, centers, my profile."""

from __future__ import annotations

from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from secondopinion.accounts.models import ClinicianProfile, Role
from secondopinion.consults.models import ConsultantProfile, Program
from secondopinion.core.models import AuditEvent
from secondopinion.core.reference import cancer_centers
from secondopinion.directory.actions import sync_centers
from secondopinion.directory.centers import nearest_centers
from secondopinion.directory.models import CancerFocus, FocusSource, Organization
from tests.directory.people import link_account, make_practitioner
from tests.factories import login, make_case, make_user

pytestmark = pytest.mark.django_db

RURAL_ZIP = "59301"  # Miles City, Montana: Billings is ~140 miles away, every comprehensive center 400+


@pytest.fixture
def montana():
    """Two medical oncologists in Billings (one offers video), a hematologist-oncologist in Billings
    (secondary slot), and one in Minneapolis (far outside 200 miles)."""
    return {
        "video": make_practitioner("140000001", "Okafor", "Helen", video=True, languages=("en", "es")),
        "office": make_practitioner("140000002", "Lindqvist", "Anna"),
        "hemonc": make_practitioner("140000003", "Begay", "Tom", codes=("207RI0200X", "207RH0003X")),
        "far": make_practitioner("140000004", "Svensson", "Eric", place=("Minneapolis", "MN", "55455")),
    }


def search(client: Client, **params: str):
    return client.get(reverse("directory:search"), params)


def npis(response) -> list[str]:
    return [r["npi"] for r in response.context["results"]]


def test_empty_search_page_asks_without_searching(client: Client, montana) -> None:
    response = search(client)
    assert response.status_code == 200
    assert response.context["searched"] is False
    assert 'id="results"' not in response.content.decode()


def test_medical_oncologist_near_rural_zip_within_200_miles(client: Client, montana) -> None:
    response = search(client, specialty="medical oncologist", near=RURAL_ZIP, radius_miles="200")
    assert response.status_code == 200
    found = npis(response)
    assert set(found) == {montana["video"].npi, montana["office"].npi, montana["hemonc"].npi}
    # primary-specialty matches rank before the one whose match is in a secondary slot
    assert found[-1] == montana["hemonc"].npi
    body = response.content.decode()
    assert "Medical Oncology" in body
    assert "miles away" in body
    # rural: every comprehensive center is far, so the nearest ones are offered
    rural = response.context["rural"]
    assert rural is not None and rural["centers"][0].distance_miles > 100
    assert 'id="rural-centers"' in body


def test_video_filter_keeps_only_video_visits(client: Client, montana) -> None:
    response = search(client, specialty="medical oncologist", near=RURAL_ZIP, radius_miles="200", video="on")
    assert npis(response) == [montana["video"].npi]
    assert response.context["results"][0]["offers_video"] is True


def test_language_filter(client: Client, montana) -> None:
    response = search(client, specialty="medical oncologist", language="es")
    assert npis(response) == [montana["video"].npi]


def test_city_state_near(client: Client, montana) -> None:
    response = search(client, specialty="medical oncologist", near="Billings, MT", radius_miles="25")
    assert montana["video"].npi in npis(response)
    assert montana["far"].npi not in npis(response)


def test_near_city_has_no_rural_box(client: Client, montana) -> None:
    response = search(client, specialty="medical oncologist", near="55455")
    assert response.context["rural"] is None


@pytest.mark.parametrize(
    ("params", "field", "text"),
    [
        ({"specialty": "medical oncolgist"}, "specialty", "No specialty is known as 'medical oncolgist'."),
        ({"specialty": "oncologist", "near": "00000"}, "near", "00000"),
        ({"specialty": "oncologist", "radius_miles": "50"}, "near", "Say near which"),
        ({"radius_miles": "7"}, "radius_miles", "Please choose one of the options shown."),
        ({"name": "!!!"}, "name", "no letters"),
    ],
)
def test_bad_search_input_is_a_field_error(client: Client, montana, params, field, text) -> None:
    response = search(client, **params)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert text in " ".join(errors[field])
    assert response.context["results"] == []


def test_pages_of_results(client: Client) -> None:
    for n in range(25):
        make_practitioner(f"15000{n:04d}", f"Adams{chr(97 + n)}", "Lee")
    first = search(client, specialty="medical oncologist")
    assert len(first.context["results"]) == 20
    assert first.context["next_url"]
    second = client.get(reverse("directory:search") + first.context["next_url"])
    assert len(second.context["results"]) == 5
    assert not set(npis(first)) & set(npis(second))
    assert second.context["previous_url"]


def test_practitioner_page(client: Client, montana) -> None:
    practitioner = montana["hemonc"]
    CancerFocus.objects.create(practitioner=practitioner, cancer_type="Leukemia", source=FocusSource.PROFILE)
    response = client.get(reverse("directory:practitioner", args=[practitioner.npi]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tom Begay, MD" in body
    assert "Hematology &amp; Oncology" in body
    assert "406-555-0100" in body
    assert "Leukemia" in body
    assert "not take requests through secondopinion yet" in body


@pytest.mark.parametrize("npi", ["1234567890", "12345", "abcdefghij"])
def test_unknown_practitioner_is_404(client: Client, npi: str) -> None:
    assert client.get(reverse("directory:practitioner", args=[npi])).status_code == 404


def test_start_request_needs_an_account(client: Client, montana) -> None:
    response = client.get(reverse("ask:practitioner", args=[montana["video"].npi]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_start_request_to_a_practitioner_on_the_service(client: Client, montana) -> None:
    practitioner = montana["video"]
    consultant = link_account(make_user(Role.CONSULTANT, name="Dr. Helen Okafor"), practitioner)
    patient = make_user(Role.PATIENT)
    case = make_case(patient, title="My lymphoma")
    login(client, patient)
    profile = client.get(reverse("directory:practitioner", args=[practitioner.npi]))
    assert "takes second-opinion requests through secondopinion" in profile.content.decode()

    response = client.get(reverse("ask:practitioner", args=[practitioner.npi]))
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    assert url.path == reverse("consults:new", args=[case.pk])
    assert parse_qs(url.query)["target"] == [f"consultant:{consultant.pk}"]
    form = client.get(response["Location"]).context["form"]
    assert form.initial["target"] == f"consultant:{consultant.pk}"


def test_start_request_with_several_cases_asks_which(client: Client, montana) -> None:
    practitioner = montana["video"]
    link_account(make_user(Role.CONSULTANT), practitioner)
    patient = make_user(Role.PATIENT)
    cases = [make_case(patient, title="First"), make_case(patient, title="Second")]
    other = make_case(make_user(Role.PATIENT), title="Somebody else's")
    login(client, patient)
    response = client.get(reverse("ask:practitioner", args=[practitioner.npi]))
    assert response.status_code == 200
    links = [url for _, url in response.context["cases"]]
    assert {urlsplit(u).path for u in links} == {reverse("consults:new", args=[c.pk]) for c in cases}
    assert str(other.pk) not in response.content.decode()


def test_start_request_without_a_case_says_start_one(client: Client, montana) -> None:
    link_account(make_user(Role.CONSULTANT), montana["video"])
    login(client, make_user(Role.PATIENT))
    response = client.get(reverse("ask:practitioner", args=[montana["video"].npi]))
    assert response.status_code == 200
    assert "First, start your case" in response.content.decode()


@pytest.mark.parametrize("why", ["unlinked", "pending", "refuses"])
def test_start_request_to_someone_not_taking_requests_explains(client: Client, montana, why: str) -> None:
    practitioner = montana["office"]
    if why == "pending":
        link_account(
            make_user(Role.CONSULTANT, clinician_status=ClinicianProfile.Status.PENDING), practitioner
        )
    if why == "refuses":
        consultant = link_account(make_user(Role.CONSULTANT), practitioner)
        ConsultantProfile.objects.create(user=consultant, accepts_requests=False)
    patient = make_user(Role.PATIENT)
    make_case(patient)
    login(client, patient)
    response = client.get(reverse("ask:practitioner", args=[practitioner.npi]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "does not take requests through secondopinion yet" in body
    assert "406-555-0100" in body


def test_centers_are_synced_from_the_reference_table() -> None:
    table = cancer_centers()
    assert Organization.objects.filter(npi__isnull=True).exclude(center_designation="").count() == len(table)
    assert sync_centers() == 0  # migrate already did it; a second run changes nothing


def test_nearest_centers_by_type_and_distance() -> None:
    lat, lon = 44.0224, -92.4699  # Rochester, MN
    centers = nearest_centers(lat, lon, designations=("nci-comprehensive",), limit=3)
    assert centers[0].name.startswith("Mayo Clinic")
    assert centers[0].distance_miles < 2
    assert [c.distance_miles for c in centers] == sorted(c.distance_miles for c in centers)
    assert all(c.designation == "nci-comprehensive" and c.organization_id for c in centers)
    clinical = nearest_centers(lat, lon, designations=("nci-clinical",), limit=5)
    assert clinical and all(c.designation == "nci-clinical" for c in clinical)


def test_center_finder_page(client: Client) -> None:
    response = client.get(reverse("directory:centers"), {"near": RURAL_ZIP, "center_type": "comprehensive"})
    assert response.status_code == 200
    centers = response.context["centers"]
    assert len(centers) == 10
    assert {c.designation for c in centers} == {"nci-comprehensive"}
    assert response.context["far"] is True
    near_mayo = client.get(reverse("directory:centers"), {"near": "Rochester, MN"})
    assert near_mayo.context["far"] is False
    assert near_mayo.context["centers"][0].name.startswith("Mayo Clinic")


@pytest.mark.parametrize(
    ("params", "field"), [({"near": "99999"}, "near"), ({"near": "59301", "center_type": "x"}, "center_type")]
)
def test_center_finder_bad_input(client: Client, params, field) -> None:
    response = client.get(reverse("directory:centers"), params)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["centers"] == []


def test_center_page_lists_its_programs(client: Client) -> None:
    center = Organization.objects.get(name__startswith="Mayo Clinic")
    program = Program.objects.create(name="Mayo Second Opinions", fee_notes="$500")
    center.programs.add(program)
    response = client.get(reverse("directory:center", args=[center.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mayo Second Opinions" in body and "Comprehensive" in body
    assert client.get(reverse("directory:center", args=[999999])).status_code == 404


@pytest.mark.parametrize("role", [Role.PATIENT, Role.COMPANION, Role.COORDINATOR, Role.REFERRING_PHYSICIAN])
def test_my_profile_is_for_consultants(client: Client, role: str) -> None:
    assert client.get(reverse("directory:my_profile")).status_code == 302
    login(client, make_user(role))
    assert client.get(reverse("directory:my_profile")).status_code == 404


def test_a_pending_or_second_account_with_the_npi_is_not_linked(client: Client, montana) -> None:
    practitioner = montana["office"]
    pending = link_account(
        make_user(Role.CONSULTANT, clinician_status=ClinicianProfile.Status.PENDING), practitioner
    )
    login(client, pending)
    response = client.get(reverse("directory:my_profile"))
    assert response.status_code == 200 and response.context["practitioner"] is None
    assert "Once your license is verified" in response.content.decode()
    first = link_account(make_user(Role.CONSULTANT), practitioner)
    second = link_account(make_user(Role.CONSULTANT), practitioner)
    login(client, second)
    assert client.get(reverse("directory:my_profile")).context["practitioner"] is None
    login(client, first)
    assert client.get(reverse("directory:my_profile")).context["practitioner"] == practitioner


def test_my_profile_saves_what_nppes_lacks(client: Client, montana) -> None:
    practitioner = montana["office"]
    consultant = link_account(make_user(Role.CONSULTANT), practitioner)
    login(client, consultant)
    page = client.get(reverse("directory:my_profile"))
    assert page.status_code == 200 and page.context["practitioner"] == practitioner
    response = client.post(
        reverse("directory:my_profile"),
        {
            "offers_video": "on",
            "languages": ["es", "en"],
            "cancer_focus": ["Hodgkin lymphoma", "Acute myeloid leukemia"],
        },
    )
    assert response.status_code == 302
    practitioner.refresh_from_db()
    assert practitioner.offers_video is True
    assert practitioner.accepts_second_opinions is False
    assert practitioner.languages == ["en", "es"]
    assert set(
        CancerFocus.objects.filter(practitioner=practitioner, source=FocusSource.PROFILE).values_list(
            "cancer_type", flat=True
        )
    ) == {"Hodgkin lymphoma", "Acute myeloid leukemia"}
    assert ConsultantProfile.objects.get(user=consultant).accepts_requests is False
    event = AuditEvent.objects.filter(action="directory.profile_update").get()
    assert event.actor_id == consultant.pk and event.entity_id == practitioner.npi


def test_my_profile_rejects_unknown_choices_and_saves_nothing(client: Client, montana) -> None:
    practitioner = montana["office"]
    login(client, link_account(make_user(Role.CONSULTANT), practitioner))
    response = client.post(reverse("directory:my_profile"), {"languages": ["xx"], "cancer_focus": ["Nope"]})
    assert response.status_code == 200
    assert {"languages", "cancer_focus"} <= set(response.context["form"].errors)
    practitioner.refresh_from_db()
    assert practitioner.languages == ["en"]
    assert not AuditEvent.objects.filter(action="directory.profile_update").exists()


def test_my_profile_without_a_directory_entry(client: Client) -> None:
    login(client, make_user(Role.CONSULTANT))  # NPI 1234567893 is not in this directory
    response = client.get(reverse("directory:my_profile"))
    assert response.status_code == 200
    assert "could not find your NPI" in response.content.decode()


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("JOHN O'BRIEN-SMITH III, MD", "John O'Brien-Smith III, MD"),
        ("MARÍA GARCÍA, M.D.", "María García, M.D."),
        ("Anna deVries, DO", "Anna deVries, DO"),  # mixed case is kept as written
        ("ANNA LEE", "Anna Lee"),
    ],
)
def test_register_capitals_are_shown_in_ordinary_case(text: str, shown: str) -> None:
    from secondopinion.directory.templatetags.directory_text import person_name

    assert person_name(text) == shown


def test_pages_show_register_names_in_ordinary_case(client: Client) -> None:
    doctor = make_practitioner("180000001", "O'BRIEN", "MARY", place=("LOS ANGELES", "CA", "90012"))
    response = search(client, name="obrien")
    body = unescape(response.content.decode())
    assert "Mary O'Brien, MD" in body and "Los Angeles, CA" in body
    assert response.context["results"][0]["name"] == "MARY O'BRIEN, MD"  # the data stays as registered
    page = unescape(client.get(reverse("directory:practitioner", args=[doctor.npi])).content.decode())
    assert '<h1 id="practitioner-name">Mary O\'Brien, MD</h1>' in page
