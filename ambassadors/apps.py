from django.apps import AppConfig


class AmbassadorsConfig(AppConfig):
    name = "ambassadors"
    verbose_name = "Ambassadeurs"

    def ready(self):
        from accounts import space
        from ambassadors.selectors import ambassadors_for_user

        # The tile « Ambassadeurs de mon périmètre » of the space's home.
        space.register_count("ambassadors_in_scope", lambda user: ambassadors_for_user(user).count())
