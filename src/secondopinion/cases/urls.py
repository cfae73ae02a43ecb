from django.urls import path

from secondopinion.cases import companion_views, document_views, views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path("<uuid:case_id>/edit/", views.edit_case, name="edit"),
    path("<uuid:case_id>/diagnosis/", views.edit_diagnosis, name="diagnosis"),
    path("<uuid:case_id>/medicines/add/", views.add_medicine, name="add_medicine"),
    path("medicines/<uuid:medicine_id>/", views.edit_medicine, name="edit_medicine"),
    path("medicines/<uuid:medicine_id>/delete/", views.delete_medicine, name="delete_medicine"),
    path("<uuid:case_id>/questions/add/", views.add_question, name="add_question"),
    path("questions/<uuid:question_id>/", views.edit_question, name="edit_question"),
    path("questions/<uuid:question_id>/move/<str:direction>/", views.move_question, name="move_question"),
    path("questions/<uuid:question_id>/delete/", views.delete_question, name="delete_question"),
    path("<uuid:case_id>/documents/upload/", document_views.upload_document, name="upload"),
    path("documents/<uuid:document_id>/download/", document_views.download_document, name="download"),
    path("documents/<uuid:document_id>/delete/", document_views.delete_document, name="delete_document"),
    path("<uuid:case_id>/export/", document_views.export_packet, name="export"),
    path("<uuid:case_id>/companions/", companion_views.companions, name="companions"),
    path("companions/<uuid:companion_id>/revoke/", companion_views.revoke_companion, name="revoke_companion"),
    path("invitations/<str:token>/", companion_views.accept_invitation, name="accept_invitation"),
    path("<uuid:case_id>/access-log/", views.access_log, name="access_log"),
]
