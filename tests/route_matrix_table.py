# ruff: noqa: E501 - a table: one row per route, one column per role
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

Consults and opinions (tests/route_matrix_world.py builds them): request R on the owner's case is in
progress, assigned by the coordinator to `consultant_assigned`; request S was completed by that
consultant's signed opinion. A consultant or coordinator reads the case's packet and exactly the
consented documents only while a consent is active (`consultant_ended`: revoked); the request, its
thread and the consultant's own opinion stay theirs. Only the owner shares, decides or asks.

The `referrer` is the owner's own doctor (a verified referring physician) holding the owner's accepted
grant "may ask for second opinions for me": they read the packet and its documents, start requests
(new page, form, API), see the requests' status and history but not the thread, add codes to the first
opinion; they never edit the packet, manage companions or consents, cancel, or read second opinions.
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
    "consultant_assigned",  # verified, assigned to the owner's requests, with an active consent
    "consultant_ended",  # the same consultant once the owner revoked the consents
    "coordinator",  # verified coordinator of the requests' program
    "referrer",  # a verified referring physician the owner allowed to ask for second opinions
)

L = LOGIN
# fmt: off
#                     anon  owner other comp  rev   exp   cons  pend  admin assd  endd  coord ref
CASE_READ_PAGE =     (L,    200,  404,  200,  404,  404,  404,  404,  404,  200,  404,  200,  200)
CASE_EDIT_PAGE =     (L,    200,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404)
CASE_WRITE_POST =    (L,    302,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404)
POST_ONLY_GET =      (L,    405,  405,  405,  405,  405,  405,  405,  405,  405,  405,  405,  405)
SIGNED_IN_PAGE =     (L,    200,  200,  200,  200,  200,  200,  200,  200,  200,  200,  200,  200)
ADMIN_PAGE =         (L,    403,  403,  403,  403,  403,  403,  403,  200,  403,  403,  403,  403)
OPEN_PAGE =          (200,  200,  200,  200,  200,  200,  200,  200,  200,  200,  200,  200,  200)
ALL_302 =            (302,  302,  302,  302,  302,  302,  302,  302,  302,  302,  302,  302,  302)
API_READ =           (401,  200,  404,  200,  404,  404,  404,  404,  404,  200,  404,  200,  200)
API_CREATE =         (401,  201,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404)
API_UPDATE =         (401,  200,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404)
API_DELETE =         (401,  204,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404)
# The request R (in progress): its page and history stay with the consultant after the consent ends.
REQUEST_PAGE =       (L,    200,  404,  200,  404,  404,  404,  404,  404,  200,  200,  200,  200)
CONSULTANT_PAGE =    (L,    404,  404,  404,  404,  404,  404,  404,  404,  200,  200,  404,  404)
CONSULTANT_POST =    (L,    404,  404,  404,  404,  404,  404,  404,  404,  302,  302,  404,  404)
# Writing or signing an opinion needs the patient's records shared: once sharing ended, the form comes back
# with the reason (200) and the API answers 409 sharing_ended.
OPINION_WRITE_POST = (L,    404,  404,  404,  404,  404,  404,  404,  404,  302,  200,  404,  404)
API_OPINION_WRITE =  (401,  404,  404,  404,  404,  404,  404,  404,  404,  200,  409,  404,  404)
COORDINATOR_PAGE =   (L,    404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  200,  404)
COORDINATOR_POST =   (L,    404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  302,  404)
# Who writes in the thread: the owner, a companion who may ask (ours may only view), the handlers.
MESSAGE_POST =       (L,    302,  404,  404,  404,  404,  404,  404,  404,  302,  302,  302,  404)
# A signed opinion: the case's readers, and its author also after the consent ended. The opinion is
# on request S, sent to the consultant by name: the coordinator (of R's program) does not see it.
SIGNED_OPINION =     (L,    200,  404,  200,  404,  404,  404,  404,  404,  200,  200,  404,  404)
# Codes on the first opinion: the clinicians who see the case — the referrer too (issue 3, item 7).
CLINICIAN_CODES =    (L,    404,  404,  404,  404,  404,  404,  404,  404,  200,  404,  200,  200)
API_REQUEST_READ =   (401,  200,  404,  200,  404,  404,  404,  404,  404,  200,  200,  200,  200)
# The owner asks for second opinions, and so does the referrer (the owner's own doctor, with the owner's
# consent): a new request's page, its form, the API.
REQUEST_NEW_PAGE =   (L,    200,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  200)
REQUEST_NEW_POST =   (L,    302,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  302)
API_REQUEST_CREATE = (401,  201,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  201)
# The thread between the patient's side and the handlers: the referrer sees the request's status and
# history, not the messages (nor their attachments).
API_THREAD_READ =    (401,  200,  404,  200,  404,  404,  404,  404,  404,  200,  200,  200,  404)
THREAD_ATTACHMENT =  (L,    200,  404,  200,  404,  404,  404,  404,  404,  200,  404,  200,  404)
API_CONSULTANT =     (401,  404,  404,  404,  404,  404,  404,  404,  404,  200,  200,  404,  404)

