from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "secondopinion.reviews"
    label = "reviews"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from secondopinion.core.work import register
        from secondopinion.reviews import panels, work

        register(work.places)
        panels.register()
