from django.urls import path

from secondopinion.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("", views.outcomes, name="page"),
    path("outcomes.csv", views.outcomes_csv, name="csv"),
]
