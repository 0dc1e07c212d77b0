from django import forms

from dashboard.models import MAX_REGION_TARGET

ERRORS = {
    "invalid": "Saisissez un nombre entier, par exemple 25.",
    "min_value": "Saisissez un nombre entier positif (1 ou plus), ou laissez vide.",
    "max_value": f"L’objectif d’une région ne peut pas dépasser {MAX_REGION_TARGET:,}.".replace(
        ",", "\u202f"
    ),
}


class RegionTargetsForm(forms.Form):
    """One field per region: the target of published ambassadors, or empty for none."""

    def __init__(self, *args, regions, current: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = {f"region_{r.code}": r for r in regions}
        for name, region in self.regions.items():
            self.fields[name] = forms.IntegerField(
                label=region.name,
                required=False,
                min_value=1,
                max_value=MAX_REGION_TARGET,
                initial=current.get(region.code),
                error_messages=ERRORS,
                widget=forms.NumberInput(),
            )

    def targets(self) -> dict:
        """Region -> target (None: no target), once valid."""
        return {region: self.cleaned_data[name] for name, region in self.regions.items()}
