from django.urls import path

from secondopinion.opinions.views import case, opinion

app_name = "opinions"
urlpatterns = [
    path("requests/<uuid:request_id>/edit/", opinion.edit, name="edit"),
    path("requests/<uuid:request_id>/review/", opinion.review, name="review"),
    path("<uuid:opinion_id>/", opinion.detail, name="detail"),
    path("<uuid:opinion_id>/pdf/", opinion.pdf, name="pdf"),
    path("<uuid:opinion_id>/addendum/", opinion.addendum, name="addendum"),
    path("cases/<uuid:case_id>/first/", case.first_opinion, name="first"),
    path("cases/<uuid:case_id>/first/codes/", case.add_codes, name="codes"),
    path("cases/<uuid:case_id>/compare/", case.compare, name="compare"),
    path("cases/<uuid:case_id>/guide/", case.guide, name="guide"),
    path("cases/<uuid:case_id>/guide/pdf/", case.guide_pdf, name="guide_pdf"),
    path("cases/<uuid:case_id>/decision/", case.decision, name="decision"),
    path("shared/<str:token>/", case.shared, name="shared"),
]
