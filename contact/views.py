from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ambassadors.models import Ambassador
from ambassadors.selectors import distance_text, profiles_version
from ambassadors.services import AVAILABILITY_FIELDS, ambassador_availability_set
from contact import rules, selectors, services, workflow
from contact import siret as siret_lookup
from contact.enums import RequestState, StepAction
from contact.forms import (
    NEED_FIELDS,
    AnswerForm,
    AvailabilityForm,
    CloseForm,
    ContactForm,
    DeclineForm,
    FeedbackForm,
    FindForm,
    MessageForm,
    ReassignForm,
    RequestCorrectionForm,
    ShareContactForm,
    company_lookup,
    need_query,
)
from contact.models import CompanyRequest
from contact.ranking import Need
from core import throttle
from core.errors import DomainError
from core.formats import french_date
from core.fragments import FRAGMENT_SECONDS, digest, filters_key
from core.http import private_link_page
from core.ids import parse_id


def _need(form, *, topic_ids=()) -> Need:
    region, departement = form.place
    sector = form.cleaned_data.get("sector")
    return Need(
        region_code=region.pk,
        region_name=region.name,
        departement_code=departement.pk,
        departement_name=departement.name,
        sector_code=sector.code if sector else "",
        sector_label=sector.label if sector else "",
        topic_ids=frozenset(topic_ids),
        question=form.cleaned_data.get("question") or form.cleaned_data.get("message") or "",
    )


# Public: find, contact, follow up.


@login_not_required
@never_cache
@require_safe
def find(request):
    """A GET form: the results have their own address (to share, to bookmark, and for the browser's Back button),
    with the form kept above them. Without any of its fields, the empty form."""
    matches, nearby, status, prefill = None, None, 200, ""
    if FIND_FIELDS & set(request.GET):
        form = FindForm(request.GET)
        if form.is_valid():
            topics = form.cleaned_data["topics"]
            need = _need(form, topic_ids=[t.pk for t in topics])
            # Read only when the results' HTML is not kept (``results_key``).
            if form.near_km:
                near, origin = form.near_km, form.origin
                nearby = SimpleLazyObject(
                    lambda: _nearby(selectors.ambassadors_near_need(need, origin, near))
                )
            else:
                matches = SimpleLazyObject(lambda: selectors.ambassadors_for_need(need))
            prefill = _prefill_query(form)
        else:
            status = 400
    else:
        form = FindForm()
    form_key = digest(filters_key(form), siret_lookup.lookup_enabled())
    return render(
        request,
        "contact/find.html",
        {
            "form": form,
            # The form's HTML kept under what it shows: the values (after the clean, which may take the sector
            # from the SIRET), the lists of sectors and topics, and whether the SIRET is looked up (its hint).
            "form_key": form_key,
            "fragment_seconds": FRAGMENT_SECONDS,
            # The results' HTML kept as long as the ranking (``selectors.RANKING_SECONDS``), under the need (the
            # form's values), the profiles' version and the day, as the ranking itself is.
            "results_key": digest(form_key, profiles_version(), timezone.localdate())
            if form.is_bound
            else "",
            "results_seconds": selectors.RANKING_SECONDS,
            "matches": matches,
            "nearby": nearby,
            "prefill": prefill,
            "error_status": status >= 400,
        },
        status=status,
    )


FIND_FIELDS = frozenset(FindForm.base_fields)


def _nearby(found: selectors.Nearby) -> dict:
    """The « près de » results as the page lists them: each nearby ambassador with « à 4,2 km » (to the centre of
    their commune), then the national ones."""
    return {
        "near": [(a, match, distance_text(km)) for a, match, km in found.near],
        "national": found.national,
    }


def _prefill_query(form: FindForm) -> str:
    """The need, as the query string of a contact form's address: the company does not type it twice."""
    d = form.cleaned_data
    return need_query(
        postcode=d["postcode"],
        siret=d["siret"],
        size=d["size"],
        sector=d.get("sector"),
        topics=d["topics"],
        message=d["question"],
    )


# What a « prefill » POST may carry to a contact form, with its length limit: the need from the find form, or all
# that was typed on the form of an ambassador who could not take the request. Never the consent: it names the
# ambassador it was given for.
PREFILL_FIELDS = {
    "company_name": 200,
    "contact_name": 150,
    "email": 254,
    "phone": 25,
    "postcode": 10,
    "siret": 20,
    "size": 8,
    "sector": 12,
    "topic": 12,
    "message": 3000,
}


