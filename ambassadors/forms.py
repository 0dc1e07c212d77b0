from django import forms
from django.db.models import Q

from ambassadors import rules
from ambassadors.enums import ProfileKind
from ambassadors.models import Ambassador, PartnerNetwork, Topic
from ambassadors.selectors import DirectoryFilters
from ambassadors.services import departements_outside_regions_error
from ambassadors.validators import clean_siren, validate_siren
from core.ids import IdMultipleChoiceField
from core.widgets import Checklist
from territories.models import Departement, Region
from territories.selectors import naf_sections


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


class DirectoryFilterForm(PlaceSectorTopicFilterForm):
    """The directory's filters: the shared ones, plus profile, network and France Num activateurs."""

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

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].queryset = naf_sections()
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

    def clean_siren(self):
        value = clean_siren(self.cleaned_data.get("siren", ""))
        if value:
            validate_siren(value)
        return value

    def clean(self):
        cleaned = super().clean()
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
