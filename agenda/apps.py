from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "agenda"
    verbose_name = "Agenda"

    def ready(self):
        from agenda.selectors import ambassador_personal_data
        from ambassadors.data_rights import register_personal_data

        register_personal_data(order=30, section=ambassador_personal_data)