def _prefill(post) -> dict:
    """The values a POST (or the query string of a link from the finder or the diagnostic) passes on to a contact
    form (the company does not type them twice). Only shown back in the form, never queried: a bad id simply
    selects nothing."""
    data = {name: post.get(name, "")[:limit] for name, limit in PREFILL_FIELDS.items()}
    topics = post.getlist("topics")
    data["topic"] = data["topic"] or (topics[0][:12] if topics else "")
    data["message"] = data["message"] or post.get("question", "")[:3000]
    return data


def _need_prefill(query) -> dict:
    return {name: value for name, value in _prefill(query).items() if name in NEED_FIELDS}


def _others(ambassador: Ambassador, region_code: str | None) -> list:
    """Other available ambassadors of the region, to suggest when the chosen one cannot be contacted."""
    if not region_code:
        return []
    need = Need(region_code=region_code)
    return [a for a, _ in selectors.ambassadors_for_need(need, limit=4) if a.pk != ambassador.pk][:3]


@login_not_required
@never_cache
def contact(request, slug):
    """The contact form of one ambassador. Whatever goes wrong after typing (an error, the ambassador unavailable
    meanwhile: 409, too many requests: 429), the page comes back with everything typed; when the ambassador is
    unavailable, each other ambassador suggested is a button that carries it to their form."""
    ambassador = get_object_or_404(Ambassador.objects.published(), slug=slug)
    available = services.ambassador_is_available(ambassador)
    first_region = ambassador.regions.order_by("pk").values_list("pk", flat=True).first()
    status, too_many, kept, lookup = 200, False, {}, None
    if request.method == "POST" and request.POST.get("prefill"):
        form = ContactForm(initial=_prefill(request.POST))
    elif request.method == "POST" and request.POST.get("lookup") and available:
        if (request.POST.get("website") or "").strip():
            return redirect("contact:sent")  # the honeypot: no lookup for a bot
        # « Rechercher »: the form again, completed with what the SIRET's lookup found, nothing saved nor sent.
        typed = _prefill(request.POST) | {
            name: "1" if request.POST.get(name) else "" for name in ("shares_contact", "consent")
        }
        values, company, error = company_lookup(typed)
        form = ContactForm(initial=values)
        lookup = {"company": company, "error": error}
    elif request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_bot:
            return redirect("contact:sent")  # silently: nothing stored, nothing sent
        if not available:
            status, kept = 409, _prefill(request.POST)
        elif form.is_valid():
            if throttle.over_limit("contact-ip", throttle.client_key(request)) or throttle.over_limit(
                "contact-email", form.cleaned_data["email"]
            ):
                status, too_many = 429, True
            else:
                try:
                    company_request = services.request_submit(ambassador=ambassador, data=_request_data(form))
                except services.Unavailable:
                    available, status, kept = False, 409, _prefill(request.POST)
                else:
                    messages.success(
                        request,
                        f"Votre demande est transmise à {ambassador.full_name}. Un courriel vous a été envoyé "
                        "avec le lien de cette page, pour suivre votre demande.",
                    )
                    return redirect("contact:followup", token=company_request.token)
        else:
            status = 400
    else:
        form = ContactForm(initial=_need_prefill(request.GET) if NEED_FIELDS & set(request.GET) else None)
    return render(
        request,
        "contact/contact.html",
        {
            "ambassador": ambassador,
            "form": form,
            "available": available,
            "others": [] if available else _others(ambassador, first_region),
            "kept": kept,
            "too_many": too_many,
            "error_status": status >= 400,
            "lookup": lookup,
            "lookup_enabled": siret_lookup.lookup_enabled(),
        },
        status=status,
    )


def _request_data(form: ContactForm) -> services.RequestData:
    region, departement = form.place
    d = form.cleaned_data
    return services.RequestData(
        company_name=d["company_name"],
        contact_name=d["contact_name"],
        email=d["email"],
        phone=d["phone"],
        postcode=d["postcode"],
        region=region,
        departement=departement,
        size=d["size"],
        sector=d["sector"],
        topic=d["topic"],
        message=d["message"],
        siret=d["siret"],
        shares_contact=d["shares_contact"],
    )


