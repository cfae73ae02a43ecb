from django.urls import path

from secondopinion.core import audit_views

app_name = "audit"

urlpatterns = [
    path("", audit_views.search, name="search"),
]
