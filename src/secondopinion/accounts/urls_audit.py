from django.urls import path

from secondopinion.accounts import audit_views

app_name = "audit"

urlpatterns = [
    path("", audit_views.search, name="search"),
]