@login_not_required
@never_cache
def sent(request):
    return render(request, "contact/sent.html", {"promise": services.response_promise()})


def _private_request(token):
    """The request of a private link: the token is the only key, any other is a 404."""
    return get_object_or_404(
        CompanyRequest.objects.select_related("ambassador", "region", "departement", "sector", "topic"),
        token=token,
    )


# What the company does not see of the history: who declined its request (the next step says it went on).
HIDDEN_FROM_COMPANY = frozenset({StepAction.DECLINED})
# What the team side sees of it only as a coordinator of the region (``_detail_context``).
HIDDEN_FROM_TEAM = frozenset({StepAction.DECLINED})


def _timeline(steps, messages) -> list[tuple[str, object]]:
    """The history and the thread in one list, in the order things happened: ("step", step) or ("message", m)."""
    entries = [(step.at, 0, step.pk, "step", step) for step in steps]
    entries += [(m.created_at, 1, m.pk, "message", m) for m in messages]
    return [(kind, obj) for *_, kind, obj in sorted(entries, key=lambda e: e[:3])]


def _followup_context(company_request, *, feedback_form=None, message_form=None, error_status=False) -> dict:
    show_feedback = (
        company_request.state == RequestState.CLOSED
        and not company_request.feedback_at
        and not company_request.anonymised_at
    )
    steps = [s for s in company_request.steps.all() if s.action not in HIDDEN_FROM_COMPANY]
    return {
        "req": company_request,
        "timeline": _timeline(steps, company_request.messages.select_related("author")),
        "rows": selectors.request_personal_data(company_request),
        "feedback_form": feedback_form or (FeedbackForm() if show_feedback else None),
        "message_form": (message_form or MessageForm()) if rules.thread_open(company_request) else None,
        "sees_ambassador_contact": rules.company_sees_ambassador_contact(company_request),
        "error_status": error_status,
        "promise": services.response_promise(company_request.ambassador),
        "next": services.state_promise(company_request),
    }


@login_not_required
@require_safe
def followup(request, token):
    company_request = _private_request(token)
    return private_link_page(render(request, "contact/followup.html", _followup_context(company_request)))


@login_not_required
@require_http_methods(["GET", "POST"])
def company_message(request, token):
    """The company writes to its ambassador from its private link (a GET, typed by hand, shows the page)."""
    company_request = _private_request(token)
    if request.method == "GET":
        return redirect(f"{company_request.get_absolute_url()}#messagerie")
    form = MessageForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.request_message_send(request=company_request, body=form.cleaned_data["body"])
        except services.TooManyMessages as exc:
            form.add_error("body", str(exc))
            status = 429
        except DomainError as exc:
            form.add_error("body", str(exc))
            status = 409
        else:
            messages.success(
                request,
                "Votre message est envoyé à l’ambassadeur, sans votre adresse. Sa réponse arrivera ici.",
            )
            return redirect(f"{company_request.get_absolute_url()}#messagerie")
    company_request = _private_request(token)
    return private_link_page(
        render(
            request,
            "contact/followup.html",
            _followup_context(company_request, message_form=form, error_status=True),
            status=status,
        )
    )


@login_not_required
@require_safe
def personal_data(request, token):
    """The same data as the page, as a JSON file to keep (right of access, and portability)."""
    company_request = _private_request(token)
    data = {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, _label, value in selectors.request_personal_data(company_request)
    }
    data["historique"] = [
        {"date": timezone.localtime(step.at).isoformat(), "etape": step.get_action_display()}
        for step in company_request.steps.all()
        if step.action not in HIDDEN_FROM_COMPANY
    ]
    data["messages"] = [
        {"date": timezone.localtime(m.created_at).isoformat(), "de": m.get_side_display(), "message": m.body}
        for m in company_request.messages.all()
    ]
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="ma-demande.json"'
    return private_link_page(response)


