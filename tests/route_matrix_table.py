"""The role × route matrix: what every role must get from every route (see tests/test_route_matrix.py).

Keys are (route, method). A route is its URL name ("cases:detail") or, for a django-ninja path (one
view answering several methods), its full pattern ("api/v1/cases/<case_id>"). Every route the URL
resolver knows must be here, and every method a ninja path answers; a new route fails the matrix
until someone decides, here, what each role gets from it.

Cells: an HTTP status, or LOGIN (a redirect to the sign-in page). A plain 302 means a redirect
anywhere *except* the sign-in or second-factor pages. The object ids in the URLs are always the
owner's (their case, medicine, question, document, companion, token), so every other role is
asking for somebody else's data: the answer is 404, exactly as for an id that does not exist,
never 403. Admins never read health data. A companion may read (view) but never edit or manage.
"""

from __future__ import annotations

LOGIN = "login"

ROLES = (
    "anonymous",
    "owner",  # the patient who owns the case
    "other_patient",  # a patient with a case of their own
    "companion",  # invited by the owner, may view, active
    "companion_revoked",  # invited, accepted, then revoked by the owner
    "companion_expired",  # invited, accepted, access ended
    "consultant",  # a verified clinician (no consent to this case exists)
    "consultant_pending",  # a clinician whose licence is not verified yet
    "admin",
)

L = LOGIN
# fmt: off
#                     anon  owner other comp  rev   exp   cons  pend  admin
CASE_READ_PAGE =     (L,    200,  404,  200,  404,  404,  404,  404,  404)
CASE_EDIT_PAGE =     (L,    200,  404,  404,  404,  404,  404,  404,  404)
CASE_WRITE_POST =    (L,    302,  404,  404,  404,  404,  404,  404,  404)
POST_ONLY_GET =      (L,    405,  405,  405,  405,  405,  405,  405,  405)
SIGNED_IN_PAGE =     (L,    200,  200,  200,  200,  200,  200,  200,  200)
ADMIN_PAGE =         (L,    403,  403,  403,  403,  403,  403,  403,  200)
OPEN_PAGE =          (200,  200,  200,  200,  200,  200,  200,  200,  200)
ALL_302 =            (302,  302,  302,  302,  302,  302,  302,  302,  302)
API_READ =           (401,  200,  404,  200,  404,  404,  404,  404,  404)
API_CREATE =         (401,  201,  404,  404,  404,  404,  404,  404,  404)
API_UPDATE =         (401,  200,  404,  404,  404,  404,  404,  404,  404)
API_DELETE =         (401,  204,  404,  404,  404,  404,  404,  404,  404)

