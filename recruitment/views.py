from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.errors import DomainError
from core.exports import export_response
from core.http import private_link_page
from core.ids import parse_id
from recruitment import exports, rules, services, workflow
from recruitment.enums import ApplicationAction
from recruitment.forms import (
    ApplicationCorrectionForm,
    ApplicationForm,
    BulkDecisionForm,
    CallForm,
    CorrectionRequestForm,
    DecisionForm,
    MessageForm,
    QuestionFormSet,
    QueueFilterForm,
    ReviewForm,
)
from recruitment.models import Application, Call
from recruitment.selectors import (
    application_corrections,
    application_messages,
    application_personal_data,
    application_sections,
    applications_for_user,
    applications_queue,
    call_current,
    call_last_closed,
    call_next,
    reviewers_expected,
    state_counts,
)
from territories.companies import lookup_enabled as company_lookup_enabled

# Public: the call and the applicant's private page.


@login_not_required
@never_cache
def ami(request):
    """GET: the open call and its form. POST: an application to the call the form was shown for; whether it is
    still open is decided by the service at this very instant, whatever time the page was opened."""
    status = 200
    if request.method == "POST":
        call_id = parse_id(request.POST.get("call", ""))
        call = Call.objects.filter(pk=call_id).first() if call_id else None
        if call is None:
            return _bad_request(request, "Le formulaire ne désigne pas d’appel.")
        form = ApplicationForm(request.POST, call=call)
        if request.POST.get("lookup"):
            # « Rechercher la structure »: the form again, completed from the SIRET's lookup; nothing checked nor
            # saved, the call's opening decided when the application is sent.
            company, error = form.lookup_company()
            return render(
                request,
                "recruitment/ami.html",
                {
                    "call": call,
                    "form": form,
                    "lookup": {"company": company, "error": error},
                    "lookup_enabled": company_lookup_enabled(),
                },
            )
        if form.is_valid():
            try:
                services.application_submit(call=call, data=form.application_data())
            except services.CallClosed as exc:
                form.add_error(None, str(exc))
                status = 403
            except services.DuplicateApplication:
                # Answered exactly as a success: the page must not tell whether this email has applied.
                return redirect("recruitment:ami_sent")
            else:
                return redirect("recruitment:ami_sent")
        else:
            status = 400
    else:
        call = call_current()
        form = ApplicationForm(call=call) if call else None
    return render(
        request,
        "recruitment/ami.html",
        {
            "call": call,
            "form": form,
            "next_call": None if call else call_next(),
            "last_call": None if call else call_last_closed(),
            "lookup_enabled": company_lookup_enabled(),
        },
        status=status,
    )


@login_not_required
def ami_sent(request):
    """After an application: the same page whether it was recorded or the email had already applied (its link was
    sent again); only the mailbox tells them apart."""
    return render(request, "recruitment/ami_sent.html")


def _bad_request(request, text: str):
    return render(
        request, "core/error.html", {"status": 400, "title": "Requête incorrecte", "text": text}, status=400
    )


def _private_application(token):
    """The application of a private link: the token is the only key, any other is a 404."""
    return get_object_or_404(
        Application.objects.select_related("call", "region", "proposing_network").prefetch_related(
            "departements", "sectors", "topics", "messages", "call__questions"
        ),
        token=token,
    )


@login_not_required
@require_safe
def status(request, token):
    """Everything held on the person (``selectors.PERSONAL_DATA``), and their rights: download, correct,
    withdraw, erase."""
    application = _private_application(token)
    return private_link_page(render(request, "recruitment/status.html", _status_context(application)))


def _status_context(application, *, message_form=None):
    today = timezone.localdate()
    return {
        "application": application,
        "can_withdraw": _can_withdraw(application),
        "sections": application_sections(application),
        "correct_all": workflow.correctable_all(application, today),
        "correction_open": workflow.correction_open(application, today),
        "correction_overdue": workflow.correction_overdue(application, today),
        "correction_request": next(
            (m for m in reversed(application.messages.all()) if m.kind == "correction_request"), None
        ),
        "thread": application.messages.all(),
        "can_write": application.state != "withdrawn",
        "message_form": message_form or MessageForm(),
        "erase_after_withdrawal_days": services.WITHDRAWN_RETENTION.days,
        "erase_on": application.withdrawn_at + services.WITHDRAWN_RETENTION
        if application.withdrawn_at
        else None,
    }


