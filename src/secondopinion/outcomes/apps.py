from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "secondopinion.outcomes"
    label = "outcomes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from secondopinion.core.work import register
        from secondopinion.outcomes import work

        register(work.places)
