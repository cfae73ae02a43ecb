"""The specialist directory, close to FHIR Plan-Net (Practitioner, Organization, Location, PractitionerRole).

Directory data is public register data, not patient health data: no access gateway, but every write goes
through `actions.py`. Rows loaded from NPPES keep `nppes_hash`, a digest of the NPPES fields they were built
from, so a re-import can tell unchanged rows from updated ones without comparing every column.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CenterDesignation(models.TextChoices):
    NCI_COMPREHENSIVE = "nci-comprehensive", _("NCI-designated Comprehensive Cancer Center")
    NCI_CLINICAL = "nci-clinical", _("NCI-designated Clinical Cancer Center")
    NCI_BASIC = "nci-basic", _("NCI-designated Basic Laboratory Cancer Center")
    COMMUNITY = "community", _("Community cancer program")
    NONE = "", _("No cancer-center designation")


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    UNKNOWN = "", "Not recorded"


class Location(models.Model):
    """A physical place (Plan-Net Location). Shared by everyone at the same address: `address_key` is a digest
    of the normalised address lines, city, state and ZIP."""

    address_key = models.CharField(max_length=32, unique=True)
    line1 = models.CharField(max_length=200, blank=True)
    line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=40, blank=True)
    zip5 = models.CharField(max_length=5, blank=True, db_index=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, default="US")
    phone = models.CharField(max_length=30, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["latitude", "longitude"], name="dir_location_latlon")]

    def __str__(self) -> str:
        return f"{self.line1}, {self.city}, {self.state} {self.zip5}"


class Organization(models.Model):
    """A provider organization (NPPES entity type 2) or a cancer center entered by an admin (no NPI)."""

    npi = models.CharField(max_length=10, unique=True, null=True, blank=True)
    name = models.CharField(max_length=300)
    name_key = models.CharField(max_length=300, blank=True, db_index=True)
    center_designation = models.CharField(
        max_length=20, choices=CenterDesignation.choices, default=CenterDesignation.NONE, blank=True
    )
    taxonomy_codes = models.JSONField(default=list, blank=True)
    primary_taxonomy = models.CharField(max_length=10, blank=True, db_index=True)
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.SET_NULL)
    active = models.BooleanField(default=True)
    deactivated_on = models.DateField(null=True, blank=True)
    nppes_hash = models.CharField(max_length=32, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name


class Practitioner(models.Model):
    """An individual provider (NPPES entity type 1). Profile fields (languages, video, second opinions, cancer
    focus) are not in NPPES: they come from verified consultants' profiles, admins, or the generator."""

    npi = models.CharField(max_length=10, unique=True)
    family_name = models.CharField(max_length=100, blank=True)
    given_name = models.CharField(max_length=100, blank=True)
    middle_name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=20, blank=True)
    suffix = models.CharField(max_length=20, blank=True)
    credentials = models.CharField(max_length=100, blank=True)
    # Lower-case ASCII letters only ("O'Brien-Smith" -> "obriensmith"): the key for name-prefix search.
    family_name_key = models.CharField(max_length=100, blank=True, db_index=True)
    given_name_key = models.CharField(max_length=100, blank=True, db_index=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    active = models.BooleanField(default=True)
    deactivated_on = models.DateField(null=True, blank=True)
    accepts_second_opinions = models.BooleanField(default=False)
    offers_video = models.BooleanField(default=False)
    languages = models.JSONField(default=list, blank=True)  # BCP 47 / ISO 639-1 codes, e.g. ["en", "es"]
    states_licensed = models.JSONField(default=list, blank=True)  # two-letter state codes
    nppes_hash = models.CharField(max_length=32, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["family_name_key", "given_name_key"], name="dir_practitioner_name")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = " ".join(p for p in (self.given_name, self.middle_name, self.family_name) if p)
        return f"{name}, {self.credentials}" if self.credentials else name


class RoleSource(models.TextChoices):
    NPPES = "nppes", "NPPES"
    PROFILE = "profile", "Practitioner's profile"
    ADMIN = "admin", "Admin"


class PractitionerRole(models.Model):
    """Where (and for which organization) a practitioner works. NPPES gives one practice location per NPI."""

    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="roles")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="roles"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.SET_NULL, related_name="roles"
    )
    source = models.CharField(max_length=10, choices=RoleSource.choices, default=RoleSource.NPPES)
    active = models.BooleanField(default=True)


class PractitionerSpecialty(models.Model):
    """One NPPES taxonomy slot (1-15): a NUCC code, the primary switch and the licence given with it."""

    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="specialties")
    nucc_code = models.CharField(max_length=10)
    primary = models.BooleanField(default=False)
    slot = models.PositiveSmallIntegerField()
    license_number = models.CharField(max_length=40, blank=True)
    license_state = models.CharField(max_length=2, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practitioner", "slot"], name="dir_specialty_slot_unique"),
            models.CheckConstraint(
                condition=models.Q(slot__gte=1, slot__lte=15), name="dir_specialty_slot_range"
            ),
        ]
        indexes = [models.Index(fields=["nucc_code", "primary"], name="dir_specialty_code")]


class FocusSource(models.TextChoices):
    PROFILE = "profile", "Practitioner's profile"
    ADMIN = "admin", "Admin"
    GENERATOR = "generator", "Generated (demo data)"
    EXPERT_FINDER = "expert_finder", "Expert finder (publications)"


class CancerFocus(models.Model):
    """A cancer type a practitioner treats: an OncoTree code (e.g. BRCA) or a triage everyday name."""

    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="cancer_focus")
    cancer_type = models.CharField(max_length=100, db_index=True)
    source = models.CharField(max_length=20, choices=FocusSource.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practitioner", "cancer_type", "source"], name="dir_cancer_focus_unique"
            )
        ]


class ImportRun(models.Model):
    """Checkpoint of an NPPES import: the file (size, mtime, header digest), rows committed, counts so far."""

    path = models.CharField(max_length=1000)
    size = models.BigIntegerField()
    mtime = models.FloatField()
    header_hash = models.CharField(max_length=64)
    rows_done = models.BigIntegerField(default=0)
    counts = models.JSONField(default=dict)
    complete = models.BooleanField(default=False)
    # A first import into empty tables: the indexes and triggers it set aside until its end (`empty_load`).
    deferred = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