@login_not_required
@require_http_methods(["GET", "POST"])
def correct(request, token):
    """The contact form again, filled in; every correction through ``services.request_correct``."""
    company_request = _private_request(token)
    if company_request.anonymised_at:
        messages.error(request, services.NOTHING_TO_CORRECT)
        return redirect("contact:followup", token=token)
    status = 200
    if request.method == "POST":
        try:
            changed = services.request_correct(request=company_request, data=request.POST)
        except services.CorrectionInvalid as exc:
            form, status = exc.form, 400
        except DomainError as exc:  # closed or erased meanwhile
            form, status = RequestCorrectionForm(request.POST, request=company_request), 409
            form.add_error(None, str(exc))
        else:
            if not changed:
                messages.info(request, "Vous n’avez rien modifié : votre demande est inchangée.")
            elif company_request.is_open:
                messages.success(
                    request, "Vos corrections sont enregistrées. L’ambassadeur a reçu votre demande corrigée."
                )
            else:
                messages.success(request, "Vos corrections sont enregistrées.")
            return redirect("contact:followup", token=token)
    else:
        form = RequestCorrectionForm(request=company_request)
    return private_link_page(
        render(
            request,
            "contact/correct.html",
            {"req": company_request, "form": form, "error_status": status >= 400},
            status=status,
        )
    )


@login_not_required
@require_POST
def feedback(request, token):
    company_request = get_object_or_404(CompanyRequest, token=token)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.request_feedback(
                request=company_request,
                useful=form.cleaned_data["useful"],
                contacted=form.cleaned_data["contacted"],
            )
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Merci pour votre avis.")
        return redirect("contact:followup", token=token)
    company_request = _private_request(token)
    return private_link_page(
        render(
            request,
            "contact/followup.html",
            _followup_context(company_request, feedback_form=form, error_status=True),
            status=400,
        )
    )


@login_not_required
@require_POST
def erase(request, token):
    company_request = get_object_or_404(CompanyRequest, token=token)
    if request.POST.get("confirm") != "1":
        messages.error(request, "Cochez la case pour confirmer l’effacement.")
        return redirect("contact:followup", token=token)
    services.request_erase(request=company_request)
    messages.success(request, "Vos informations sont effacées. La demande est close.")
    return redirect("contact:followup", token=token)


# Back office: the ambassador's inbox, the coordinators' follow-up.


def inbox(request):
    qs = selectors.requests_for_user(request.user)
    if not rules.can_see_inbox(request.user):
        raise PermissionDenied
    key = request.GET.get("etat", "")
    unanswered = request.GET.get("sans-reponse") == "1"
    if key not in selectors.INBOX_FILTERS:
        return HttpResponseBadRequest("Filtre inconnu.")
    filtered = qs.filter(selectors.inbox_filter(key))
    if unanswered:
        filtered = filtered.filter(services.requests_unanswered_filter())
    counts = qs.aggregate(
        waiting=Count("pk", filter=selectors.inbox_filter("a-traiter")),
        unanswered=Count("pk", filter=services.requests_unanswered_filter()),
    )
    page = Paginator(filtered, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "contact/inbox.html",
        {
            "page_obj": page,
            "filters": [
                (k, label)
                for k, (label, coordinators_only) in selectors.INBOX_FILTERS.items()
                if request.user.is_coordinator or not coordinators_only
            ],
            "current": key,
            "current_label": selectors.INBOX_FILTERS[key][0],
            "unanswered": unanswered,
            "counts": counts,
            "ambassador": getattr(request.user, "ambassador", None) if request.user.is_ambassador else None,
        },
    )


def _detail_context(request, company_request, *, error_status=False, **forms):
    user = request.user
    actions = [
        a
        for a in workflow.WORKFLOW.actions_from(company_request.state)
        if rules.can_act(user, company_request, a)
    ]
    if company_request.declined_at:  # said once; the coordinators know
        actions = [a for a in actions if a != "decline"]
    coordinates = rules.is_region_coordinator(user, company_request)
    steps = company_request.steps.select_related("actor", "ambassador")
    if not coordinates:
        # Who declined and why (« pour la coordination ») is for the region's coordinators only: the ambassador
        # it went on to reads that the platform handed it to them, nothing more.
        steps = steps.exclude(action__in=HIDDEN_FROM_TEAM)
    context = {
        "req": company_request,
        "timeline": _timeline(steps, company_request.messages.select_related("author")),
        "sees_declines": coordinates,
        "actions": actions,
        "can_write": rules.can_write(user, company_request),
        "message_form": forms.get("message_form") or MessageForm(),
        "can_share": rules.can_share_own_contact(user, company_request),
        "declines": company_request.declines.select_related("ambassador") if coordinates else [],
        "sees_contact": rules.sees_contact_details(user, company_request),
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "close_form": forms.get("close_form")
        or CloseForm(answered=company_request.state == RequestState.ANSWERED),
        "decline_form": forms.get("decline_form") or DeclineForm(),
        "reassign_form": None,
        "error_status": error_status,
    }
    if "reassign" in actions:
        context["reassign_form"] = forms.get("reassign_form") or ReassignForm(
            choices=selectors.reassignment_choices(company_request)
        )
    return context