def _can_withdraw(application) -> bool:
    return workflow.may(workflow.APPLICANT, ApplicationAction.WITHDRAW, application.state)


@login_not_required
@require_safe
def personal_data(request, token):
    """The same data as the page, as a JSON file to keep (right of access, and portability)."""
    application = _private_application(token)
    data = {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, _label, value in application_personal_data(application)
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="ma-candidature.json"'
    return private_link_page(response)


@login_not_required
@require_http_methods(["GET", "POST"])
def correct(request, token):
    """The AMI form again, filled in; every correction through ``services.application_correct``."""
    application = _private_application(token)
    status = 200
    if request.method == "POST":
        form_contact_only = not workflow.correctable_all(application, timezone.localdate())
        try:
            changed = services.application_correct(application=application, data=request.POST)
        except services.CorrectionInvalid as exc:
            form, status = exc.form, 400
        except services.Conflict as exc:
            form, status = ApplicationCorrectionForm(request.POST, application=application), 409
            form.add_error(None, str(exc))
        else:
            returned = application.state == workflow.CORRECTION and changed and not form_contact_only
            if returned:
                messages.success(
                    request,
                    "Vos corrections sont enregistrées : votre candidature retourne à l’examen, et l’équipe "
                    "d’examen en est informée.",
                )
            elif changed:
                messages.success(
                    request,
                    "Vos corrections sont enregistrées"
                    + (" : les relecteurs voient ce qui a changé." if not form_contact_only else "."),
                )
            elif application.state == workflow.CORRECTION and not form_contact_only:
                messages.info(
                    request,
                    "Vous n’avez rien modifié : la correction demandée reste à faire. Si rien n’est à corriger, "
                    "expliquez-le à l’équipe d’examen par un message.",
                )
            else:
                messages.info(request, "Vous n’avez rien modifié : votre candidature est inchangée.")
            return redirect("recruitment:status", token=token)
    else:
        form = ApplicationCorrectionForm(application=application)
    today = timezone.localdate()
    return private_link_page(
        render(
            request,
            "recruitment/correct.html",
            {
                "application": application,
                "form": form,
                "error_status": status >= 400,
                "correction_open": workflow.correction_open(application, today),
                "correction_overdue": workflow.correction_overdue(application, today),
                "correction_request": next(
                    (m for m in reversed(application.messages.all()) if m.kind == "correction_request"), None
                ),
            },
            status=status,
        )
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def erase(request, token):
    """GET: what erasing means, and a button. POST: erased at once (``services.application_erase``)."""
    application = _private_application(token)
    if request.method == "POST":
        services.application_erase(application=application)
        return redirect("recruitment:erased")
    return private_link_page(render(request, "recruitment/erase.html", {"application": application}))


@login_not_required
@require_safe
def erased(request):
    return private_link_page(render(request, "recruitment/erased.html"))


@login_not_required
@require_http_methods(["GET", "POST"])
def withdraw(request, token):
    """GET (or a POST without the confirmation): what withdrawing means, and « Confirmer le retrait ». POST
    confirmed: withdrawn (``services.application_transition``), back to the private page."""
    application = get_object_or_404(Application.objects.select_related("call"), token=token)
    if request.method == "GET" or request.POST.get("confirm") != "oui":
        if not _can_withdraw(application):
            messages.info(request, "Cette candidature ne peut plus être retirée.")
            return redirect("recruitment:status", token=token)
        return private_link_page(
            render(
                request,
                "recruitment/withdraw.html",
                {"application": application, "retention_days": services.WITHDRAWN_RETENTION.days},
            )
        )
    try:
        services.application_transition(application=application, action=ApplicationAction.WITHDRAW, by=None)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"Votre candidature est retirée. Elle sera effacée dans {services.WITHDRAWN_RETENTION.days} jours ; "
            "vous pouvez aussi l’effacer dès maintenant, au bas de cette page.",
        )
    return redirect("recruitment:status", token=token)


@login_not_required
@require_http_methods(["GET", "POST"])
def applicant_message(request, token):
    """POST: the applicant writes to the examining team (``services.application_message_send``). GET (an address
    opened by hand): the private page's exchange."""
    application = _private_application(token)
    if request.method == "GET":
        return redirect(application.get_private_url() + "#echanges")
    form = MessageForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.application_message_send(
                application=application, by=None, body=form.cleaned_data["body"]
            )
        except DomainError as exc:
            form.add_error("body", str(exc))
        else:
            messages.success(request, "Votre message est envoyé à l’équipe d’examen.")
            return redirect(application.get_private_url() + "#echanges")
    application = _private_application(token)
    return private_link_page(
        render(
            request, "recruitment/status.html", _status_context(application, message_form=form), status=status
        )
    )


# Back office: reviewers and coordinators, within their scope.


def _queue_filters(request):
    form = QueueFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, {
        "call": data.get("call"),
        "state": data.get("state", ""),
        "region": data.get("region"),
        "network": data.get("network"),
        "missing_mine": data.get("missing_mine", False),
        "q": data.get("q", ""),
        "followup": data.get("followup", ""),
    }


def queue(request):
    if not rules.can_see_applications(request.user):
        raise PermissionDenied
    form, filters = _queue_filters(request)
    qs = applications_queue(request.user, **filters)
    counts = state_counts(applications_for_user(request.user))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    bulk_form = (
        BulkDecisionForm(queryset=applications_for_user(request.user))
        if request.user.is_coordinator
        else None
    )
    return render(
        request,
        "recruitment/queue.html",
        {
            "form": form,
            "page_obj": page,
            "applications": page.object_list,
            "counts": counts,
            "bulk_form": bulk_form,
            "today": timezone.localdate(),
            "status_code": 400 if form.is_bound and not form.is_valid() else 200,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def _detail_context(
    request, application, *, review_form=None, decision_form=None, correction_form=None, message_form=None
):
    reviews = list(application.reviews.select_related("reviewer__partner_network"))
    mine = next((r for r in reviews if r.reviewer_id == request.user.pk), None)
    can_decide = rules.can_decide(request.user, application)
    decisions = workflow.decisions_from(application.state) if can_decide else []
    if review_form is None and mine:
        review_form = ReviewForm(
            initial={"score": mine.score, "recommendation": mine.recommendation, "comment": mine.comment}
        )
    reviewed = {r.reviewer_id for r in reviews}
    return {
        "application": application,
        "missing_reviewers": [u for u in reviewers_expected(application) if u.pk not in reviewed],
        "reviews": reviews if rules.sees_all_reviews(request.user, application, mine is not None) else [],
        "review_count": len(reviews),
        "my_review": mine,
        "can_review": rules.can_review(request.user, application)
        and application.state in workflow.REVIEWABLE,
        "review_form": review_form or ReviewForm(),
        "can_decide": can_decide and bool(decisions),
        "decision_form": decision_form
        or DecisionForm(actions=decisions, initial={"version": application.version}),
        "corrections": application_corrections(application),
        "thread": application_messages(application),
        "can_message": rules.can_message(request.user, application) and application.state != "withdrawn",
        "message_form": message_form or MessageForm(),
        "can_request_correction": rules.can_request_correction(request.user, application)
        and workflow.WORKFLOW.allowed(ApplicationAction.REQUEST_CORRECTION, application.state),
        "can_resume": workflow.can_resume(application.state, services.team_actor(request.user, application)),
        "correction_form": correction_form or CorrectionRequestForm(initial={"version": application.version}),
        "correction_overdue": workflow.correction_overdue(application, timezone.localdate()),
        "steps": application.steps.select_related("actor"),
    }


def _get_application(request, pk):
    qs = applications_for_user(request.user).prefetch_related("departements", "sectors", "topics")
    return get_object_or_404(qs, pk=pk)


def detail(request, pk):
    application = _get_application(request, pk)
    return render(request, "recruitment/detail.html", _detail_context(request, application))


@require_POST
def review(request, pk):
    application = _get_application(request, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_save(application=application, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Votre avis est enregistré.")
            return redirect("recruitment:detail", pk=pk)
    return render(
        request,
        "recruitment/detail.html",
        _detail_context(request, application, review_form=form),
        status=400,
    )


@require_POST
def decide(request, pk):
    application = _get_application(request, pk)
    if not rules.can_decide(request.user, application):
        raise PermissionDenied
    decisions = workflow.decisions_from(application.state)
    form = DecisionForm(request.POST, actions=None)
    status = 400
    if form.is_valid():
        try:
            services.application_transition(
                application=application,
                action=form.cleaned_data["action"],
                by=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except services.EmailTaken as exc:
            form.add_error(None, str(exc))
            status = 409
        except services.Conflict as exc:
            form.add_error(None, str(exc))
            # The reason typed is kept; the form now carries the current version, so sending it again is a
            # deliberate decision on the application as it is now.
            form.data = form.data.copy()
            form.data["version"] = Application.objects.values_list("version", flat=True).get(
                pk=application.pk
            )
            status = 409
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, "La décision est enregistrée ; la personne en est informée par courriel."
            )
            return redirect("recruitment:detail", pk=pk)
    form.fields["action"].choices = [c for c in form.fields["action"].choices if c[0] in ("", *decisions)]
    context = _detail_context(request, Application.objects.get(pk=application.pk), decision_form=form)
    context["can_decide"] = True
    return render(request, "recruitment/detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
def request_correction(request, pk):
    """POST: send the application back to the person with a message and a date (``application_transition`` to
    « correction demandée »). GET (an address opened by hand): the detail page."""
    application = _get_application(request, pk)
    if request.method == "GET":
        return redirect("recruitment:detail", pk=pk)
    if not rules.can_request_correction(request.user, application):
        raise PermissionDenied
    form = CorrectionRequestForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.application_transition(
                application=application,
                action=ApplicationAction.REQUEST_CORRECTION,
                by=request.user,
                reason=form.cleaned_data["message"],
                correction_due_on=form.cleaned_data["due_on"],
                expected_version=form.cleaned_data["version"],
            )
        except services.Conflict as exc:
            form.add_error(None, str(exc))
            form.data = form.data.copy()
            form.data["version"] = Application.objects.values_list("version", flat=True).get(
                pk=application.pk
            )
            status = 409
        except DomainError as exc:
            form.add_error("due_on" if "date limite" in str(exc) else None, str(exc))
        else:
            messages.success(
                request,
                "La demande de correction est envoyée : la personne la reçoit par courriel avec le lien de sa "
                "page de suivi.",
            )
            return redirect("recruitment:detail", pk=pk)
    application = _get_application(request, pk)
    return render(
        request,
        "recruitment/detail.html",
        _detail_context(request, application, correction_form=form),
        status=status,
    )


@require_http_methods(["GET", "POST"])
def resume(request, pk):
    """« Reprendre l’examen »: GET, the confirmation; POST, the application waiting for a correction goes back to
    review (the applicant answered by a message, or the correction is overdue), and the person is told."""
    application = _get_application(request, pk)
    if not workflow.can_resume(application.state, services.team_actor(request.user, application)):
        if rules.can_review(request.user, application):
            messages.error(
                request, "Aucune correction n’est attendue sur cette candidature : rien à reprendre."
            )
            return redirect("recruitment:detail", pk=pk)
        raise PermissionDenied
    error, status = "", 200
    if request.method == "POST":
        version = parse_id(request.POST.get("version", ""))
        if version is None:
            return _bad_request(
                request, "Le formulaire ne dit pas quelle version de la candidature reprendre."
            )
        try:
            services.application_transition(
                application=application,
                action=ApplicationAction.RESUME,
                by=request.user,
                expected_version=version,
            )
        except DomainError as exc:
            error, status = str(exc), 409
            application = _get_application(request, pk)
        else:
            messages.success(
                request,
                "L’examen reprend : la personne en est informée par courriel, et les avis sont rouverts.",
            )
            return redirect("recruitment:detail", pk=pk)
    return render(
        request,
        "recruitment/resume.html",
        {
            "application": application,
            "error": error,
            "correction_overdue": workflow.correction_overdue(application, timezone.localdate()),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def team_message(request, pk):
    """POST: a reviewer or coordinator writes to the applicant (``services.application_message_send``). GET: the
    detail page."""
    application = _get_application(request, pk)
    if request.method == "GET":
        return redirect(application.get_absolute_url() + "#echanges")
    if not rules.can_message(request.user, application):
        raise PermissionDenied
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.application_message_send(
                application=application, by=request.user, body=form.cleaned_data["body"]
            )
        except DomainError as exc:
            form.add_error("body", str(exc))
        else:
            messages.success(request, "Votre message est envoyé à la personne.")
            return redirect(application.get_absolute_url() + "#echanges")
    return render(
        request,
        "recruitment/detail.html",
        _detail_context(request, application, message_form=form),
        status=400,
    )


@require_POST
def decide_bulk(request):
    if not rules.can_decide_in_bulk(request.user):
        raise PermissionDenied
    form = BulkDecisionForm(request.POST, queryset=applications_for_user(request.user))
    if not form.is_valid() and any(
        form.has_error("applications", code)
        for code in ("invalid_pk_value", "invalid_choice", "invalid_list")
    ):
        # Not a person's mistake (the page only offers the applications of one's scope): a tampered request.
        return _bad_request(request, " ".join(form.errors["applications"]))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("recruitment:queue")
    result = services.applications_decide_in_bulk(
        applications=form.cleaned_data["applications"],
        action=form.cleaned_data["action"],
        by=request.user,
        reason=form.cleaned_data["reason"],
    )
    if result.done:
        messages.success(request, f"Décision enregistrée pour {len(result.done)} candidature(s).")
    for application, error in result.refused:
        messages.error(request, f"{application.full_name} : {error}")
    return redirect("recruitment:queue")


def export(request, fmt):
    """The applications of one's scope (with the queue's filters), as CSV or XLSX (``recruitment/exports.py``).
    Contains personal data: back office only."""
    if not rules.can_see_applications(request.user):
        raise PermissionDenied
    form, filters = _queue_filters(request)
    if form.is_bound and not form.is_valid():
        errors = " ; ".join(
            f"{form.fields[name].label} : {' '.join(messages_)}"
            if name in form.fields
            else " ".join(messages_)
            for name, messages_ in form.errors.items()
        )
        return _bad_request(
            request,
            f"Filtre invalide, l’export n’a pas été produit. {errors} Corrigez le filtre et recommencez.",
        )
    qs = exports.export_queryset(applications_queue(request.user, **filters))
    return export_response(
        fmt,
        header=exports.HEADER,
        rows=exports.rows(qs, user=request.user),
        filename=exports.FILENAME,
        title=exports.TITLE,
    )


# Calls: national coordination only.


def _calls_only(request):
    if not rules.can_manage_calls(request.user):
        raise PermissionDenied


def call_list(request):
    _calls_only(request)
    return render(
        request,
        "recruitment/call_list.html",
        {"calls": Call.objects.prefetch_related("regions"), "now": timezone.now()},
    )


def call_edit(request, pk=None):
    _calls_only(request)
    call = get_object_or_404(Call, pk=pk) if pk else None
    form = CallForm(request.POST or None, instance=call)
    formset = QuestionFormSet(request.POST or None, instance=call or Call(), prefix="questions")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        call = services.call_save(form=form, formset=formset, by=request.user)
        messages.success(request, "L’appel est enregistré.")
        return redirect("recruitment:call_list")
    return render(
        request,
        "recruitment/call_form.html",
        {"form": form, "formset": formset, "call": call},
        status=400 if request.method == "POST" else 200,
    )