EXPECTED: dict[tuple[str, str], tuple[int | str, ...]] = {
    # --- site --------------------------------------------------------------------------------
    # Each role lands on its work (issue 11): one place of work is a redirect to it; the admin's two queues
    # (clinician verification, review moderation) are listed on the page.
    ("home", "GET"):                              (200,  302,  302,  302,  302,  302,  302,  302,  200,  302,  302,  302,  302),
    ("favicon", "GET"):                           (301,  301,  301,  301,  301,  301,  301,  301,  301,  301,  301,  301,  301),
    ("set_language", "GET"):                      ALL_302,
    # --- accounts ----------------------------------------------------------------------------
    ("accounts:login", "GET"):                    (200,  302,  302,  302,  302,  302,  302,  302,  302,  302,  302,  302,  302),
    ("accounts:logout", "GET"):                   (405,  405,  405,  405,  405,  405,  405,  405,  405,  405,  405,  405,  405),
    ("accounts:logout", "POST"):                  ALL_302,
    ("accounts:signup", "GET"):                   OPEN_PAGE,
    ("accounts:signup_clinician", "GET"):         OPEN_PAGE,
    ("accounts:verify_email", "GET"):             (L,    L,    L,    L,    L,    L,    L,    L,    L,    L,    L,    L,  L),
    ("accounts:mfa_setup", "GET"):                SIGNED_IN_PAGE,
    ("accounts:mfa_verify", "GET"):               SIGNED_IN_PAGE,
    ("accounts:account", "GET"):                  SIGNED_IN_PAGE,
    ("accounts:revoke_token", "GET"):             POST_ONLY_GET,
    ("accounts:revoke_token", "POST"):            CASE_WRITE_POST,  # the owner's token: only the owner
    ("accounts:clinician_reviews", "GET"):        ADMIN_PAGE,
    ("accounts:review_clinician", "GET"):         (L,    403,  403,  403,  403,  403,  403,  403,  405,  403,  403,  403,  403),
    ("accounts:review_clinician", "POST"):        (L,    403,  403,  403,  403,  403,  403,  403,  302,  403,  403,  403,  403),
    ("accounts:password_reset", "GET"):           OPEN_PAGE,
    ("accounts:password_reset_done", "GET"):      OPEN_PAGE,
    ("accounts:password_reset_confirm", "GET"):   OPEN_PAGE,  # a bad link: the "link not valid" page
    ("accounts:password_reset_complete", "GET"):  OPEN_PAGE,
    # --- cases -------------------------------------------------------------------------------
    ("cases:list", "GET"):                        SIGNED_IN_PAGE,
    ("cases:create", "GET"):                      (L,    200,  200,  200,  200,  200,  403,  403,  403,  403,  403,  403,  403),
    ("cases:detail", "GET"):                      CASE_READ_PAGE,
    ("cases:edit", "GET"):                        CASE_EDIT_PAGE,
    ("cases:edit", "POST"):                       CASE_WRITE_POST,
    ("cases:diagnosis", "GET"):                   CASE_EDIT_PAGE,
    ("cases:diagnosis", "POST"):                  CASE_WRITE_POST,
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
    ("cases:accept_invitation", "GET"):           (200,  403,  403,  403,  403,  403,  403,  403,  403,  403,  403,  403,  403),
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
    ("api:api-root", "GET"):                      (404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404),
    # --- API: cases --------------------------------------------------------------------------
    ("api/v1/cases", "GET"):                      (401,  200,  200,  200,  200,  200,  200,  200,  200,  200,  200,  200,  200),
    ("api/v1/cases", "POST"):                     (401,  201,  201,  201,  201,  201,  403,  403,  403,  403,  403,  403,  403),
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
    ("api/v1/triage", "POST"):                    (200,  200,  200,  200,  200,  200,  200,  200,  200,  200,  200,  200,  200),
    # --- API: directory (public provider data, no account) -----------------------------------
    ("api/v1/directory/practitioners", "GET"):    OPEN_PAGE,
    # --- API: FHIR Plan-Net (public directory data, no account; docs/fhir-plannet.md) ---------
    ("api/v1/fhir/metadata", "GET"):              OPEN_PAGE,
    ("api/v1/fhir/Practitioner", "GET"):          OPEN_PAGE,
    ("api/v1/fhir/Practitioner/<npi>", "GET"):    OPEN_PAGE,
    ("api/v1/fhir/PractitionerRole", "GET"):      OPEN_PAGE,
    ("api/v1/fhir/PractitionerRole/<role_id>", "GET"): OPEN_PAGE,
    ("api/v1/fhir/Organization", "GET"):          OPEN_PAGE,
    ("api/v1/fhir/Organization/<organization_id>", "GET"): OPEN_PAGE,
    ("api/v1/fhir/Location", "GET"):              OPEN_PAGE,
    ("api/v1/fhir/Location/<location_id>", "GET"): OPEN_PAGE,
    # --- Directory pages (public provider data; asking and my-profile need an account) ----------
    # The world's practitioner is not linked to any account, so "ask" explains how to reach them (200).
    # My profile is for consultant roles; their NPI is not in the world's directory: a page says so.
    ("directory:search", "GET"):                  OPEN_PAGE,
    ("directory:practitioner", "GET"):            OPEN_PAGE,
    ("ask:practitioner", "GET"):           SIGNED_IN_PAGE,
    ("directory:centers", "GET"):                 OPEN_PAGE,
    ("directory:center", "GET"):                  OPEN_PAGE,
    ("directory:my_profile", "GET"):              (L,    404,  404,  404,  404,  404,  200,  200,  404,  200,  200,  404,  404),
    ("directory:my_profile", "POST"):             (L,    404,  404,  404,  404,  404,  200,  200,  404,  200,  200,  404,  404),
    # --- Directory: reviews and moderation (docs/directory-reviews.md) ------------------------------------
    # Only the case owner of a completed consult with the practitioner (or center) may review. The world's
    # practitioner and center are linked to none of the owner's consults, so everyone gets the page that says
    # who may review (200) and a refused POST (403). The world's review (by the owner, of another
    # practitioner) may be reported by anyone signed in: the bodies are empty, so the form comes back with
    # its errors (200). Moderation is for admins only (403 to everyone else, as the other admin pages).
    ("reviews:review_practitioner", "GET"):     SIGNED_IN_PAGE,
    ("reviews:review_practitioner", "POST"):    (L,    403,  403,  403,  403,  403,  403,  403,  403,  403,  403,  403,  403),
    ("reviews:review_center", "GET"):           SIGNED_IN_PAGE,
    ("reviews:review_center", "POST"):          (L,    403,  403,  403,  403,  403,  403,  403,  403,  403,  403,  403,  403),
    ("reviews:report_review", "GET"):           SIGNED_IN_PAGE,
    ("reviews:report_review", "POST"):          SIGNED_IN_PAGE,
    ("reviews:moderation", "GET"):              ADMIN_PAGE,
    ("reviews:moderate_review", "GET"):         ADMIN_PAGE,
    ("reviews:moderate_review", "POST"):        ADMIN_PAGE,
    ("api/v1/cases/<case_id>/triage", "GET"):     API_READ,
    ("api/v1/cases/<case_id>/triage", "POST"):    API_CREATE,
    # --- consults: clinicians' lists -----------------------------------------------------------------------
    # Any clinician account has an inbox (an unverified one sees it empty: the gateway opens nothing).
    ("consults:inbox", "GET"):                    (L,    404,  404,  404,  404,  404,  200,  200,  404,  200,  200,  200,  200),
    ("consults:program", "GET"):                  COORDINATOR_PAGE,
    # --- consults: the owner's request R (a pathology review, in progress) ---------------------------------
    ("consults:new", "GET"):                      REQUEST_NEW_PAGE,
    ("consults:new", "POST"):                     REQUEST_NEW_POST,
    ("consults:detail", "GET"):                   REQUEST_PAGE,
    ("consults:move", "GET"):                     POST_ONLY_GET,
    # Whoever sees the request may post; the state machine refuses a move they may not make (back to
    # the page with the reason): the owner and the coordinator may not put it on hold, the companion
    # moves nothing.
    ("consults:move", "POST"):                    (L,    302,  404,  302,  404,  404,  404,  404,  404,  302,  302,  302,  302),
    ("consults:post_message", "GET"):             POST_ONLY_GET,
    ("consults:post_message", "POST"):            MESSAGE_POST,
    # The owner's attachment is a record: the consultant loses it with the consent.
    ("consults:message_attachment", "GET"):       THREAD_ATTACHMENT,
    ("consults:consent", "GET"):                  POST_ONLY_GET,
    ("consults:consent", "POST"):                 CASE_WRITE_POST,
    ("consults:revoke_consent", "GET"):           POST_ONLY_GET,
    ("consults:revoke_consent", "POST"):          CASE_WRITE_POST,
    ("consults:assign", "GET"):                   POST_ONLY_GET,
    ("consults:assign", "POST"):                  COORDINATOR_POST,
    ("consults:propose_slots", "GET"):            POST_ONLY_GET,
    ("consults:propose_slots", "POST"):           CONSULTANT_POST,
    ("consults:choose_slot", "GET"):              POST_ONLY_GET,
    ("consults:choose_slot", "POST"):             CASE_WRITE_POST,  # (already chosen: refused, back)
    ("consults:slot_ics", "GET"):                 REQUEST_PAGE,
    ("consults:request_material", "GET"):         POST_ONLY_GET,
    ("consults:request_material", "POST"):        CONSULTANT_POST,
    ("consults:advance_shipment", "GET"):         POST_ONLY_GET,
    ("consults:advance_shipment", "POST"):        (L,    302,  404,  404,  404,  404,  404,  404,  404,  302,  302,  404,  404),
    ("consults:flag_urgent", "GET"):              POST_ONLY_GET,
    ("consults:flag_urgent", "POST"):             CONSULTANT_POST,
    # --- opinions: R's draft (the consultant's), S's signed opinion, the case's opinion pages ----------
    ("opinions:edit", "GET"):                     CONSULTANT_PAGE,
    ("opinions:edit", "POST"):                    OPINION_WRITE_POST,
    ("opinions:review", "GET"):                   CONSULTANT_PAGE,
    ("opinions:review", "POST"):                  OPINION_WRITE_POST,  # signs: to the signed opinion
    ("opinions:detail", "GET"):                   SIGNED_OPINION,
    ("opinions:pdf", "GET"):                      SIGNED_OPINION,
    ("opinions:addendum", "GET"):                 POST_ONLY_GET,
    ("opinions:addendum", "POST"):                CONSULTANT_POST,  # the author only
    ("opinions:first", "GET"):                    CASE_EDIT_PAGE,
    ("opinions:first", "POST"):                   CASE_WRITE_POST,
    ("opinions:codes", "GET"):                    CLINICIAN_CODES,  # clinicians, while they see the case
    ("opinions:codes", "POST"):                   (L,    404,  404,  404,  404,  404,  404,  404,  404,  302,  404,  302,  302),
    ("opinions:compare", "GET"):                  CASE_READ_PAGE,
    ("opinions:guide", "GET"):                    CASE_READ_PAGE,
    ("opinions:guide_pdf", "GET"):                CASE_READ_PAGE,
    ("opinions:decision", "GET"):                 CASE_EDIT_PAGE,
    ("opinions:decision", "POST"):                CASE_WRITE_POST,
    ("glossary", "GET"):                          OPEN_PAGE,  # /help/glossary/: public, linked from opinion terms
    ("opinions:shared", "GET"):                   OPEN_PAGE,  # the first doctor's link: the token is the key
    # --- outcomes --------------------------------------------------------------------------------------
    ("outcomes:page", "GET"):                     COORDINATOR_PAGE,
    ("outcomes:csv", "GET"):                      COORDINATOR_PAGE,
    # --- API: consults ---------------------------------------------------------------------------------
    ("api/v1/cases/<case_id>/requests", "GET"):   API_READ,
    ("api/v1/cases/<case_id>/requests", "POST"):  API_REQUEST_CREATE,
    ("api/v1/requests/<request_id>", "GET"):      API_REQUEST_READ,
    # R is in progress: sending it again is an illegal move for everyone who sees it.
    ("api/v1/requests/<request_id>/submit", "POST"): (401, 409, 404, 409, 404, 404, 404, 404, 404, 409, 409, 409,  409),
    # To on-hold: the consultant's move; others who see the request are refused (not_allowed).
    ("api/v1/requests/<request_id>/transition", "POST"): (401, 403, 404, 403, 404, 404, 404, 404, 404, 200, 200, 403,  403),
    ("api/v1/requests/<request_id>/messages", "GET"): API_THREAD_READ,
    ("api/v1/requests/<request_id>/messages", "POST"): (401, 201, 404, 404, 404, 404, 404, 404, 404, 201, 201, 201,  404),
    ("api/v1/requests/<request_id>/consent", "GET"): API_REQUEST_READ,
    ("api/v1/requests/<request_id>/consent", "POST"): API_CREATE,
    ("api/v1/requests/<request_id>/consent/revoke", "POST"): API_DELETE,
    # --- API: opinions ---------------------------------------------------------------------------------
    ("api/v1/cases/<case_id>/opinions", "GET"):   API_READ,
    ("api/v1/requests/<request_id>/opinion", "GET"): API_CONSULTANT,
    ("api/v1/requests/<request_id>/opinion", "PUT"): API_OPINION_WRITE,
    ("api/v1/requests/<request_id>/opinion/sign", "POST"): API_OPINION_WRITE,
    ("api/v1/cases/<case_id>/comparison", "GET"): API_READ,
    ("api/v1/cases/<case_id>/decisions", "POST"): API_CREATE,
}
# fmt: on

assert all(len(row) == len(ROLES) for row in EXPECTED.values())

# Cells where the product answers wrongly today: (route, method, role) -> why. The role's test skips
# them; `test_known_product_bugs` asserts the right answer, marked xfail(strict=True).
KNOWN_BUGS: dict[tuple[str, str, str], str] = {}
