"""The questionnaire, in five pages, without JavaScript: each page posts the answers of the pages before it as
hidden fields, so nothing is lost going forward or back, and nothing is stored before the end."""

from django import forms

from contact.enums import CompanySize
from diagnostic.scoring import STEPS, Scoring
from territories.models import NafActivity
from territories.selectors import communes_for_postcode, naf_sections

CONTEXT_FIELDS = ("postcode", "sector", "size")
LAST_STEP = max(STEPS)


class DiagnosticForm(forms.Form):
    postcode = forms.CharField(
        label="Code postal de l’entreprise",
        max_length=10,
        help_text="Pour vous proposer des événements et des ambassadeurs près de chez vous. Il n’est pas conservé : "
        "seul le département l’est.",
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    sector = forms.ModelChoiceField(
        label="Secteur d’activité", queryset=NafActivity.objects.none(), empty_label="Choisir"
    )
    size = forms.ChoiceField(
        label="Taille de l’entreprise", choices=CompanySize.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, scoring: Scoring, step: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.scoring, self.step = scoring, step
        self.fields["sector"].queryset = naf_sections()
        for question in scoring.questions:
            self.fields[question.key] = forms.ChoiceField(
                label=question.text,
                choices=[(c.value, c.label) for c in question.choices],
                widget=forms.RadioSelect,
                help_text=question.hint,
                error_messages={"required": "Choisissez une réponse."},
            )
        # Only the pages up to this one are checked; the later ones are not answered yet.
        for name in self.fields:
            if self.step_of(name) > step:
                self.fields[name].required = False

    def step_of(self, name: str) -> int:
        return 1 if name in CONTEXT_FIELDS else self.scoring.question(name).step

    def visible_fields_of_step(self):
        return [self[name] for name in self.fields if self.step_of(name) == self.step]

    def carried_values(self) -> list[tuple[str, str]]:
        """The answers of the other pages, to carry as hidden fields."""
        values = self.data if self.is_bound else self.initial  # a page reached, not sent, is not bound
        carried = []
        for name in self.fields:
            if self.step_of(name) != self.step and values.get(name):
                carried.append((name, values.get(name)))
        return carried

    def clean_postcode(self):
        postcode = (self.cleaned_data.get("postcode") or "").strip().replace(" ", "")
        if not postcode:
            return postcode
        commune = communes_for_postcode(postcode).select_related("departement__region").first()
        if commune is None:
            raise forms.ValidationError(
                "Ce code postal est inconnu : vérifiez-le (5 chiffres, par exemple 31000)."
            )
        self.departement = commune.departement
        return postcode

    def answers(self) -> dict[str, str]:
        return {q.key: self.cleaned_data[q.key] for q in self.scoring.questions}


def step_from(value) -> int:
    """The page asked for, from the request: 1 to LAST_STEP (anything else is page 1)."""
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() and 1 <= int(value) <= LAST_STEP else 1
