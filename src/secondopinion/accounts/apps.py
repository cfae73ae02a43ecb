from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "secondopinion.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from secondopinion.accounts import work
        from secondopinion.core.work import register

        register(work.places)
