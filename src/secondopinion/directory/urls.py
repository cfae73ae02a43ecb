from django.urls import path

from secondopinion.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.search_page, name="search"),
    path("practitioners/<str:npi>/", views.practitioner_page, name="practitioner"),
    path("centers/", views.centers_page, name="centers"),
    path("centers/<int:org_id>/", views.center_page, name="center"),
    path("my-profile/", views.my_profile, name="my_profile"),
]
