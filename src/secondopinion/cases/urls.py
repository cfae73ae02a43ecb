from django.urls import path

from secondopinion.cases.views import case, companion, documents

app_name = "cases"
urlpatterns = [
    path("", case.case_list, name="list"),
    path("new/", case.case_create, name="create"),
    path("<uuid:case_id>/", case.case_detail, name="detail"),
    path("<uuid:case_id>/edit/", case.edit_case, name="edit"),
    path("<uuid:case_id>/diagnosis/", case.edit_diagnosis, name="diagnosis"),
    path("<uuid:case_id>/medicines/add/", case.add_medicine, name="add_medicine"),
    path("medicines/<uuid:medicine_id>/", case.edit_medicine, name="edit_medicine"),
    path("medicines/<uuid:medicine_id>/delete/", case.delete_medicine, name="delete_medicine"),
    path("<uuid:case_id>/questions/add/", case.add_question, name="add_question"),
    path("questions/<uuid:question_id>/", case.edit_question, name="edit_question"),
    path("questions/<uuid:question_id>/move/<str:direction>/", case.move_question, name="move_question"),
    path("questions/<uuid:question_id>/delete/", case.delete_question, name="delete_question"),
    path("<uuid:case_id>/documents/upload/", documents.upload_document, name="upload"),
    path("documents/<uuid:document_id>/download/", documents.download_document, name="download"),
    path("documents/<uuid:document_id>/delete/", documents.delete_document, name="delete_document"),
    path("<uuid:case_id>/export/", documents.export_packet, name="export"),
    path("<uuid:case_id>/companions/", companion.companions, name="companions"),
    path("companions/<uuid:companion_id>/revoke/", companion.revoke_companion, name="revoke_companion"),
    path("invitations/<str:token>/", companion.accept_invitation, name="accept_invitation"),
    path("<uuid:case_id>/access-log/", case.access_log, name="access_log"),
]
