from django import forms

from territories.models import Region


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label="Partenaire", max_length=200, help_text="Ex. : CCI Occitanie, French Tech Lyon"
    )
    contact_email = forms.EmailField(
        label="Adresse de contact du partenaire",
        help_text="Reçoit les décisions de modération. Jamais publique.",
    )
    regions = forms.ModelMultipleChoiceField(
        label="Régions où le partenaire peut envoyer des événements",
        queryset=Region.objects.order_by("search_name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins une région."},
    )
