from django.apps import AppConfig


class ContactConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "contact"
    verbose_name = "Demandes des entreprises"

    def ready(self):
        from ambassadors.data_rights import register_personal_data
        from contact.selectors import ambassador_personal_data
        from contact.services import ambassador_traces_erase

        # Their messages to companies stay (the company's record), without their name nor a link to them.
        register_personal_data(order=20, section=ambassador_personal_data, erase=ambassador_traces_erase)
