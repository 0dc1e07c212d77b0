from django import forms
from django.db.models import Q

from ambassadors import rules
from ambassadors.enums import ProfileKind
from ambassadors.models import Ambassador, PartnerNetwork, Topic
from ambassadors.selectors import DirectoryFilters
from ambassadors.services import departements_outside_regions_error
from ambassadors.validators import clean_siren, validate_siren
from core.ids import IdMultipleChoiceField
from core.search import name_key
from core.widgets import Checklist
from territories.geo import DISTANCES_KM, Origin, origin_for
from territories.models import Departement, Region
from territories.selectors import communes_for_postcode, naf_sections


class CodeChoiceField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": "La valeur « %(value)s » n’existe pas pour ce filtre. Choisissez une valeur de la liste."
    }


class DepartementSelect(forms.Select):
    """The départements, each option with its region (``data-region``): core/static/js/site.js shows only those of
    the region chosen. Without JavaScript, once a region is sent, only its départements are offered (and the one
    chosen, if it lies elsewhere: the form says so)."""

    region_code = ""
    follows = "region"  # the name of the region field (core/templates/core/field.html writes data-follows)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["region"] = instance.region_id
        return option

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, value, attrs)
        if not self.region_code:
            return groups
        return [
            (
                group,
                [o for o in options if o.get("region") in (None, self.region_code) or o["selected"]],
                index,
            )
            for group, options, index in groups
        ]


DEFAULT_DISTANCE = "30"
DISTANCE_CHOICES = [(str(km), f"{km}\u00a0km") for km in DISTANCES_KM]
UNKNOWN_PLACE = (
    "Nous ne trouvons pas «\u00a0%(value)s\u00a0»\u00a0: indiquez un code postal (5 chiffres) ou le nom d’une "
    "commune, par exemple 69003 ou Villeurbanne."
)


class NearFieldsForm(forms.Form):
    """« Près de » a postcode or a commune (``pres_de``), within ``distance`` km (10, 30 or 50; 30 when not sent):
    the finder's, the directory's and the agenda's. ``origin`` is the commune understood (``territories.geo.origin_for``), its
    label (« Lyon (69) ») the field's cleaned value, as the active filters show it; None without a place."""

    pres_de = forms.CharField(
        label="Près de",
        max_length=120,
        required=False,
        help_text="Facultatif : un code postal ou une commune, par exemple 69003 ou Villeurbanne.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    distance = forms.ChoiceField(
        label="Dans un rayon de",
        choices=DISTANCE_CHOICES,
        required=False,
        initial=DEFAULT_DISTANCE,
        error_messages={"invalid_choice": "Choisissez une distance de 10, 30 ou 50\u00a0km."},
    )
    origin: Origin | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and not self.data.get(self.add_prefix("distance")):
            # Shown as chosen when not sent (a select without a choice would show its first option, 10 km).
            self.data = self.data.copy()
            self.data[self.add_prefix("distance")] = DEFAULT_DISTANCE

    def clean_pres_de(self):
        text = " ".join(self.cleaned_data.get("pres_de", "").split())
        if not text:
            return ""
        origin = origin_for(text)
        if origin is None:
            raise forms.ValidationError(UNKNOWN_PLACE, params={"value": text[:50]}, code="unknown_place")
        self.origin = origin
        return origin.label

    def clean_distance(self):
        return self.cleaned_data.get("distance") or DEFAULT_DISTANCE

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("pres_de") and "distance" in cleaned:
            cleaned["distance"] = ""  # without a place, no distance: not an active filter
        return cleaned

    @property
    def near_km(self) -> int | None:
        """The distance chosen, when there is a place to measure it from."""
        if self.origin is None or not self.is_valid():
            return None
        return int(self.cleaned_data["distance"] or DEFAULT_DISTANCE)


