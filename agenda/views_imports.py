"""Back office of the imports: the sources of other calendars, their runs, a new source, "import now" (their forms
in agenda/forms.py, the sources a coordinator manages in agenda/selectors.py: sources_for_user).

Coordinators only (403 for the others). A regional coordinator sees and creates the sources of their region; the
national coordination all of them. Every import goes through ``agenda.imports`` (the same service as the command and
the task).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from agenda import rules, services
from agenda.forms import SourceForm, UploadForm
from agenda.imports import MAX_BYTES, FetchError, fetch_url, import_calendar, import_source
from agenda.models import ImportRun
from agenda.selectors import sources_for_user

RUNS_SHOWN = 20


def _coordinator(request) -> None:
    if not rules.can_see_sources(request.user):
        raise PermissionDenied


def _read_upload(upload) -> bytes:
    return upload.read(MAX_BYTES + 1)  # the service refuses what is bigger, with its message


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
