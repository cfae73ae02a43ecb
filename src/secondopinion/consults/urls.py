from django.urls import path

from secondopinion.consults import views, views_clinician, views_patient

app_name = "consults"
urlpatterns = [
    path("inbox/", views_clinician.inbox, name="inbox"),
    path("program/<uuid:program_id>/", views_clinician.program_queue, name="program"),
    path("new/<uuid:case_id>/", views_patient.new_request, name="new"),
    path("<uuid:request_id>/", views.request_detail, name="detail"),
    path("<uuid:request_id>/move/", views.request_move, name="move"),
    path("<uuid:request_id>/messages/", views.post_message, name="post_message"),
    path(
        "<uuid:request_id>/messages/<uuid:message_id>/attachment/",
        views.message_attachment,
        name="message_attachment",
    ),
    path("<uuid:request_id>/consent/", views_patient.change_consent, name="consent"),
    path("<uuid:request_id>/consent/revoke/", views_patient.revoke_consent, name="revoke_consent"),
    path("<uuid:request_id>/assign/", views_clinician.assign, name="assign"),
    path("<uuid:request_id>/slots/", views_clinician.propose_slots, name="propose_slots"),
    path("<uuid:request_id>/slots/<uuid:slot_id>/choose/", views_clinician.choose_slot, name="choose_slot"),
    path("<uuid:request_id>/slots/<uuid:slot_id>/ics/", views_clinician.slot_ics, name="slot_ics"),
    path("<uuid:request_id>/material/", views_clinician.request_material, name="request_material"),
    path(
        "<uuid:request_id>/shipments/<uuid:shipment_id>/",
        views_clinician.advance_shipment,
        name="advance_shipment",
    ),
    path("<uuid:request_id>/urgent/", views_clinician.flag_urgent, name="flag_urgent"),
]
