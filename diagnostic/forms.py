"""The questionnaire, in five pages, without JavaScript. The answers typed so far are kept in the visitor’s session
(diagnostic/views.py) and also travel as hidden fields, so nothing is lost going forward or back; nothing is stored
in the database before the end."""

from django import forms

from contact.enums import CompanySize
from diagnostic.scoring import STEPS, Scoring
from territories.models import NafActivity
from territories.selectors import departements_for_postcode, naf_sections

CONTEXT_FIELDS = ("postcode", "departement", "sector", "size")
LAST_STEP = max(STEPS)


class DiagnosticForm(forms.Form):
    postcode = forms.CharField(
        label="Code postal de l’entreprise",
        max_length=10,
        help_text="Pour vous proposer des événements et des ambassadeurs près de chez vous. Il n’est pas conservé : "
        "seul le département l’est.",
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    # Asked only when the postcode crosses a border between two départements (a few postcodes do).
    # A CharField checked in clean(): a département carried from an earlier postcode is then no hidden error.
    departement = forms.CharField(
        label="Département de l’entreprise",
        required=False,
        widget=forms.RadioSelect,
        help_text="Ce code postal est partagé par plusieurs départements.",
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
        values = self.data if self.is_bound else self.initial
        self.candidates = {d.code: d for d in departements_for_postcode(values.get("postcode") or "")}
        self.fields["departement"].widget.choices = [
            (code, f"{d.name} ({code})") for code, d in self.candidates.items()
        ]
        self.fields["departement"].required = len(self.candidates) > 1
        self.fields["departement"].error_messages["required"] = "Choisissez le département de l’entreprise."
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

    @staticmethod
    def field_step(scoring: Scoring, name: str) -> int:
        return 1 if name in CONTEXT_FIELDS else scoring.question(name).step

    def step_of(self, name: str) -> int:
        return self.field_step(self.scoring, name)

    def visible_fields_of_step(self):
        return [
            self[name]
            for name in self.fields
            if self.step_of(name) == self.step and (name != "departement" or len(self.candidates) > 1)
        ]

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
        if postcode and not self.candidates:
            raise forms.ValidationError(
                "Ce code postal est inconnu : vérifiez-le (5 chiffres, par exemple 31000)."
            )
        return postcode

    def clean(self):
        """The département: the postcode’s, or the one chosen when the postcode crosses a border."""
        cleaned = super().clean()
        if len(self.candidates) == 1:
            self.departement = next(iter(self.candidates.values()))
        elif len(self.candidates) > 1:
            self.departement = self.candidates.get(cleaned.get("departement") or "")
            if self.departement is None and "departement" not in self.errors:
                self.add_error("departement", "Choisissez le département de l’entreprise.")
        return cleaned

    def answers(self) -> dict[str, str]:
        return {q.key: self.cleaned_data[q.key] for q in self.scoring.questions}