def detail(request, pk):
    company_request = get_object_or_404(selectors.requests_for_user(request.user), pk=pk)
    return render(request, "contact/detail.html", _detail_context(request, company_request))


def _version(value: str) -> int | None:
    """The version the page was showing (0, 1, …), or None when missing or not a plain number."""
    return parse_id(value, minimum=0)


@require_http_methods(["GET", "POST"])
def act(request, pk, action):
    """One move of the workflow from the detail page. Out of scope: 404; not one's move: 403 (before anything
    typed is looked at); a missing version or bad input: 400; someone else acted first, or the move no longer
    fits: 409, the page shows the request as it is now, with what was typed kept. Closing asks for confirmation
    first (a page, no JavaScript). The address opened by hand (GET) leads to the request's page."""
    company_request = get_object_or_404(selectors.requests_for_user(request.user), pk=pk)
    if request.method == "GET":
        return redirect("contact:detail", pk=pk)
    if action not in workflow.WORKFLOW:
        return HttpResponseBadRequest("Action inconnue.", content_type="text/plain; charset=utf-8")
    if not rules.can_act(request.user, company_request, action):
        raise PermissionDenied("Vous ne pouvez pas faire cette action sur cette demande.")
    version = _version(request.POST.get("version", ""))
    if version is None:
        messages.error(request, "La page était incomplète. Rechargez-la, puis recommencez.")
        return render(
            request,
            "contact/detail.html",
            _detail_context(request, company_request, error_status=True),
            status=400,
        )
    forms, form = {}, None
    if action == "answer":
        form = forms["answer_form"] = AnswerForm(request.POST)
    elif action == "close":
        form = forms["close_form"] = CloseForm(
            request.POST, answered=company_request.state == RequestState.ANSWERED
        )
    elif action == "decline":
        form = forms["decline_form"] = DeclineForm(request.POST)
    elif action == "reassign":
        form = forms["reassign_form"] = ReassignForm(
            request.POST, choices=selectors.reassignment_choices(company_request)
        )
    if form is not None and not form.is_valid():
        return render(
            request,
            "contact/detail.html",
            _detail_context(request, company_request, error_status=True, **forms),
            status=400,
        )
    d = form.cleaned_data if form is not None else {}
    if action == "close" and not d.get("confirm"):
        return render(
            request,
            "contact/close_confirm.html",
            {"req": company_request, "reason": d["reason"], "reason_label": CloseForm.label_of(d["reason"])},
        )
    assignee_before = company_request.ambassador_id
    try:
        services.request_transition(
            request=company_request,
            by=request.user,
            action=action,
            expected_version=version,
            answer_kind=d.get("answer_kind", ""),
            reason=d.get("reason", ""),
            to_ambassador=d.get("to_ambassador"),
            note=d.get("note", ""),
        )
    except DomainError as exc:  # Conflict included: the page shows the request as it is now
        current = selectors.requests_for_user(request.user).filter(pk=pk).first()
        if current is None:  # handed to someone else meanwhile
            messages.error(request, "Cette demande a été confiée à un autre ambassadeur entre-temps.")
            return redirect("contact:inbox")
        messages.error(request, str(exc))
        return render(
            request,
            "contact/detail.html",
            _detail_context(request, current, error_status=True, **forms),
            status=409,
        )
    if action == "decline":
        # Routed at once, or nobody fits and the coordination hands it on; the new ambassador is not named: the
        # request is no longer theirs to see.
        messages.success(request, DECLINE_MESSAGES[company_request.ambassador_id != assignee_before])
    else:
        messages.success(request, DONE_MESSAGES[action])
    if action == "decline":  # no longer theirs: its page is a 404 for them now
        return redirect("contact:inbox")
    return redirect("contact:detail", pk=pk)


