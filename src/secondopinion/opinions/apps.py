from django.apps import AppConfig


class OpinionsConfig(AppConfig):
    name = "secondopinion.opinions"
    label = "opinions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from secondopinion.opinions import rules

        rules.register()

        from secondopinion.core.contributions import register_context
        from secondopinion.opinions.journey import journey_context

        register_context("cases.case", journey_context, order=10)
