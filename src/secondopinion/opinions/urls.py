from django.urls import path

from secondopinion.opinions import case_views, views

app_name = "opinions"
urlpatterns = [
    path("requests/<uuid:request_id>/edit/", views.edit, name="edit"),
    path("requests/<uuid:request_id>/review/", views.review, name="review"),
    path("<uuid:opinion_id>/", views.detail, name="detail"),
    path("<uuid:opinion_id>/pdf/", views.pdf, name="pdf"),
    path("<uuid:opinion_id>/addendum/", views.addendum, name="addendum"),
    path("cases/<uuid:case_id>/first/", case_views.first_opinion, name="first"),
    path("cases/<uuid:case_id>/first/codes/", case_views.add_codes, name="codes"),
    path("cases/<uuid:case_id>/compare/", case_views.compare, name="compare"),
    path("cases/<uuid:case_id>/guide/", case_views.guide, name="guide"),
    path("cases/<uuid:case_id>/guide/pdf/", case_views.guide_pdf, name="guide_pdf"),
    path("cases/<uuid:case_id>/decision/", case_views.decision, name="decision"),
    path("shared/<str:token>/", case_views.shared, name="shared"),
]