@require_http_methods(["GET", "POST"])
def message(request, pk):
    """The assignee, or a coordinator of the region, writes to the company from the request's page."""
    company_request = get_object_or_404(selectors.requests_for_user(request.user), pk=pk)
    if request.method == "GET":
        return redirect(f"{reverse('contact:detail', args=[pk])}#messagerie")
    if not rules.can_write(request.user, company_request) and rules.thread_open(company_request):
        raise PermissionDenied("Vous ne pouvez pas écrire dans cette demande.")
    form = MessageForm(request.POST)
    status = 400
    if form.is_valid():
        was_waiting = company_request.state in (RequestState.NEW, RequestState.REASSIGNED)
        try:
            services.request_message_send(
                request=company_request, by=request.user, body=form.cleaned_data["body"]
            )
        except services.TooManyMessages as exc:
            form.add_error("body", str(exc))
            status = 429
        except DomainError as exc:
            form.add_error("body", str(exc))
            status = 409
        else:
            took = was_waiting and rules.is_assignee(request.user, company_request)
            messages.success(
                request,
                "Votre message est envoyé à l’entreprise"
                + (" ; la demande est prise en charge." if took else ", sans votre adresse."),
            )
            return redirect(f"{reverse('contact:detail', args=[pk])}#messagerie")
    current = get_object_or_404(selectors.requests_for_user(request.user), pk=pk)
    return render(
        request,
        "contact/detail.html",
        _detail_context(request, current, error_status=True, message_form=form),
        status=status,
    )


@require_http_methods(["GET", "POST"])
def share(request, pk):
    """The assignee shows (or hides again) their own address and phone to the company of this request."""
    company_request = get_object_or_404(selectors.requests_for_user(request.user), pk=pk)
    if request.method == "GET":
        return redirect("contact:detail", pk=pk)
    form = ShareContactForm(request.POST)
    form.is_valid()  # a bare checkbox: anything but « 1 » means no
    services.request_share_contact(
        request=company_request, by=request.user, share=bool(form.cleaned_data.get("share"))
    )
    messages.success(
        request,
        "L’entreprise voit désormais votre adresse et votre téléphone sur sa page."
        if company_request.ambassador_shares_contact
        else "L’entreprise ne voit pas votre adresse ni votre téléphone.",
    )
    return redirect("contact:detail", pk=pk)


DONE_MESSAGES = {
    "take": "Vous avez pris en charge la demande : contactez l’entreprise.",
    "answer": "L’échange est noté. Pensez à clore la demande quand elle est traitée.",
    "reassign": "La demande est confiée à un autre ambassadeur, à qui un courriel l’annonce.",
    "close": "La demande est close. L’entreprise est invitée à donner son avis.",
}
DECLINE_MESSAGES = {  # routed at once to another ambassador (True), or nobody fits (False)
    True: "La demande est confiée à un autre ambassadeur disponible, prévenu par courriel. L’entreprise est "
    "informée que sa demande est suivie par un autre ambassadeur, sans savoir pourquoi.",
    False: "Aucun autre ambassadeur disponible ne convient : la coordination régionale est prévenue et "
    "confiera la demande. L’entreprise n’apprend pas que vous l’avez rendue.",
}


def availability(request):
    if not rules.can_set_availability(request.user):
        raise PermissionDenied
    ambassador = request.user.ambassador
    form = AvailabilityForm(request.POST or None, instance=Ambassador.objects.get(pk=ambassador.pk))
    if request.method == "POST":
        if form.is_valid():
            ambassador = ambassador_availability_set(
                ambassador=ambassador,
                by=request.user,
                data={name: form.cleaned_data[name] for name in AVAILABILITY_FIELDS},
            )
            messages.success(
                request,
                "Vos demandes sont en pause : aucune entreprise ne peut vous écrire."
                if ambassador.requests_paused
                else (
                    f"Vos disponibilités sont enregistrées : aucune demande ne vous est confiée du "
                    f"{french_date(ambassador.absent_from, weekday=False)} au "
                    f"{french_date(ambassador.absent_until, weekday=False)}."
                    if ambassador.absent_from
                    else "Vos disponibilités sont enregistrées."
                ),
            )
            return redirect("contact:inbox")
        return render(request, "contact/availability.html", {"form": form, "error_status": True}, status=400)
    return render(request, "contact/availability.html", {"form": form, "error_status": False})
