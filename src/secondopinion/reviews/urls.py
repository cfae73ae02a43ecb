"""Review pages. Mounted under /directory/ beside the register they review (config/urls.py)."""

from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("practitioners/<str:npi>/review/", views.review_practitioner, name="review_practitioner"),
    path("centers/<int:org_id>/review/", views.review_center, name="review_center"),
    path("reviews/<uuid:review_id>/report/", views.report_review, name="report_review"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/<uuid:review_id>/", views.moderate_review, name="moderate_review"),
]
