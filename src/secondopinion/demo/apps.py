from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "secondopinion.demo"
    label = "demo"