class PlaceSectorTopicFilterForm(forms.Form):
    """The filters that the directory and the agenda share (GET): free text, region, département, NAF section,
    topic. A value that does not exist is an error shown next to the filter (the page answers 400), never a crash."""

    q = forms.CharField(label="Rechercher", max_length=100, required=False)
    region = CodeChoiceField(
        label="Région",
        queryset=Region.objects.order_by("search_name"),
        to_field_name="code",
        required=False,
        empty_label="Toutes les régions",
    )
    departement = CodeChoiceField(
        label="Département",
        queryset=Departement.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label="Tous les départements",
        widget=DepartementSelect,
    )
    secteur = CodeChoiceField(
        label="Secteur d’activité",
        queryset=naf_sections(),
        to_field_name="code",
        required=False,
        empty_label="Tous les secteurs",
    )
    thematique = CodeChoiceField(
        label="Thématique",
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Toutes les thématiques",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        region = self.data.get("region", "") if self.is_bound else ""
        self.fields["departement"].widget.region_code = region if isinstance(region, str) else ""

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())

    def clean(self):
        """A département outside the region chosen would silently give nothing: it is an error, said in words."""
        cleaned = super().clean()
        region, departement = cleaned.get("region"), cleaned.get("departement")
        if region and departement and departement.region_id != region.code:
            self.add_error(
                "departement",
                f"{departement.name} n’est pas un département de la région {region.name}\u00a0: choisissez un "
                "département de cette région, ou «\u00a0Tous les départements\u00a0».",
            )
        return cleaned


class DirectoryFilterForm(PlaceSectorTopicFilterForm, NearFieldsForm):
    """The directory's filters: the shared ones, plus profile, network and France Num activateurs, and « près de »
    a place (``NearFieldsForm``: those whose commune lies within the distance, nearest first)."""

    field_order = ["q", "pres_de", "distance"]

    q = forms.CharField(
        label="Rechercher", max_length=100, required=False, help_text="Nom, structure, mots-clés"
    )
    profil = forms.ChoiceField(
        label="Profil",
        choices=[("", "Tous les profils"), *ProfileKind.choices],
        required=False,
        error_messages={
            "invalid_choice": "Le profil « %(value)s » n’existe pas : grand_public ou sectoriel_regional."
        },
    )
    reseau = CodeChoiceField(
        label="Réseau partenaire",
        queryset=PartnerNetwork.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Tous les réseaux",
    )
    activateur = forms.BooleanField(label="Activateurs France Num uniquement", required=False)

    def filters(self) -> DirectoryFilters:
        if not self.is_valid():
            return DirectoryFilters()
        data = self.cleaned_data
        return DirectoryFilters(
            region=data["region"],
            departement=data["departement"],
            secteur=data["secteur"],
            thematique=data["thematique"],
            profil=data["profil"],
            reseau=data["reseau"],
            activateur=data["activateur"],
            q=data["q"],
            origin=self.origin,
            distance_km=self.near_km,
        )

    @property
    def active_count(self) -> int:
        if not self.is_valid():
            return 0
        return sum(1 for v in self.cleaned_data.values() if v)


