import re

from django import forms
from django.http import QueryDict
from django.utils import timezone
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret as stdnum_siret

from ambassadors.forms import NearFieldsForm
from ambassadors.models import Ambassador, Topic
from contact import siret as siret_lookup
from contact.enums import AnswerKind, CloseReason, CompanySize, DeclineReason, Usefulness
from core.dates import validate_in_range
from core.ids import IdMultipleChoiceField, parse_id
from territories import companies
from territories.companies import Company
from territories.models import NafActivity
from territories.selectors import commune_for_postcode, communes_for_postcode, naf_sections

PHONE = re.compile(r"^\+?[0-9 .()-]{6,25}$")
# Reasons a person may choose when closing; the others are written by the platform (erasure, six months idle).
CLOSE_REASONS = [c for c in CloseReason.choices if c[0] not in {CloseReason.ERASED, CloseReason.EXPIRED}]


class IdChoiceField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` over objects chosen by integer id that refuses, before any query, a value that is not
    an id (« 99999999999999999999999 » overflows the database, « ² » or « ٣ » are digits to ``str.isdigit``): the
    usual French « choix valide » error instead of a 500."""

    def to_python(self, value):
        if (
            value not in self.empty_values
            and not isinstance(value, self.queryset.model)
            and parse_id(value) is None
        ):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class NeedFieldsMixin:
    """Postcode → commune, département, region; SIRET (optional) → sector when a lookup service is configured."""

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip().replace(" ", "")
        commune = commune_for_postcode(postcode)
        if commune is None:
            raise forms.ValidationError(
                "Ce code postal est inconnu : vérifiez-le (5 chiffres, par exemple 31000)."
            )
        self.commune = commune
        return postcode

    def clean_siret(self):
        value = stdnum_siret.compact(self.cleaned_data.get("siret") or "")
        if not value:
            return ""
        try:
            return stdnum_siret.validate(value)
        except StdnumError as exc:
            raise forms.ValidationError(
                "Ce numéro SIRET n’est pas valide : il compte 14 chiffres et sa clé de contrôle doit être juste. "
                "Il est facultatif : laissez-le vide si votre entreprise est en création."
            ) from exc

    def clean_sector_from_siret(self, cleaned: dict) -> None:
        if cleaned.get("sector") or "sector" in self.errors:
            return
        if cleaned.get("siret"):
            code = siret_lookup.section_for_siret(cleaned["siret"])
            sector = naf_sections().filter(code=code).first() if code else None
            if sector:
                cleaned["sector"] = sector
                self.data = self.data.copy()
                self.data[self.add_prefix("sector")] = str(sector.pk)  # shown back as chosen
                return
            self.add_error(
                "sector",
                "Nous n’avons pas pu retrouver le secteur de ce SIRET : choisissez-le dans la liste."
                if siret_lookup.lookup_enabled()
                else "Choisissez votre secteur dans la liste.",
            )
        else:
            self.add_error("sector", "Choisissez votre secteur d’activité (ou indiquez votre SIRET).")

    @property
    def place(self):
        commune = getattr(self, "commune", None)
        return (commune.departement.region, commune.departement) if commune else (None, None)


def _siret_help(*, search_button: bool = False) -> str:
    if siret_lookup.lookup_enabled():
        if search_button:
            return (
                "Facultatif : 14 chiffres. « Rechercher l’entreprise » remplit le nom, le secteur, la taille et "
                "le code postal de votre entreprise d’après le répertoire SIRENE : vous les vérifiez avant d’envoyer."
            )
        return "Facultatif : 14 chiffres. S’il est donné, nous retrouvons votre secteur."
    return "Facultatif : 14 chiffres. Une entreprise en création n’en a pas encore."


LOOKUP_FAILED = companies.FAILED_MESSAGE
LOOKUP_INVALID = companies.INVALID_MESSAGE


def size_for_company(company: Company) -> str:
    """The form's size choice for the company's band of employees (a band straddling two choices gives none)."""
    at_most = company.employees_at_most
    if at_most is None:
        return ""
    if at_most < 10:
        return CompanySize.TPE
    if at_most < 250:
        return CompanySize.PME
    if at_most < 5000:
        return CompanySize.ETI
    return ""


def company_lookup(values: dict) -> tuple[dict, Company | None, str]:
    """The « Rechercher » of a contact form: the values typed (``values``, by field name), completed with what
    the lookup of their SIRET found, in the fields left empty only (what the person typed is never replaced: the
    notice shows what was found, the person changes what they want); the company found, or None with the
    French reason."""
    try:
        siret = stdnum_siret.validate(stdnum_siret.compact(values.get("siret") or ""))
    except StdnumError:
        return values, None, LOOKUP_INVALID
    company = siret_lookup.company_for_siret(siret)
    if company is None:
        return values, None, LOOKUP_FAILED
    section = naf_sections().filter(code=company.section_code).first() if company.section_code else None
    postcode = company.postcode if communes_for_postcode(company.postcode).exists() else ""
    found = {
        "company_name": company.name,
        "postcode": postcode,
        "size": size_for_company(company),
        "sector": str(section.pk) if section else "",
    }
    return (
        {**values, "siret": siret, **{k: v for k, v in found.items() if v and not values.get(k)}},
        company,
        "",
    )


# What a link may prefill in a contact form (from the finder's results, or a self-diagnostic's result): the need
# only, never who writes.
NEED_FIELDS = frozenset({"postcode", "siret", "size", "sector", "topic", "topics", "question", "message"})


def need_query(*, postcode="", siret="", size="", sector=None, topics=(), message="") -> str:
    """The query string of a contact form's (or the finder's) address that carries a company's need, so that it is
    not typed twice. ``sector`` and ``topics`` are objects (or ids)."""
    query = QueryDict(mutable=True)
    for name, value in (("postcode", postcode), ("siret", siret), ("size", size), ("message", message)):
        if value:
            query[name] = value
    if sector:
        query["sector"] = str(getattr(sector, "pk", sector))
    query.setlist("topics", [str(getattr(t, "pk", t)) for t in topics])
    return query.urlencode()


class FindForm(NeedFieldsMixin, NearFieldsForm):
    """The company's need; « près de » a place (optional, ``NearFieldsForm``): then the ambassadors based within
    the distance, nearest first, and the national ones after them (``contact.selectors.ambassadors_near_need``)."""

    field_order = ["postcode", "pres_de", "distance"]

    postcode = forms.CharField(
        label="Code postal de l’entreprise",
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    sector = IdChoiceField(
        label="Secteur d’activité", queryset=NafActivity.objects.none(), required=False, empty_label="Choisir"
    )
    siret = forms.CharField(label="SIRET", max_length=20, required=False)
    size = forms.ChoiceField(
        label="Taille de l’entreprise", choices=CompanySize.choices, widget=forms.RadioSelect
    )
    topics = IdMultipleChoiceField(
        label="Sur quel sujet cherchez-vous de l’aide ?",
        queryset=Topic.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins une thématique."},
    )
    question = forms.CharField(
        label="Votre question, avec vos mots",
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Par exemple : « Nous voulons prévoir les pannes de nos machines de production. » "
        "La recherche a sa propre adresse, pour la retrouver ou la partager : n’y écrivez ni nom ni coordonnées.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = naf_sections()
        self.fields["topics"].queryset = Topic.objects.order_by("order", "name")
        self.fields["siret"].help_text = _siret_help()
        self.fields["pres_de"].label = "Près de chez vous"
        self.fields["pres_de"].help_text = (
            "Facultatif : un code postal ou une commune, par exemple 69003 ou Villeurbanne. Les ambassadeurs "
            "basés dans ce rayon sont proposés, du plus proche au plus éloigné."
        )

    def clean(self):
        cleaned = super().clean()
        self.clean_sector_from_siret(cleaned)
        return cleaned


class ContactForm(NeedFieldsMixin, forms.Form):
    company_name = forms.CharField(
        label="Nom de l’entreprise",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    contact_name = forms.CharField(
        label="Vos prénom et nom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label="Votre adresse électronique",
        max_length=254,
        help_text=(
            "Pour vous transmettre les réponses de l’ambassadeur et suivre votre demande. L’ambassadeur ne la voit "
            "pas, sauf si vous le choisissez plus bas : vous échangez par la messagerie de la plateforme."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label="Votre téléphone",
        max_length=25,
        required=False,
        help_text="Facultatif.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    postcode = forms.CharField(
        label="Code postal de l’entreprise",
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    siret = forms.CharField(label="SIRET", max_length=20, required=False)
    size = forms.ChoiceField(
        label="Taille de l’entreprise", choices=CompanySize.choices, widget=forms.RadioSelect
    )
    sector = IdChoiceField(
        label="Secteur d’activité", queryset=NafActivity.objects.none(), required=False, empty_label="Choisir"
    )
    topic = IdChoiceField(
        label="Thématique", queryset=Topic.objects.none(), required=False, empty_label="Choisir (facultatif)"
    )
    message = forms.CharField(
        label="Votre message",
        min_length=20,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Décrivez votre entreprise et votre besoin (20 à 3 000 caractères).",
        error_messages={"min_length": "Décrivez votre besoin en quelques phrases (20 caractères au moins)."},
    )
    shares_contact = forms.BooleanField(
        label="Je souhaite que l’ambassadeur voie mon adresse électronique et mon téléphone",
        required=False,
        help_text=(
            "Facultatif : pour qu’il puisse vous appeler ou vous écrire directement. Sinon, vous échangez par la "
            "messagerie de la plateforme, sans que votre adresse lui soit montrée. Vous pouvez changer d’avis en "
            "corrigeant votre demande."
        ),
    )
    consent = forms.BooleanField(
        label=(
            "J’accepte que ces informations soient transmises à l’ambassadeur choisi, ou à un autre ambassadeur à "
            "qui la coordination régionale confie la demande, pour qu’il me réponde."
        ),
        help_text="Elles sont effacées douze mois après la clôture de la demande, ou plus tôt à votre demande.",
        error_messages={"required": "Sans votre accord, nous ne pouvons pas transmettre votre demande."},
    )
    # Honeypot: hidden from people (CSS and aria-hidden); a bot that fills it is answered as if all went well.
    website = forms.CharField(label="Ne pas remplir ce champ", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = naf_sections()
        self.fields["topic"].queryset = Topic.objects.order_by("order", "name")
        self.fields["siret"].help_text = _siret_help(search_button=True)

    @property
    def is_bot(self) -> bool:
        return bool((self.data.get(self.add_prefix("website")) or "").strip())

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "").strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(
                "Ce numéro de téléphone n’est pas valide (chiffres, espaces, + au début)."
            )
        return phone

    def clean(self):
        cleaned = super().clean()
        self.clean_sector_from_siret(cleaned)
        return cleaned


# What a company may correct from its private link: who it is and how to reach it, and its message, until its data
# is erased; what routed the request (where, size, sector, topic) only while it is open, since afterwards it only
# feeds the network's figures, which describe the request as it was handled.
CORRECTABLE_ALWAYS = ("company_name", "contact_name", "email", "phone", "siret", "message")
CORRECTABLE_WHILE_OPEN = ("postcode", "size", "sector", "topic")


class RequestCorrectionForm(ContactForm):
    """The contact form again, filled with what the request holds: the same fields and checks (postcode, SIRET
    key, phone, message length, sector or SIRET), without the consent already given; the postcode must stay in the
    request's region (its coordinators and its ambassador were chosen for it)."""

    def __init__(self, *args, request, **kwargs):
        self.request = request
        initial = {name: getattr(request, name) for name in (*CORRECTABLE_ALWAYS, "postcode", "size")}
        initial |= {
            "sector": request.sector_id,
            "topic": request.topic_id,
            "shares_contact": request.company_shares_contact,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["siret"].help_text = _siret_help()  # no « Rechercher » on this page
        keep = (*CORRECTABLE_ALWAYS, "shares_contact", *(CORRECTABLE_WHILE_OPEN if request.is_open else ()))
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]

    @property
    def is_bot(self) -> bool:
        return False  # the private link is the key: no honeypot here

    @property
    def need_fields(self) -> bool:
        return "postcode" in self.fields

    def clean(self):
        cleaned = forms.Form.clean(self)
        if not self.need_fields:
            return cleaned
        self.clean_sector_from_siret(cleaned)
        commune = getattr(self, "commune", None)
        if commune is not None and commune.departement.region_id != self.request.region_id:
            self.add_error(
                "postcode",
                f"Ce code postal est en {commune.departement.region.name}, hors de la région de votre demande "
                f"({self.request.region.name}) : pour une entreprise d’une autre région, envoyez une nouvelle "
                "demande à un ambassadeur de cette région.",
            )
        return cleaned

    def corrected(self) -> dict:
        """The values to write, for the fields this form offers (the département follows the postcode)."""
        d = self.cleaned_data
        values = {
            "company_name": d["company_name"].strip(),
            "contact_name": d["contact_name"].strip(),
            "email": d["email"].strip().lower(),
            "phone": d["phone"],
            "siret": d["siret"],
            "message": d["message"].strip(),
            "company_shares_contact": d["shares_contact"],
        }
        if self.need_fields:
            values |= {
                "postcode": d["postcode"],
                "departement": self.place[1],
                "size": d["size"],
                "sector": d["sector"],
                "topic": d["topic"],
            }
        return values


class AnswerForm(forms.Form):
    answer_kind = forms.ChoiceField(
        label="Échange réalisé", choices=AnswerKind.choices, widget=forms.RadioSelect
    )


class CloseForm(forms.Form):
    """No reason chosen beforehand; « Échange réalisé, demande traitée » only once the exchange is noted (state
    answered): closing must not claim an exchange that never happened (``services.request_transition`` refuses
    it too)."""

    reason = forms.ChoiceField(
        label="Motif de clôture",
        choices=[("", "Choisir un motif"), *CLOSE_REASONS],
        error_messages={
            "required": "Choisissez le motif de clôture.",
            "invalid_choice": "Choisissez un des motifs proposés : « Échange réalisé, demande traitée » suppose "
            "un échange noté sur la demande.",
        },
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)  # set by the confirmation page

    def __init__(self, *args, answered: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not answered:
            self.fields["reason"].choices = [
                c for c in self.fields["reason"].choices if c[0] != CloseReason.DONE
            ]

    @staticmethod
    def label_of(reason: str) -> str:
        return dict(CLOSE_REASONS)[reason]


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Votre message",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="3 000 caractères au plus. Il est transmis par courriel, sans votre adresse.",
        error_messages={"required": "Écrivez votre message."},
    )


class ShareContactForm(forms.Form):
    share = forms.BooleanField(required=False)


class ReassignForm(forms.Form):
    to_ambassador = IdChoiceField(
        label="Confier la demande à", queryset=Ambassador.objects.none(), empty_label="Choisir un ambassadeur"
    )
    note = forms.CharField(label="Message pour l’historique (facultatif)", max_length=500, required=False)

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices is not None:
            self.fields["to_ambassador"].queryset = choices


class DeclineForm(forms.Form):
    prefix = "decline"  # its note must not share an id with the reassignment's

    reason = forms.ChoiceField(
        label="Pourquoi ?",
        choices=DeclineReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez pourquoi la demande n’est pas pour vous."},
    )
    note = forms.CharField(
        label="Précision pour la coordination (facultatif)",
        max_length=500,
        required=False,
        help_text="Par exemple : « pas disponible avant deux mois ». L’entreprise ne la voit pas.",
    )


class FeedbackForm(forms.Form):
    # « Contacted? » first: whether the exchange was useful only makes sense once there was one.
    contacted = forms.TypedChoiceField(
        label="L’ambassadeur a-t-il pris contact avec vous ?",
        choices=[("1", "Oui"), ("0", "Non")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    useful = forms.ChoiceField(
        label="L’échange avec l’ambassadeur vous a-t-il été utile ?",
        choices=Usefulness.choices,
        widget=forms.RadioSelect,
    )


class AvailabilityForm(forms.ModelForm):
    class Meta:
        model = Ambassador
        fields = ["requests_paused", "requests_monthly_limit", "absent_from", "absent_until"]
        labels = {  # the model's verbose names are lower-case, for the admin's sentences
            "requests_paused": "Demandes en pause",
            "requests_monthly_limit": "Demandes par mois au plus",
            "absent_from": "Premier jour d’absence",
            "absent_until": "Dernier jour d’absence (inclus)",
        }
        widgets = {
            "absent_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "absent_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "absent_from": "Une absence prévue (congés, période chargée) : aucune demande ne vous est confiée "
            "pendant ces jours. Laissez vide s’il n’y en a pas.",
        }

    def clean_absent_from(self):
        validate_in_range(self.cleaned_data.get("absent_from"))  # the one rule for dates typed anywhere
        return self.cleaned_data.get("absent_from")

    def clean_absent_until(self):
        validate_in_range(self.cleaned_data.get("absent_until"))
        return self.cleaned_data.get("absent_until")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("absent_from"), cleaned.get("absent_until")
        if bool(start) != bool(end):
            self.add_error(
                "absent_until" if start else "absent_from", "Indiquez le premier et le dernier jour."
            )
        elif start and end:
            if end < start:
                self.add_error("absent_until", "Le dernier jour doit être après le premier.")
            elif (end - start).days > 366:
                self.add_error(
                    "absent_until", "Une absence dure un an au plus : mettez plutôt vos demandes en pause."
                )
            elif end < timezone.localdate():
                self.add_error("absent_until", "Cette absence est déjà passée.")
        return cleaned

    def clean_requests_monthly_limit(self):
        value = self.cleaned_data.get("requests_monthly_limit")
        if value is not None and not 1 <= value <= 100:
            raise forms.ValidationError("Indiquez un nombre entre 1 et 100, ou laissez vide.")
        return value
