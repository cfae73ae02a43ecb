from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from secondopinion.accounts import views
from secondopinion.accounts.forms import PlainSetPasswordForm

app_name = "accounts"

_reset_done = {"template_name": "accounts/pages/password_reset_done.html"}
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout, name="logout"),
    path("signup/", views.signup, name="signup"),
    path("signup/clinician/", views.signup_clinician, name="signup_clinician"),
    path("verify/<str:token>/", views.verify_email, name="verify_email"),
    path("mfa/setup/", views.mfa_setup, name="mfa_setup"),
    path("mfa/verify/", views.mfa_verify, name="mfa_verify"),
    path("me/", views.account, name="account"),
    path("me/tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("clinicians/", views.clinician_reviews, name="clinician_reviews"),
    path("clinicians/<int:profile_id>/review/", views.review_clinician, name="review_clinician"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(**_reset_done),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/pages/password_reset_confirm.html",
            form_class=PlainSetPasswordForm,
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/pages/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
