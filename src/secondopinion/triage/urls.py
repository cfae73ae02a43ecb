from django.urls import path

from secondopinion.triage import views

app_name = "triage"
urlpatterns = [
    path("", views.start, name="start"),
    path("save/", views.save, name="save"),
    path("signup/", views.signup, name="signup"),
    path("case/<uuid:case_id>/", views.case_triage, name="case"),
]
