"""Names vulture cannot see used, for `make lint` (configured in pyproject.toml, [tool.vulture]).

Vulture reads only the Python under src/ and tools/: it does not see what Django and django-ninja call
by name (hooks, settings' dotted paths, the URLconf in config/), what the templates read, nor the
fields the ORM, the forms and the API schemas fill in. Each group below says which of these it is.
A name here counts as used everywhere, so list a name only for the reason given above it.
"""

from __future__ import annotations


class _Anything:
    def __getattr__(self, name: str) -> None:
        return None


_ = _Anything()

# --- Django finds these by convention -------------------------------------------------------------
# AppConfig subclasses (apps.py) and their settings
_.AccountsConfig
_.CasesConfig
_.ConsultsConfig
_.CoreConfig
_.DemoConfig
_.DirectoryConfig
_.OpinionsConfig
_.OutcomesConfig
_.ReviewsConfig
_.TriageConfig
_.default_auto_field
_.ready
# management commands
_.Command
_.add_arguments
_.handle
_.help
_.requires_system_checks
_.stealth_options
# URLconfs
_.app_name
_.urlpatterns
# model and form Meta options, the custom user model's contract
_.abstract
_.constraints
_.help_texts
_.indexes
_.ordering
_.widgets
_.use_in_migrations
_.USERNAME_FIELD
_.EMAIL_FIELD
_.REQUIRED_FIELDS
_.create_superuser
_.is_staff

# --- config/ (not scanned) names these: settings by dotted path, the root URLconf by import ---------
_.ApiProblemMiddleware
_.AuditContextMiddleware
_.BearerTokenMiddleware
_.NoStoreMiddleware
_.SecondFactorRequiredMiddleware
_.BodylessExceptionReporter
_.StripRequestFilter
_.MaskSecretsFilter
_.MaskingGunicornLogger  # named in the serve command's gunicorn arguments
_.ConsoleBackend
_.home
_.favicon
_.not_found
_.forbidden
_.bad_request
_.server_error

# --- framework hooks our subclasses override (Django, django-ninja, the io and zipfile protocols) ----
_.clean_cancer_type  # Form.clean_<field>
_.clean_diagnosis_date
_.clean_email
_.clean_page
_.clean_since
_.clean_subject_birth_date
_.clean_username
_.has_changed  # BaseFormSet counts a row by it
_.validate_password_for_user  # SetPasswordForm
_.send_mail  # PasswordResetForm, with its signature's argument
_.html_email_template_name
_.extra_email_context  # PasswordResetView
_.authentication_form  # LoginView
_.redirect_authenticated_user
_.template_name
_.success_url
_.disabled  # form field attributes set in __init__
_.queryset
_.authenticate  # ninja's HttpBearer and APIKeyHeader
_.param_name
_.get_post_parameters  # SafeExceptionReporterFilter
_.get_safe_cookies
_.write_message  # the console e-mail backend
_._add_bodies  # EmailMessage
_.receive_data_chunk  # FileUploadHandler
_.file_complete
_.upload_complete
_.upload_interrupted
_.readall  # io.RawIOBase
_.seekable
_.writable
_.atexit  # weakref.finalize
_.compress_type  # zipfile.ZipInfo
_._cached_user  # what django.contrib.auth's middleware caches on the request
_._dont_enforce_csrf_checks  # what CsrfViewMiddleware reads (a bearer-token request has no cookie)
_.sender  # a signal receiver's argument

# --- read by the templates only -------------------------------------------------------------------
_.also_pending  # accounts/pages/clinician_reviews.html
_.back_url  # includes/pagination.html
_.complete  # cases/partials/checklist.html; ImportRun.complete, a model field
_.designation_label  # directory/pages/centers.html
_.diagnosis_fields  # opinions/pages/edit.html
_.dimensions  # opinions/pages/review.html
_.doctor_fields  # opinions/partials/first_opinion_form.html
_.finished  # cases/pages/detail.html
_.language_keeps_form  # includes/language_keeps_form.html
_.next_url  # includes/pagination.html
_.previous_url
_.question_rows  # opinions/pages/edit.html
_.score_fields  # reviews/pages/review_write.html
_.stage_fields  # opinions/pages/edit.html
_.stage_note  # opinions/partials/first_opinion_form.html
_.verified_elsewhere  # accounts/pages/clinician_reviews.html
_.what  # cases/pages/companions.html, cases/pages/access_log.html
_.who

# --- fields: of models (read by the ORM and the templates), forms and API schemas (filled and read by
# --- name), and records filled from data files; and choices members stored as values -----------------
_.BLOCKS
_.BOTH
_.CHILD
_.CLINICAL_NOTE
_.DEPENDENT
_.EXPERT_FINDER
_.FEMALE
_.MALE
_.SELF
_.SLIDES
_.UNKNOWN
_.SURGERY
_.RADIATION
_.CHEMOTHERAPY
_.HORMONE_THERAPY
_.IMMUNOTHERAPY
_.TARGETED_THERAPY
_.CLINICAL_TRIAL
_.about
_.accepts_requests
_.acknowledged_at
_.already_treated
_.attachment_sha256
_.body_site
_.body_site_code
_.body_site_system
_.cancer_type_code
_.cancer_type_system
_.class_
_.classification
_.clinical_note
_.comfortable
_.communication
_.date_joined
_.description
_.dicom_files
_.doctor_experience
_.explaining_options
_.family_name_key
_.first_diagnosis
_.first_doctor_institution
_.first_doctor_specialty
_.first_plan
_.first_plan_modalities
_.flagged_by
_.frequency
_.given_name_key
_.grouping
_.histology_text
_.inserted
_.invited_by
_.is_supplement
_.metastatic
_.moderated_by
_.nppes_hash
_.opened_at
_.options_considered
_.otp_token
_.password1
_.password2
_.pathology_definite
_.pediatric
_.preferred_language
_.previous_request
_.primary_taxonomy
_.reporter
_.results_unclear
_.review_note
_.reviewed_at
_.reviewed_by
_.since
_.site_text
_.snapshot
_.source_url
_.specialization
_.stage_system
_.stage_type
_.started_at
_.stated_class
_.stated_diagnosis
_.stated_stage
_.stated_treatment
_.states_licensed
_.style
_.summary_plain
_.taxonomy_codes
_.time_given
_.total_compressed
_.total_uncompressed
_.tracking_number
_.treatment_received_notes
_.trials
_.unchanged
_.unsure_about_options
_.until
_.updated
_.updated_at
_.uploaded_by
# audit vocabularies: members no code records yet (the vocabulary is the standard's, kept whole)
_.CASE_DELETE
_.BREAK_GLASS

# --- Kept with no caller in the product yet, each for its reason ---------------------------------------
# The patient's "stop sharing" of a first doctor's link: the tested write that the revoke page will call.
_.revoke_share
# The size of an encrypted file for a plaintext size: the format's own arithmetic, which the tests and the
# upload benchmark check stored files against.
_.encrypted_size
