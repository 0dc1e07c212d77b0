from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Orchestrates the fictional demo data set of every domain (``manage.py load_demo_data``). No models."""

    name = "demo"
    verbose_name = "Démonstration"
