from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    name = "recruitment"
    verbose_name = "Recrutement (AMI)"

    def ready(self):
        from ambassadors.data_rights import register_personal_data
        from recruitment.selectors import ambassador_personal_data
        from recruitment.services import ambassador_applications_erase

        register_personal_data(
            order=10, section=ambassador_personal_data, erase=ambassador_applications_erase
        )
