"""Asking from the directory. Mounted under /directory/, beside the practitioner's page (config/urls.py)."""

from django.urls import path

from secondopinion.consults.views import ask

app_name = "ask"
urlpatterns = [
    path("practitioners/<str:npi>/request/", ask.ask_practitioner, name="practitioner"),
]