class AmbassadorProfileForm(forms.ModelForm):
    """What the person (or a coordinator of their scope) edits in the back office. Regions and départements are
    the coordination’s choice: they are not in the form of anyone else (``user`` is who edits)."""

    # Typed with spaces (« 732 829 320 ») as people write it; stored compact, checked with its key.
    siren = forms.CharField(
        label="SIREN de la structure", max_length=20, required=False, help_text="Facultatif, 9 chiffres."
    )
    # Where the ambassador is based (``Ambassador.commune``, public, for « près de »): a postcode gives the commune,
    # as the agenda's form places an event; a postcode serving several communes asks which (a list of them).
    postcode = forms.CharField(
        label="Code postal de votre commune",
        max_length=10,
        required=False,
        help_text="Facultatif : la commune de votre structure (jamais une adresse). Elle est publique : les "
        "entreprises qui cherchent de l’aide près de chez elles vous y trouvent, à la distance du centre de la "
        "commune.",
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    commune_name = forms.CharField(
        label="Commune",
        max_length=100,
        required=False,
        help_text="Trouvée d’après le code postal ; s’il couvre plusieurs communes, choisissez la vôtre.",
    )

    class Meta:
        model = Ambassador
        fields = [
            "first_name",
            "last_name",
            "gender",
            "job_title",
            "structure_name",
            "siren",
            "bio",
            "website_url",
            "linkedin_url",
            "regions",
            "departements",
            "sectors",
            "topics",
            "contact_email",
            "contact_phone",
        ]
        widgets = {
            "gender": forms.RadioSelect,
            "regions": forms.CheckboxSelectMultiple,
            "sectors": forms.CheckboxSelectMultiple,
            "topics": forms.CheckboxSelectMultiple,
            "bio": forms.Textarea(attrs={"rows": 6}),
        }
        field_classes = {"sectors": IdMultipleChoiceField, "topics": IdMultipleChoiceField}

    field_order = [
        "first_name",
        "last_name",
        "gender",
        "job_title",
        "structure_name",
        "siren",
        "postcode",
        "commune_name",
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].queryset = naf_sections()
        self._place_fields()
        if rules.can_edit_territory(user, self.instance):
            self.fields["regions"].queryset = Region.objects.order_by("search_name")
            departements = self.fields["departements"]
            departements.widget = Checklist(
                search_label="Rechercher un département, par son nom ou sa région"
            )
            departements.label_from_instance = lambda d: d.label_with_region
            departements.queryset = Departement.objects.select_related("region").order_by("code")
            departements.help_text = "Dans les régions cochées."
            if not user.is_national_coordinator:
                # The service refuses a region added or removed by a regional coordinator: not offered either.
                self.fields["regions"].disabled = True
                self.fields["regions"].help_text = "Seule la coordination nationale change les régions."
                departements.help_text = "Les départements de votre région."
                departements.label_from_instance = str  # one region: its name on every line says nothing
                # Those of the region, and the ones the ambassador already has elsewhere (kept as they are).
                current = self.instance.departements.all() if self.instance.pk else Departement.objects.none()
                departements.queryset = departements.queryset.filter(
                    Q(region_id=user.region_id) | Q(pk__in=current.values("pk"))
                )
                departements.error_messages["invalid_choice"] = (
                    "Le département %(value)s n’est pas dans votre région : seule la coordination nationale peut "
                    "l’ajouter."
                )
        else:
            del self.fields["regions"], self.fields["departements"]

    def _place_fields(self) -> None:
        """The commune's fields as the profile holds it (its first postcode), or as sent; when the postcode serves
        several communes, the commune is chosen in the list of them."""
        commune = self.instance.commune if self.instance.pk and self.instance.commune_id else None
        if commune is not None:
            self.initial.setdefault(
                "postcode", commune.postal_codes.order_by("code").values_list("code", flat=True).first() or ""
            )
            self.initial.setdefault("commune_name", commune.name)
        postcode = (
            self.data.get(self.add_prefix("postcode"), "")
            if self.is_bound
            else self.initial["postcode"]
            if commune
            else ""
        )
        self.communes = list(communes_for_postcode(postcode if isinstance(postcode, str) else ""))
        if len(self.communes) > 1:
            field = self.fields["commune_name"]
            field.widget = forms.Select(
                choices=[("", "Choisir la commune"), *((c.name, c.name) for c in self.communes)]
            )
            field.help_text = "Ce code postal couvre plusieurs communes : choisissez la vôtre."

    def clean_siren(self):
        value = clean_siren(self.cleaned_data.get("siren", ""))
        if value:
            validate_siren(value)
        return value

    def _clean_commune(self, cleaned: dict) -> None:
        """``postcode`` and ``commune_name`` give ``commune`` (None when both are empty: no commune)."""
        postcode = (cleaned.pop("postcode", "") or "").strip().replace(" ", "")
        name = " ".join((cleaned.pop("commune_name", "") or "").split())
        if not postcode:
            cleaned["commune"] = None
            if name:
                self.add_error("postcode", "Indiquez le code postal de la commune.")
            return
        communes = self.communes if postcode.isascii() else []
        if not communes:
            self.add_error(
                "postcode", "Ce code postal est inconnu : vérifiez-le (5 chiffres, par exemple 69100)."
            )
            return
        wanted = name_key(name)
        commune = next((c for c in communes if name_key(c.name) == wanted), None) if wanted else None
        if commune is None and len(communes) == 1 and not wanted:
            commune = communes[0]
        if commune is None:
            names = ", ".join(c.name for c in communes)
            self.add_error(
                "commune_name",
                f"Ce code postal couvre plusieurs communes : choisissez la vôtre ({names})."
                if not wanted
                else f"Cette commune n’a pas le code postal {postcode} : choisissez parmi {names}.",
            )
            return
        cleaned["commune"] = commune

    def clean(self):
        cleaned = super().clean()
        self._clean_commune(cleaned)
        regions, departements = cleaned.get("regions"), cleaned.get("departements")
        if "departements" in self.fields and regions is not None and departements:
            error = departements_outside_regions_error(departements, regions)
            if error:
                self.add_error("departements", error)
        return cleaned


class UnpublishForm(forms.Form):
    reason = forms.CharField(
        label="Motif du retrait",
        max_length=300,
        help_text="Transmis à la personne par courriel.",
        error_messages={"required": "Indiquez le motif du retrait : il est transmis à la personne."},
    )
