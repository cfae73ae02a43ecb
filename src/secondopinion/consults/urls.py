from django.urls import path

from secondopinion.consults.views import clinician, patient, request

app_name = "consults"
urlpatterns = [
    path("inbox/", clinician.inbox, name="inbox"),
    path("program/<uuid:program_id>/", clinician.program_queue, name="program"),
    path("new/<uuid:case_id>/", patient.new_request, name="new"),
    path("<uuid:request_id>/", request.request_detail, name="detail"),
    path("<uuid:request_id>/move/", request.request_move, name="move"),
    path("<uuid:request_id>/messages/", request.post_message, name="post_message"),
    path(
        "<uuid:request_id>/messages/<uuid:message_id>/attachment/",
        request.message_attachment,
        name="message_attachment",
    ),
    path("<uuid:request_id>/consent/", patient.change_consent, name="consent"),
    path("<uuid:request_id>/consent/revoke/", patient.revoke_consent, name="revoke_consent"),
    path("<uuid:request_id>/assign/", clinician.assign, name="assign"),
    path("<uuid:request_id>/slots/", clinician.propose_slots, name="propose_slots"),
    path("<uuid:request_id>/slots/<uuid:slot_id>/choose/", clinician.choose_slot, name="choose_slot"),
    path("<uuid:request_id>/slots/<uuid:slot_id>/ics/", clinician.slot_ics, name="slot_ics"),
    path("<uuid:request_id>/material/", clinician.request_material, name="request_material"),
    path(
        "<uuid:request_id>/shipments/<uuid:shipment_id>/",
        clinician.advance_shipment,
        name="advance_shipment",
    ),
    path("<uuid:request_id>/urgent/", clinician.flag_urgent, name="flag_urgent"),
]
