from django.urls import include, path

from secondopinion.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.search_page, name="search"),
    path("practitioners/<str:npi>/", views.practitioner_page, name="practitioner"),
    path("practitioners/<str:npi>/request/", views.start_request, name="start_request"),
    path("centers/", views.centers_page, name="centers"),
    path("centers/<int:org_id>/", views.center_page, name="center"),
    path("my-profile/", views.my_profile, name="my_profile"),
    path("", include("secondopinion.directory.urls_reviews")),
]
