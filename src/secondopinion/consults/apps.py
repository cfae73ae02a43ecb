from django.apps import AppConfig


class ConsultsConfig(AppConfig):
    name = "secondopinion.consults"
    label = "consults"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from secondopinion.consults import rules

        rules.register()

        from secondopinion.consults import work
        from secondopinion.core.work import register

        register(work.places)

        from secondopinion.consults import panels

        panels.register()