EXPECTED: dict[tuple[str, str], tuple[int | str, ...]] = {
    # --- site --------------------------------------------------------------------------------
    ("home", "GET"):                              (200,  302,  302,  302,  302,  302,  200,  200,  200),
    ("set_language", "GET"):                      ALL_302,
    # --- accounts ----------------------------------------------------------------------------
    ("accounts:login", "GET"):                    (200,  302,  302,  302,  302,  302,  302,  302,  302),
    ("accounts:logout", "GET"):                   (405,  405,  405,  405,  405,  405,  405,  405,  405),
    ("accounts:logout", "POST"):                  ALL_302,
    ("accounts:signup", "GET"):                   OPEN_PAGE,
    ("accounts:signup_clinician", "GET"):         OPEN_PAGE,
    ("accounts:verify_email", "GET"):             (L,    L,    L,    L,    L,    L,    L,    L,    L),
    ("accounts:mfa_setup", "GET"):                SIGNED_IN_PAGE,
    ("accounts:mfa_verify", "GET"):               SIGNED_IN_PAGE,
    ("accounts:account", "GET"):                  SIGNED_IN_PAGE,
    ("accounts:revoke_token", "GET"):             POST_ONLY_GET,
    ("accounts:revoke_token", "POST"):            CASE_WRITE_POST,  # the owner's token: only the owner
    ("accounts:clinician_reviews", "GET"):        ADMIN_PAGE,
    ("accounts:review_clinician", "GET"):         (L,    403,  403,  403,  403,  403,  403,  403,  405),
    ("accounts:review_clinician", "POST"):        (L,    403,  403,  403,  403,  403,  403,  403,  302),
    ("accounts:password_reset", "GET"):           OPEN_PAGE,
    ("accounts:password_reset_done", "GET"):      OPEN_PAGE,
    ("accounts:password_reset_confirm", "GET"):   OPEN_PAGE,  # a bad link: the "link not valid" page
    ("accounts:password_reset_complete", "GET"):  OPEN_PAGE,
    # --- cases -------------------------------------------------------------------------------
    ("cases:list", "GET"):                        SIGNED_IN_PAGE,
    ("cases:create", "GET"):                      (L,    200,  200,  200,  200,  200,  403,  403,  403),
    ("cases:detail", "GET"):                      CASE_READ_PAGE,
    ("cases:edit", "GET"):                        CASE_EDIT_PAGE,
    ("cases:edit", "POST"):                       CASE_WRITE_POST,
    ("cases:diagnosis", "GET"):                   CASE_EDIT_PAGE,
    ("cases:diagnosis", "POST"):                  CASE_WRITE_POST,
    ("cases:first_opinion", "GET"):               CASE_EDIT_PAGE,
    ("cases:first_opinion", "POST"):              CASE_WRITE_POST,
    ("cases:add_medicine", "GET"):                CASE_EDIT_PAGE,
    ("cases:add_medicine", "POST"):               CASE_WRITE_POST,
    ("cases:edit_medicine", "GET"):               CASE_EDIT_PAGE,
    ("cases:edit_medicine", "POST"):              CASE_WRITE_POST,
    ("cases:delete_medicine", "GET"):             POST_ONLY_GET,
    ("cases:delete_medicine", "POST"):            CASE_WRITE_POST,
    ("cases:add_question", "GET"):                CASE_EDIT_PAGE,
    ("cases:add_question", "POST"):               CASE_WRITE_POST,
    ("cases:edit_question", "GET"):               CASE_EDIT_PAGE,
    ("cases:edit_question", "POST"):              CASE_WRITE_POST,
    ("cases:move_question", "GET"):               POST_ONLY_GET,
    ("cases:move_question", "POST"):              CASE_WRITE_POST,
    ("cases:delete_question", "GET"):             POST_ONLY_GET,
    ("cases:delete_question", "POST"):            CASE_WRITE_POST,
    ("cases:upload", "GET"):                      CASE_EDIT_PAGE,
    ("cases:upload", "POST"):                     CASE_WRITE_POST,
    ("cases:download", "GET"):                    CASE_READ_PAGE,
    ("cases:delete_document", "GET"):             POST_ONLY_GET,
    ("cases:delete_document", "POST"):            CASE_WRITE_POST,
    ("cases:export", "GET"):                      CASE_READ_PAGE,
    ("cases:companions", "GET"):                  CASE_EDIT_PAGE,  # managing who sees the case
    ("cases:companions", "POST"):                 CASE_WRITE_POST,
    ("cases:revoke_companion", "GET"):            POST_ONLY_GET,
    ("cases:revoke_companion", "POST"):           CASE_WRITE_POST,  # not even the companion themself
    # An invitation not yet accepted, sent to an address no account has: a stranger may sign up
    # with it; a signed-in account with another address is told to switch accounts.
    ("cases:accept_invitation", "GET"):           (200,  403,  403,  403,  403,  403,  403,  403,  403),
    ("cases:access_log", "GET"):                  CASE_EDIT_PAGE,  # "who saw my records": owner only
    # --- triage ------------------------------------------------------------------------------
    ("triage:start", "GET"):                      OPEN_PAGE,
    ("triage:save", "GET"):                       ALL_302,  # back to the questions
    ("triage:signup", "GET"):                     ALL_302,  # no answers to keep: back to the questions
    ("triage:case", "GET"):                       CASE_EDIT_PAGE,
    ("triage:case", "POST"):                      CASE_WRITE_POST,
    # --- audit -------------------------------------------------------------------------------
    ("audit:search", "GET"):                      ADMIN_PAGE,
    # --- API: OpenAPI ------------------------------------------------------------------------
    ("api:openapi-json", "GET"):                  OPEN_PAGE,
    ("api:openapi-view", "GET"):                  OPEN_PAGE,
    ("api:api-root", "GET"):                      (404,  404,  404,  404,  404,  404,  404,  404,  404),
    # --- API: cases --------------------------------------------------------------------------
    ("api/v1/cases", "GET"):                      (401,  200,  200,  200,  200,  200,  200,  200,  200),
    ("api/v1/cases", "POST"):                     (401,  201,  201,  201,  201,  201,  403,  403,  403),
    ("api/v1/cases/<case_id>", "GET"):            API_READ,
    ("api/v1/cases/<case_id>", "PATCH"):          API_UPDATE,
    ("api/v1/cases/<case_id>/checklist", "GET"):  API_READ,
    ("api/v1/cases/<case_id>/medicines", "GET"):  API_READ,
    ("api/v1/cases/<case_id>/medicines", "POST"): API_CREATE,
    ("api/v1/medicines/<medicine_id>", "PATCH"):  API_UPDATE,
    ("api/v1/medicines/<medicine_id>", "DELETE"): API_DELETE,
    ("api/v1/cases/<case_id>/questions", "GET"):  API_READ,
    ("api/v1/cases/<case_id>/questions", "POST"): API_CREATE,
    ("api/v1/questions/<question_id>", "PATCH"):  API_UPDATE,
    ("api/v1/questions/<question_id>", "DELETE"): API_DELETE,
    ("api/v1/cases/<case_id>/documents", "GET"):  API_READ,
    ("api/v1/cases/<case_id>/documents", "POST"): API_CREATE,
    ("api/v1/documents/<document_id>", "GET"):    API_READ,
    ("api/v1/documents/<document_id>", "DELETE"): API_DELETE,
    ("api/v1/documents/<document_id>/content", "GET"): API_READ,
    # --- API: triage -------------------------------------------------------------------------
    ("api/v1/triage", "POST"):                    (200,  200,  200,  200,  200,  200,  200,  200,  200),
    ("api/v1/cases/<case_id>/triage", "GET"):     API_READ,
    ("api/v1/cases/<case_id>/triage", "POST"):    API_CREATE,
}
# fmt: on

assert all(len(row) == len(ROLES) for row in EXPECTED.values())
