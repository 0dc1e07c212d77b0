from django import forms
from django.forms.utils import ErrorDict
from django.utils import timezone
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret as stdnum_siret

from ambassadors.enums import Gender, ProfileKind
from ambassadors.models import PartnerNetwork, Topic
from core.dates import validate_in_range
from core.formats import french_typography
from core.ids import IdMultipleChoiceField
from core.widgets import Checklist
from recruitment import workflow
from recruitment.enums import ApplicationAction, ApplicationState, Recommendation, StructureSize
from recruitment.models import Call, CallQuestion
from recruitment.selectors import FOLLOWUP_CHOICES
from recruitment.services import ApplicationData
from territories import companies
from territories.companies import Company
from territories.models import Departement, Region
from territories.selectors import communes_for_postcode, naf_sections


def structure_size_for(company: Company) -> str:
    """The form's size choice for the company's band of employees (INSEE's bands end where the choices do)."""
    at_most = company.employees_at_most
    if at_most is None:
        return ""
    for size, limit in (
        (StructureSize.INDEPENDANT, 0),
        (StructureSize.TPE, 9),
        (StructureSize.PME, 249),
        (StructureSize.ETI, 4999),
    ):
        if at_most <= limit:
            return size
    return StructureSize.GE


class ApplicationForm(forms.Form):
    """The AMI form. Fixed questions, then the call's own (fields ``question_<pk>``). Errors are shown next to
    each field; a bound form re-renders every value typed."""

    first_name = forms.CharField(label="Prénom", max_length=100)
    last_name = forms.CharField(label="Nom", max_length=100)
    gender = forms.ChoiceField(
        label="Vous désigner comme",
        choices=Gender.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="Pour accorder les mots qui vous désignent (« ambassadrice », « désignée »). "
        "Facultatif : sans réponse, nous écrivons sans accord.",
    )
    email = forms.EmailField(
        label="Adresse électronique", help_text="Le lien de suivi de votre candidature y sera envoyé."
    )
    phone = forms.CharField(label="Téléphone", max_length=32, required=False, help_text="Facultatif.")
    job_title = forms.CharField(
        label="Votre fonction", max_length=150, help_text="Par exemple : dirigeante, DSI, consultant."
    )
    structure_name = forms.CharField(label="Nom de votre structure", max_length=200)
    siret = forms.CharField(
        label="SIRET de la structure", max_length=20, required=False, help_text="Facultatif, 14 chiffres."
    )
    structure_size = forms.ChoiceField(
        label="Taille de la structure", choices=[("", "Choisir"), *StructureSize.choices]
    )
    postcode = forms.CharField(
        label="Code postal de votre structure",
        max_length=5,
        min_length=5,
        help_text="Il situe votre région et votre département.",
    )
    other_departements = forms.ModelMultipleChoiceField(
        label="Autres départements où vous pouvez intervenir",
        queryset=Departement.objects.select_related("region").order_by("code"),
        to_field_name="code",
        required=False,
        widget=Checklist(search_label="Rechercher un département, par son nom ou sa région"),
        help_text="Facultatif, dans la région de votre structure.",
    )
    sectors = forms.ModelMultipleChoiceField(
        label="Secteurs d’activité que vous connaissez",
        queryset=naf_sections(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )
    topics = forms.ModelMultipleChoiceField(
        label="Thématiques sur lesquelles vous pouvez aider",
        queryset=Topic.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
    )
    profile_kind = forms.ChoiceField(
        label="Profil d’ambassadeur visé",
        choices=[("", "Choisir"), *ProfileKind.choices],
        help_text="Grand public : partager nationalement votre vision de l’IA. Sectoriel et régional : accompagner "
        "les entreprises de votre territoire.",
    )
    proposing_network = forms.ModelChoiceField(
        label="Réseau partenaire qui vous propose",
        queryset=PartnerNetwork.objects.filter(is_active=True),
        to_field_name="slug",
        required=False,
        empty_label="Aucun (candidature spontanée)",
    )
    ai_experience = forms.CharField(
        label="Votre expérience de l’intelligence artificielle",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    motivation = forms.CharField(
        label="Votre motivation", max_length=3000, widget=forms.Textarea(attrs={"rows": 5})
    )
    availability_hours = forms.IntegerField(
        label="Disponibilité (heures par mois)",
        min_value=1,
        max_value=160,
        help_text="Le temps que vous pouvez consacrer au réseau, en heures par mois.",
    )
    consent = forms.BooleanField(
        label="J’accepte que ces données soient traitées pour examiner ma candidature",
        help_text="Elles sont vues par les relecteurs et coordinateurs de votre région et de votre réseau, jamais "
        "publiées, et effacées deux ans après la clôture de l’appel (voir « Données personnelles »).",
        error_messages={"required": "Votre accord est nécessaire pour examiner la candidature."},
    )

    search_button = True  # « Rechercher la structure » next to the SIRET, when the lookup is on

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other_departements"].label_from_instance = lambda d: d.label_with_region
        if self.search_button and companies.lookup_enabled():
            self.fields["siret"].help_text = (
                "Facultatif, 14 chiffres. « Rechercher la structure » remplit son nom, sa taille, son code postal "
                "et son secteur d’après le répertoire SIRENE : vous les vérifiez avant d’envoyer."
            )
        self.call = call
        self.questions = list(call.questions.all())
        for question in self.questions:
            self.fields[f"question_{question.pk}"] = forms.CharField(
                label=french_typography(question.label),
                help_text=french_typography(question.help_text),
                required=question.required,
                max_length=3000,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        self.call_regions = list(call.regions.all())

    @property
    def question_fields(self):
        return [self[f"question_{q.pk}"] for q in self.questions]

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def lookup_company(self) -> tuple[Company | None, str]:
        """« Rechercher »: the form shown back as typed, without errors (nothing is checked nor saved), its
        structure's name, size and postcode, and its sectors, completed from the SIRET's lookup where they were
        left empty (what the person typed is never replaced); the company found, or None with the French reason."""
        self._errors = ErrorDict()  # a bound form that is not validated: every value typed, no error shown
        try:
            siret = stdnum_siret.validate(stdnum_siret.compact(self.data.get(self.add_prefix("siret")) or ""))
        except StdnumError:
            return None, companies.INVALID_MESSAGE
        company = companies.company_for_siret(siret)
        if company is None:
            return None, companies.FAILED_MESSAGE
        data = self.data.copy()
        postcode = company.postcode if communes_for_postcode(company.postcode).exists() else ""
        for name, value in (
            ("structure_name", company.name),
            ("structure_size", structure_size_for(company)),
            ("postcode", postcode),
        ):
            if value and not (data.get(self.add_prefix(name)) or "").strip():
                data[self.add_prefix(name)] = value
        if company.section_code and not data.getlist(self.add_prefix("sectors")):
            data.setlist(self.add_prefix("sectors"), [company.section_code])
        self.data = data
        return company, ""

    def clean_siret(self):
        value = stdnum_siret.compact(self.cleaned_data.get("siret") or "")
        if not value:
            return ""
        try:
            return stdnum_siret.validate(value)
        except StdnumError as exc:
            raise forms.ValidationError(
                "Ce numéro SIRET n’est pas valide : il compte 14 chiffres et sa clé de contrôle doit être juste. "
                "Laissez le champ vide si vous ne le connaissez pas."
            ) from exc

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip()
        commune = communes_for_postcode(postcode).first()
        if commune is None:
            raise forms.ValidationError(
                "Ce code postal est inconnu : vérifiez-le (5 chiffres, par exemple 69001)."
            )
        region = commune.departement.region
        if self.call_regions and region not in self.call_regions:
            names = ", ".join(r.name for r in self.call_regions)
            raise forms.ValidationError(
                f"Cet appel concerne les régions suivantes : {names}. {region.name} n’en fait pas partie."
            )
        self.commune = commune
        return postcode

    def clean(self):
        cleaned = super().clean()
        commune = getattr(self, "commune", None)
        others = cleaned.get("other_departements") or []
        if commune is not None:
            outside = [d for d in others if d.region_id != commune.departement.region_id]
            if outside:
                self.add_error(
                    "other_departements",
                    f"Choisissez des départements de la région {commune.departement.region.name} : "
                    + ", ".join(d.name for d in outside)
                    + " n’en font pas partie.",
                )
        return cleaned

    def application_data(self) -> ApplicationData:
        d = self.cleaned_data
        departement = self.commune.departement
        return ApplicationData(
            fields={
                "first_name": d["first_name"].strip(),
                "last_name": d["last_name"].strip(),
                "gender": d["gender"],
                "email": d["email"],
                "phone": d["phone"].strip(),
                "job_title": d["job_title"].strip(),
                "structure_name": d["structure_name"].strip(),
                "siret": d["siret"],
                "structure_size": d["structure_size"],
                "postcode": d["postcode"],
                "region": departement.region,
                "profile_kind": d["profile_kind"],
                "proposing_network": d["proposing_network"],
                "ai_experience": d["ai_experience"].strip(),
                "motivation": d["motivation"].strip(),
                "availability_hours": d["availability_hours"],
                "answers": {
                    str(q.pk): {"question": q.label, "reponse": d.get(f"question_{q.pk}", "").strip()}
                    for q in self.questions
                },
            },
            departements=[departement, *[x for x in d["other_departements"] if x != departement]],
            sectors=list(d["sectors"]),
            topics=list(d["topics"]),
        )


# Once decided or withdrawn, or past the date of a requested correction, the person may correct only how to reach
# them (see ``workflow.correctable_all``).
CONTACT_FIELDS = ("email", "phone")


class ApplicationCorrectionForm(ApplicationForm):
    """The AMI form again, filled with what the application holds: the same fields and the same checks (postcode
    in the call's regions, SIRET key, required questions…), without the consent already given; only the contact
    fields once the application is decided or withdrawn."""

    search_button = False

    def __init__(self, *args, application, **kwargs):
        self.application = application
        super().__init__(*args, call=application.call, initial=self.initial_for(application), **kwargs)
        del self.fields["consent"]
        self.contact_only = not workflow.correctable_all(application, timezone.localdate())
        if self.contact_only:
            self.questions = []
            for name in list(self.fields):
                if name not in CONTACT_FIELDS:
                    del self.fields[name]

    @staticmethod
    def initial_for(application) -> dict:
        main = communes_for_postcode(application.postcode).values_list("departement_id", flat=True).first()
        answers = application.answers or {}
        return {
            **{
                name: getattr(application, name)
                for name in (
                    "first_name",
                    "last_name",
                    "gender",
                    "email",
                    "phone",
                    "job_title",
                    "structure_name",
                    "siret",
                    "structure_size",
                    "postcode",
                    "profile_kind",
                    "ai_experience",
                    "motivation",
                    "availability_hours",
                )
            },
            "proposing_network": application.proposing_network,
            "other_departements": [d for d in application.departements.all() if d.pk != main],
            "sectors": list(application.sectors.all()),
            "topics": list(application.topics.all()),
            **{f"question_{pk}": answer.get("reponse", "") for pk, answer in answers.items()},
        }

    def corrected(self) -> tuple[dict, dict]:
        """The values to write (fields, many-to-many), for the fields this form offers."""
        d = self.cleaned_data
        if self.contact_only:
            return {"email": d["email"], "phone": d["phone"].strip()}, {}
        data = self.application_data()
        # An answer to a question the call no longer asks stays: nothing the person wrote is lost by correcting.
        data.fields["answers"] = {**(self.application.answers or {}), **data.fields["answers"]}
        return data.fields, {
            "departements": data.departements,
            "sectors": data.sectors,
            "topics": data.topics,
        }


class ReviewForm(forms.Form):
    score = forms.TypedChoiceField(
        label="Note", coerce=int, choices=[("", "Choisir"), *[(i, f"{i} sur 5") for i in range(1, 6)]]
    )
    recommendation = forms.ChoiceField(
        label="Recommandation", choices=[("", "Choisir"), *Recommendation.choices]
    )
    comment = forms.CharField(label="Commentaire", max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))


# The decision form's choices: the coordinator's own moves (``workflow.decisions_from``), by action name.
DECISION_CHOICES = [
    (ApplicationAction.DESIGNATE, "Désigner ambassadeur"),
    (ApplicationAction.DECLINE, "Ne pas retenir"),
    (ApplicationAction.RULE_INELIGIBLE, "Classer irrecevable"),
    (ApplicationAction.REOPEN, "Rouvrir l’examen"),
]


class DecisionForm(forms.Form):
    action = forms.ChoiceField(label="Décision", choices=[("", "Choisir"), *DECISION_CHOICES])
    reason = forms.CharField(
        label="Motif",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire pour une décision ; il est communiqué à la personne.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, actions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if actions is not None:
            self.fields["action"].choices = [
                ("", "Choisir"),
                *[(v, label) for v, label in DECISION_CHOICES if v in actions],
            ]


class DayInput(forms.DateInput):
    # ``input_type``, not an attribute: core/field.html reads the type from it.
    input_type = "date"


class CorrectionRequestForm(forms.Form):
    """Send the application back to the person: what to correct, and by when (the service checks the bounds)."""

    message = forms.CharField(
        label="Ce que la personne doit corriger",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="La personne le lit sur sa page de suivi et dans le courriel qu’elle reçoit, signé de votre "
        "rôle, sans votre nom ni votre adresse.",
        error_messages={"required": "Dites à la personne ce qu’elle doit corriger."},
    )
    due_on = forms.DateField(
        label="À corriger au plus tard le",
        widget=DayInput(format="%Y-%m-%d"),
        help_text="Jour inclus. Passé ce jour, la personne ne peut plus corriger et la coordination voit la "
        "correction en retard.",
        error_messages={"invalid": "Saisissez une date valide, par exemple 15/01/2027."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and "due_on" not in self.initial:
            from recruitment.services import correction_due_default

            # As the browser's date field reads it (a date object would render in words).
            self.initial["due_on"] = correction_due_default().isoformat()


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Votre message",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Le message est vide : écrivez-le avant de l’envoyer."},
    )


class BulkDecisionForm(forms.Form):
    applications = IdMultipleChoiceField(
        queryset=None,
        error_messages={
            "required": "Cochez au moins une candidature.",
            "invalid_pk_value": "« %(pk)s » n’est pas un numéro de candidature.",
            "invalid_choice": "La candidature n° %(value)s n’existe pas ou n’est pas de votre périmètre.",
        },
    )
    action = forms.ChoiceField(
        label="Décision pour les candidatures cochées", choices=[("", "Choisir"), *DECISION_CHOICES[:3]]
    )
    reason = forms.CharField(
        label="Motif (le même pour toutes)", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = queryset


class QueueFilterForm(forms.Form):
    q = forms.CharField(label="Rechercher", max_length=100, required=False)
    call = forms.ModelChoiceField(
        label="Appel", queryset=Call.objects.all(), required=False, empty_label="Tous les appels"
    )
    state = forms.ChoiceField(
        label="État", choices=[("", "Tous les états"), *ApplicationState.choices], required=False
    )
    region = forms.ModelChoiceField(
        label="Région",
        queryset=Region.objects.order_by("search_name"),
        to_field_name="code",
        required=False,
        empty_label="Toutes les régions",
    )
    network = forms.ModelChoiceField(
        label="Réseau",
        queryset=PartnerNetwork.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Tous les réseaux",
    )
    missing_mine = forms.BooleanField(label="Seulement celles où mon avis manque", required=False)
    followup = forms.ChoiceField(
        label="Suivi des corrections",
        choices=[("", "Toutes"), *FOLLOWUP_CHOICES],
        required=False,
    )


class CallForm(forms.ModelForm):
    class Meta:
        model = Call
        fields = ["title", "slug", "text", "opens_at", "closes_at", "regions"]
        widgets = {
            "opens_at": forms.DateTimeInput(
                attrs={"type": "datetime-local", "step": 1, "class": "fr-input"}, format="%Y-%m-%dT%H:%M:%S"
            ),
            "closes_at": forms.DateTimeInput(
                attrs={"type": "datetime-local", "step": 1, "class": "fr-input"}, format="%Y-%m-%dT%H:%M:%S"
            ),
            "regions": forms.CheckboxSelectMultiple,
            "text": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "opens_at": "Heure de Paris.",
            "closes_at": "Heure de Paris ; dernière seconde acceptée.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].queryset = Region.objects.order_by("search_name")
        for name in ("opens_at", "closes_at"):
            # The platform's one range of years (core/dates.py): year 1 or 9999 overflows once put on Paris time.
            self.fields[name].validators.append(validate_in_range)

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("opens_at")
            and cleaned.get("closes_at")
            and cleaned["closes_at"] <= cleaned["opens_at"]
        ):
            self.add_error("closes_at", "La clôture doit être postérieure à l’ouverture.")
        return cleaned


QuestionFormSet = forms.inlineformset_factory(
    Call, CallQuestion, fields=["label", "help_text", "required", "order"], extra=2, can_delete=True
)
