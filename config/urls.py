from django.urls import include, path

from secondopinion.api.setup import api
from secondopinion.core import language
from secondopinion.core import views as core_views
from secondopinion.opinions.views import opinion as opinion_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("accounts/", include("secondopinion.accounts.urls")),
    path("cases/", include("secondopinion.cases.urls")),
    path("triage/", include("secondopinion.triage.urls")),
    path("directory/", include("secondopinion.directory.urls")),
    path("directory/", include("secondopinion.reviews.urls")),
    path("directory/", include("secondopinion.consults.urls_ask")),
    path("requests/", include("secondopinion.consults.urls")),
    path("opinions/", include("secondopinion.opinions.urls")),
    path("help/glossary/", opinion_views.glossary, name="glossary"),
    path("outcomes/", include("secondopinion.outcomes.urls")),
    path("audit/", include("secondopinion.accounts.urls_audit")),
    path("api/v1/", api.urls),
]

handler404 = "secondopinion.core.views.not_found"
handler500 = "secondopinion.core.views.server_error"
handler403 = "secondopinion.core.views.forbidden"
handler400 = "secondopinion.core.views.bad_request"
