"""Back office of the imports: the sources of other calendars, their runs, a new source, "import now".

Coordinators only (403 for the others). A regional coordinator sees and creates the sources of their region; the
national coordination all of them. Every import goes through ``agenda.imports`` (the same service as the command and
the task).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.scope import scope_for
from agenda import services
from agenda.imports import MAX_BYTES, FetchError, fetch_url, import_calendar, import_source
from agenda.models import ImportRun, ImportSource
from territories.models import Region

RUNS_SHOWN = 20


def _coordinator(request) -> None:
    if not request.user.is_coordinator:
        raise PermissionDenied


def sources_for_user(user):
    """The sources a coordinator manages: all for the national coordination, their region's for a regional one."""
    return scope_for(user).narrow(
        ImportSource.objects.select_related("default_region"), region="default_region_id"
    )


def _read_upload(upload) -> bytes:
    return upload.read(MAX_BYTES + 1)  # the service refuses what is bigger, with its message


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


def source_list(request):
    _coordinator(request)
    last_run = ImportRun.objects.filter(source=OuterRef("pk")).order_by("-started_at", "-pk").values("pk")[:1]
    sources = list(
        sources_for_user(request.user).annotate(
            last_run_id=Subquery(last_run),
            event_count=Count("events", distinct=True),
            missing_count=Count(
                "events", filter=Q(events__missing_from_source_since__isnull=False), distinct=True
            ),
        )
    )
    runs = ImportRun.objects.in_bulk([s.last_run_id for s in sources if s.last_run_id])
    rows = [(s, runs.get(s.last_run_id)) for s in sources]
    return render(request, "agenda/imports/source_list.html", {"rows": rows})


def source_create(request):
    _coordinator(request)
    form = SourceForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            # Read the URL before the transaction: no database lock held while a remote server answers.
            content = _read_upload(upload) if upload else fetch_url(form.cleaned_data["url"])
        except FetchError as exc:
            form.add_error("url", str(exc))
        else:
            with transaction.atomic():
                data = {name: form.cleaned_data[name] for name in services.SOURCE_FIELDS}
                source = services.import_source_save(by=request.user, data=data)
                run = import_calendar(source=source, content=content, by=request.user)
                if run.error:
                    transaction.set_rollback(
                        True
                    )  # a source that cannot be read is not created: nothing to keep
            if not run.error:
                messages.success(request, _run_message(run))
                return redirect("agenda:source_detail", pk=source.pk)
            form.add_error("file" if upload else "url", run.error)
    return render(
        request,
        "agenda/imports/source_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _run_message(run: ImportRun) -> str:
    return (
        f"Import terminé : {run.created} créé(s), {run.updated} mis à jour, {run.unchanged} inchangé(s), "
        f"{run.skipped} ignoré(s), {run.missing} disparu(s) de la source."
    )


def _detail(request, source, *, upload_form=None, status=200):
    runs = list(source.runs.all()[:RUNS_SHOWN])
    return render(
        request,
        "agenda/imports/source_detail.html",
        {
            "source": source,
            "runs": runs,
            "event_count": source.events.count(),
            "missing_count": source.events.filter(missing_from_source_since__isnull=False).count(),
            "upload_form": upload_form or UploadForm(),
        },
        status=status,
    )


def source_detail(request, pk):
    _coordinator(request)
    source = get_object_or_404(sources_for_user(request.user), pk=pk)
    return _detail(request, source)


@require_POST
def source_import(request, pk):
    """« Importer maintenant »: re-read the URL, or import a new version of the file."""
    _coordinator(request)
    source = get_object_or_404(sources_for_user(request.user), pk=pk)
    if source.url:
        run = import_source(source, by=request.user)
    else:
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return _detail(request, source, upload_form=form, status=400)
        run = import_calendar(source=source, content=_read_upload(form.cleaned_data["file"]), by=request.user)
        if run.error:
            form.add_error("file", run.error)
            return _detail(request, source, upload_form=form, status=400)
    if run.error:
        messages.error(request, f"L’import a échoué : {run.error}")
    else:
        messages.success(request, _run_message(run))
    return redirect("agenda:source_detail", pk=source.pk)
