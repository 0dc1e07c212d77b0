from datetime import UTC
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone as djtz

from agenda.enums import Format, Mode, ModerationAction, Status
from agenda.fields import FORM_FIELDS, LABELS, MODERATED_M2M
from agenda.imports import MAX_BYTES
from agenda.models import Event, ImportSource
from agenda.selectors import AgendaFilters
from agenda.services import AT_CREATION, NOT_AT_CREATION_MESSAGE
from agenda.validation import check_event
from agenda.workflow import MODERATOR, WORKFLOW
from ambassadors.forms import NearFieldsForm, PlaceSectorTopicFilterForm
from ambassadors.models import Ambassador
from core.dates import localtime, validate_in_range
from core.ids import IdMultipleChoiceField
from core.widgets import Checklist
from territories.addresses import lookup_enabled as address_lookup_enabled
from territories.models import Region
from territories.selectors import naf_sections


class AgendaFilterForm(PlaceSectorTopicFilterForm, NearFieldsForm):
    """The agenda's filters (GET): the directory's shared ones, « près de » a place (``NearFieldsForm``: the events
    within the distance, nearest first), dates, format and mode."""

    field_order = [
        "q",
        "pres_de",
        "distance",
        "region",
        "departement",
        "du",
        "au",
        "format",
        "mode",
        "secteur",
        "thematique",
    ]

    du = forms.DateField(
        label="Du",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Date invalide : utilisez le format AAAA-MM-JJ."},
        validators=[validate_in_range],
    )
    au = forms.DateField(
        label="Au",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Date invalide : utilisez le format AAAA-MM-JJ."},
        validators=[validate_in_range],
    )
    format = forms.ChoiceField(
        label="Format",
        choices=[("", "Tous les formats"), *Format.choices],
        required=False,
        error_messages={"invalid_choice": "Le format « %(value)s » n’existe pas."},
    )
    mode = forms.ChoiceField(
        label="Modalité",
        choices=[("", "Toutes"), *Mode.choices],
        required=False,
        error_messages={"invalid_choice": "La modalité « %(value)s » n’existe pas."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pres_de"].help_text = "Code postal ou commune"  # (a filter bar: the short hint)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("du") and cleaned.get("au") and cleaned["au"] < cleaned["du"]:
            self.add_error("au", "La date de fin doit être après la date de début.")
        return cleaned

    def filters(self) -> AgendaFilters:
        if not self.is_bound or not self.is_valid():
            return AgendaFilters()
        d = self.cleaned_data
        return AgendaFilters(
            region=d["region"],
            departement=d["departement"],
            du=d["du"],
            au=d["au"],
            format=d["format"],
            mode=d["mode"],
            secteur=d["secteur"],
            thematique=d["thematique"],
            q=d["q"],
            origin=self.origin,
            km=self.near_km,
        )


TIMEZONE_CHOICES = [
    ("", "Celui de la région"),
    ("Europe/Paris", "Heure de Paris"),
    ("America/Guadeloupe", "Guadeloupe"),
    ("America/Martinique", "Martinique"),
    ("America/Cayenne", "Guyane"),
    ("Indian/Reunion", "La Réunion"),
    ("Indian/Mayotte", "Mayotte"),
]


class WallClockDateTimeField(forms.DateTimeField):
    """A date and time as read on the clock of the event's place. Parsed in UTC (a zone without daylight-saving
    gaps) so that a time that does not exist in Paris, but does overseas, is not refused; ``EventForm.clean`` then
    puts the event's own zone on it."""

    def to_python(self, value):
        with djtz.override(UTC):
            return super().to_python(value)


class EventForm(forms.ModelForm):
    """Contribution form. Times are entered in the event's own time zone (its region's by default). The place is
    asked in the order of an address (venue, street, postcode, commune). A new event is never postponed nor
    cancelled. The ambassadors present are chosen in a searchable list (``core.widgets.Checklist``) among those
    who may be listed (``rules.may_be_listed``: the event's region, or its creator's for a new event, and the
    national profiles); an ambassador who creates an event is ticked at first."""

    # The sections of the form, in the order the template shows them.
    SECTIONS = (
        ("L’événement", ("title", "description", "format", "audience", "topics", "sectors")),
        ("Date et heure", ("starts_at", "ends_at", "all_day", "timezone")),
        ("Lieu", ("mode", "venue_name", "address", "postcode", "commune_name", "region", "online_url")),
        (
            "Inscription et intervenants",
            ("is_free", "registration_url", "organizer_name", "organizer_url", "ambassadors"),
        ),
        ("Statut", ("status",)),
    )

    postcode = forms.CharField(
        label="Code postal",
        max_length=5,
        required=False,
        help_text="Pour un événement en présentiel : il situe la commune et la région.",
    )
    commune_name = forms.CharField(
        label="Commune",
        max_length=100,
        required=False,
        help_text="Utile si le code postal couvre plusieurs communes ; sinon, la principale est retenue.",
    )
    timezone = forms.ChoiceField(label="Fuseau horaire", choices=TIMEZONE_CHOICES, required=False)
    starts_at = WallClockDateTimeField(
        label="Début",
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "class": "fr-input"}, format="%Y-%m-%dT%H:%M"
        ),
        # Judged on the clock it is typed on, before any zone is put on it (year 1 or 9999 would overflow).
        validators=[validate_in_range],
    )
    ends_at = WallClockDateTimeField(
        label="Fin",
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "class": "fr-input"}, format="%Y-%m-%dT%H:%M"
        ),
        # Judged on the clock it is typed on, before any zone is put on it (year 1 or 9999 would overflow).
        validators=[validate_in_range],
    )

    class Meta:
        model = Event
        fields = FORM_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "sectors": forms.CheckboxSelectMultiple,
            "topics": forms.CheckboxSelectMultiple,
        }
        labels = LABELS
        field_classes = {
            "sectors": IdMultipleChoiceField,
            "topics": IdMultipleChoiceField,
            "ambassadors": IdMultipleChoiceField,
        }
        help_texts = {
            "region": "Déduite du code postal s’il est donné ; sinon, la région concernée (en ligne).",
            "status": "Reporté : sans nouvelle date, la page annonce « Nouvelle date à venir » ; donnez "
            "les nouvelles dates de début et de fin et l’événement est annoncé reporté, avec sa date initiale.",
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields([name for _, names in self.SECTIONS for name in names])
        self.fields["sectors"].queryset = naf_sections()
        self.fields["region"].queryset = Region.objects.order_by("search_name")
        self.fields["region"].required = False
        self._ambassadors(user)
        if address_lookup_enabled():
            # Suggestions of the Base Adresse Nationale as one types (manage_edit.html, address-suggestions.js).
            self.fields["address"].widget.attrs.update(
                autocomplete="off", suggestions=reverse("territories:address_suggestions")
            )
        if self.instance.pk is None:
            status = self.fields["status"]
            status.choices = [(v, label) for v, label in status.choices if v in AT_CREATION]
            status.error_messages["invalid_choice"] = NOT_AT_CREATION_MESSAGE
            status.help_text = (
                "Un événement reporté, annulé ou passé en ligne se signale après sa création, depuis sa page de "
                "gestion."
            )
        if self.instance.pk and self.instance.commune_id:
            self.fields["postcode"].initial = self.instance.commune.postal_codes.values_list(
                "code", flat=True
            ).first()
            self.fields["commune_name"].initial = self.instance.commune.name
        if self.instance.pk and self.instance.timezone not in dict(TIMEZONE_CHOICES):
            # An imported event may carry another zone (an online event held from Montréal): keep it selectable.
            self.fields["timezone"].choices = [
                *TIMEZONE_CHOICES,
                (self.instance.timezone, self.instance.timezone),
            ]
        if self.instance.pk:
            # Show the times in the event's own zone.
            zone = ZoneInfo(self.instance.timezone)
            # (never overflowing: a row written past the form can still be opened and corrected)
            self.initial["starts_at"] = localtime(self.instance.starts_at, zone).replace(tzinfo=None)
            self.initial["ends_at"] = localtime(self.instance.ends_at, zone).replace(tzinfo=None)

    def _ambassadors(self, user) -> None:
        """The ambassadors who may be listed: published, of the event's region (the creator's regions for a new
        event; every region for the national coordination) or national; those already listed stay offered (the
        service keeps them too)."""
        field = self.fields["ambassadors"]
        field.widget = Checklist(search_label="Rechercher un ambassadeur par son nom")
        field.label_from_instance = lambda a: a.full_name
        field.help_text = (
            "Les ambassadeurs dont le profil est public et qui agissent dans la région de l’événement."
        )
        field.error_messages["invalid_choice"] = (
            "Seuls les ambassadeurs de la région de l’événement ou de portée nationale peuvent y être indiqués."
        )
        if self.instance.pk:
            regions = [self.instance.region_id]
        elif user is not None and user.is_national_coordinator:
            regions = None
        elif user is not None and user.is_regional_coordinator:
            regions = [user.region_id]
        elif user is not None and hasattr(user, "ambassador"):
            regions = list(user.ambassador.regions.values_list("pk", flat=True))
        else:
            regions = []
        listed = Q() if regions is None else Q(is_national=True) | Q(regions__in=regions)
        offered = Q(pk__in=Ambassador.objects.published().filter(listed).values("pk"))
        if self.instance.pk:
            offered |= Q(pk__in=self.instance.ambassadors.values("pk"))
        field.queryset = Ambassador.objects.filter(offered).order_by("sort_name", "pk")
        own = getattr(user, "ambassador", None) if user is not None and user.is_ambassador else None
        unset = self.instance.pk is None and not self.is_bound
        if unset and own is not None and field.queryset.filter(pk=own.pk).exists():
            self.initial["ambassadors"] = [own.pk]

    def full_clean(self):
        super().full_clean()
        # core/field.html lets Django render the datetime-local inputs, and Django points their aria-describedby at
        # "<id>_error", which does not exist: tie them to the partial's error paragraph ("<id>-err") and mark them.
        for name in ("starts_at", "ends_at"):
            if self._errors and name in self._errors:
                self.fields[name].widget.attrs.update(
                    {"class": "fr-input fr-input--error", "aria-describedby": f"{self[name].auto_id}-err"}
                )

    def clean(self):
        cleaned = super().clean()
        # The form fields read the wall-clock times as UTC (``WallClockDateTimeField``): hand them over without a zone,
        # to be read on the event's clock.
        times = {
            name: cleaned[name].astimezone(UTC).replace(tzinfo=None)
            for name in ("starts_at", "ends_at")
            if cleaned.get(name)
        }
        checked = check_event(
            postcode=cleaned.get("postcode") or "",
            commune_name=cleaned.get("commune_name") or "",
            region=cleaned.get("region"),
            timezone=cleaned.get("timezone") or "",
            mode=cleaned.get("mode") or "",
            online_url=cleaned.get("online_url") or "",
            status=cleaned.get("status") or "",
            **times,
        )
        for name, messages in checked.errors.items():
            for message in messages:
                self.add_error(name, message)
        self.commune = checked.values["commune"]
        cleaned.update({name: value for name, value in checked.values.items() if name in self.fields})
        return cleaned

    def sections(self):
        """[(title, [bound fields])] in the order of the form."""
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def event_data(self) -> tuple[dict, dict]:
        """(data, m2m) for ``services.event_save``."""
        d = self.cleaned_data
        data = {k: d[k] for k in FORM_FIELDS if k not in MODERATED_M2M}
        data["commune"] = self.commune
        data["departement"] = self.commune.departement if self.commune else None
        return data, {k: d[k] for k in FORM_FIELDS if k in MODERATED_M2M}


class ModerationForm(forms.Form):
    action = forms.ChoiceField(
        label="Décision",
        choices=[
            (a.value, label)
            for a, label in ((ModerationAction.PUBLISH, "Publier"), (ModerationAction.REFUSE, "Refuser"))
        ],
    )
    reason = forms.CharField(
        label="Motif (obligatoire pour un refus)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # The event's SEQUENCE when the page was shown: a decision on an event changed since is refused (``Conflict``).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, event=None, **kwargs):
        """With ``event``, only the decisions its state allows (``agenda.workflow``): publish or refuse an event
        waiting, take a published one off the agenda, publish a refused one after all."""
        super().__init__(*args, **kwargs)
        if event is not None:
            allowed = WORKFLOW.actions_from(event.moderation, MODERATOR)
            self.fields["action"].choices = [
                (v, label) for v, label in self.fields["action"].choices if v in allowed
            ]
            self.initial.setdefault("version", event.sequence)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Statut", choices=Status.choices)


# The import sources' back office (agenda/views_imports.py).


class CalendarFileField(forms.FileField):
    def __init__(self, **kwargs):
        super().__init__(
            label="Fichier iCalendar (.ics)",
            required=False,
            help_text="Un export de calendrier au format .ics (5 Mo au plus).",
            **kwargs,
        )

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload.size > MAX_BYTES:
            raise forms.ValidationError("Le fichier dépasse 5 Mo : il n’est pas importé.")
        return upload


class CalendarURLField(forms.URLField):
    """An URL; webcal:// (what calendar applications publish) is read as https://."""

    def to_python(self, value):
        value = (value or "").strip()
        if value.lower().startswith("webcal://"):
            value = "https://" + value[len("webcal://") :]
        return super().to_python(value)


class SourceForm(forms.ModelForm):
    file = CalendarFileField()

    class Meta:
        model = ImportSource
        fields = ["name", "url", "default_region", "default_format", "publish_directly"]
        field_classes = {"url": CalendarURLField}
        help_texts = {
            "url": "Adresse http(s) ou webcal d’un calendrier public ; elle sera relue régulièrement. Laissez vide "
            "pour importer un fichier.",
            "default_region": "Région des événements dont le lieu ne donne pas de code postal.",
            "default_format": "Format donné aux événements importés.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.order_by("search_name")
        if not user.is_national_coordinator:
            regions = regions.filter(code=user.region_id)
            self.fields["default_region"].required = True
            self.fields["default_region"].empty_label = None
        self.fields["default_region"].queryset = regions

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("url") and not cleaned.get("file") and not self.has_error("url"):
            self.add_error("url", "Indiquez l’adresse du calendrier ou choisissez un fichier .ics.")
        return cleaned


class UploadForm(forms.Form):
    file = CalendarFileField()

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            raise forms.ValidationError("Choisissez le fichier .ics à importer.")
        return upload
