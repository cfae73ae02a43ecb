from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "secondopinion.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from secondopinion.cases import rules

        rules.register()
