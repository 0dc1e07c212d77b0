from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ambassadors.models import Ambassador
from contact import rules, selectors, services, throttle, workflow
from contact.enums import RequestState
from contact.forms import (
    AnswerForm,
    AvailabilityForm,
    CloseForm,
    ContactForm,
    FeedbackForm,
    FindForm,
    ReassignForm,
)
from contact.models import CompanyRequest
from contact.ranking import Need


def _private(response):
    """The company's follow-up page: only through its link, never cached, never indexed, never sent as referrer
    to another site. Not ``no-referrer``: under it browsers send ``Origin: null`` with the page's own forms (avis,
    effacement), and Django's CSRF check refuses them."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


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
def find(request):
    """GET: the form. POST (the question stays out of URLs and logs): the ranked list, with the form kept."""
    matches, status = None, 200
    if request.method == "POST":
        form = FindForm(request.POST)
        if form.is_valid():
            topics = form.cleaned_data["topics"]
            matches = selectors.ambassadors_for_need(_need(form, topic_ids=[t.pk for t in topics]))
        else:
            status = 400
    else:
        form = FindForm()
    return render(request, "contact/find.html", {"form": form, "matches": matches}, status=status)


def _prefill(request) -> dict:
    """What the find form passes on to the contact form (the company does not type it twice)."""
    post = request.POST
    topics = post.getlist("topics")
    return {
        "postcode": post.get("postcode", "")[:10],
        "siret": post.get("siret", "")[:20],
        "size": post.get("size", ""),
        "sector": post.get("sector", ""),
        "topic": topics[0] if topics else "",
        "message": post.get("question", "")[:3000],
    }


def _others(ambassador: Ambassador, region_code: str | None) -> list:
    """Other available ambassadors of the region, to suggest when the chosen one cannot be contacted."""
    if not region_code:
        return []
    need = Need(region_code=region_code)
    return [a for a, _ in selectors.ambassadors_for_need(need, limit=4) if a.pk != ambassador.pk][:3]


@login_not_required
@never_cache
def contact(request, slug):
    ambassador = get_object_or_404(Ambassador.objects.published(), slug=slug)
    available = services.ambassador_is_available(ambassador)
    first_region = ambassador.regions.order_by("pk").values_list("pk", flat=True).first()
    status = 200
    if request.method == "POST" and request.POST.get("prefill"):
        form = ContactForm(initial=_prefill(request))
    elif request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_bot:
            return redirect("contact:sent")  # silently: nothing stored, nothing sent
        if not available:
            status = 409
        elif form.is_valid():
            if throttle.over_limit("ip", throttle.client_ip(request)) or throttle.over_limit(
                "email", form.cleaned_data["email"]
            ):
                return render(request, "contact/too_many.html", status=429)
            region, departement = form.place
            d = form.cleaned_data
            data = services.RequestData(
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
            )
            try:
                company_request = services.request_submit(ambassador=ambassador, data=data)
            except services.Unavailable as exc:
                form.add_error(None, str(exc))
                available, status = False, 409
            else:
                messages.success(
                    request,
                    f"Votre demande est transmise à {ambassador.full_name}. Un courriel vous a été envoyé avec le "
                    "lien de cette page, pour suivre votre demande.",
                )
                return redirect("contact:followup", token=company_request.token)
        else:
            status = 400
    else:
        form = ContactForm()
    return render(
        request,
        "contact/contact.html",
        {
            "ambassador": ambassador,
            "form": form,
            "available": available,
            "others": [] if available else _others(ambassador, first_region),
        },
        status=status,
    )


@login_not_required
@never_cache
def sent(request):
    return render(request, "contact/sent.html")


@login_not_required
def followup(request, token):
    company_request = get_object_or_404(
        CompanyRequest.objects.select_related("ambassador", "region", "sector", "topic"), token=token
    )
    show_feedback = (
        company_request.state == RequestState.CLOSED
        and not company_request.feedback_at
        and not company_request.anonymised_at
    )
    return _private(
        render(
            request,
            "contact/followup.html",
            {
                "req": company_request,
                "steps": company_request.steps.all(),
                "feedback_form": FeedbackForm() if show_feedback else None,
            },
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
        except services.ContactError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Merci pour votre avis.")
        return redirect("contact:followup", token=token)
    return _private(
        render(
            request,
            "contact/followup.html",
            {"req": company_request, "steps": company_request.steps.all(), "feedback_form": form},
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


INBOX_FILTERS = {
    "": ("Toutes", Q()),
    "a-traiter": ("À prendre en charge", Q(state__in=[RequestState.NEW, RequestState.REASSIGNED])),
    "en-cours": ("En cours", Q(state__in=[RequestState.TAKEN, RequestState.ANSWERED])),
    "closes": ("Closes", Q(state=RequestState.CLOSED)),
}


def inbox(request):
    qs = selectors.requests_for_user(request.user)
    if not (request.user.is_coordinator or request.user.is_ambassador):
        raise PermissionDenied
    key = request.GET.get("etat", "")
    unanswered = request.GET.get("sans-reponse") == "1"
    if key not in INBOX_FILTERS:
        return HttpResponseBadRequest("Filtre inconnu.")
    filtered = qs.filter(INBOX_FILTERS[key][1])
    if unanswered:
        filtered = filtered.filter(services.requests_unanswered_filter())
    counts = qs.aggregate(
        waiting=Count("pk", filter=INBOX_FILTERS["a-traiter"][1]),
        unanswered=Count("pk", filter=services.requests_unanswered_filter()),
    )
    page = Paginator(filtered, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "contact/inbox.html",
        {
            "page_obj": page,
            "filters": [(k, label) for k, (label, _) in INBOX_FILTERS.items()],
            "current": key,
            "unanswered": unanswered,
            "counts": counts,
            "ambassador": getattr(request.user, "ambassador", None) if request.user.is_ambassador else None,
        },
    )


def _detail_context(request, company_request, **forms):
    user = request.user
    actions = [
        a for a in workflow.actions_from(company_request.state) if rules.can_act(user, company_request, a)
    ]
    context = {
        "req": company_request,
        "steps": company_request.steps.select_related("actor", "ambassador"),
        "actions": actions,
        "sees_contact": rules.sees_contact_details(user, company_request),
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "close_form": forms.get("close_form") or CloseForm(),
        "reassign_form": None,
    }
    if "reassign" in actions:
        context["reassign_form"] = forms.get("reassign_form") or ReassignForm(
            choices=selectors.reassignment_choices(company_request)
        )
    return context


def detail(request, pk):
    company_request = get_object_or_404(selectors.requests_for_user(request.user), pk=pk)
    return render(request, "contact/detail.html", _detail_context(request, company_request))


@require_POST
def act(request, pk, action):
    company_request = get_object_or_404(selectors.requests_for_user(request.user), pk=pk)
    if action not in workflow.TRANSITIONS:
        return HttpResponseBadRequest("Action inconnue.")
    version = request.POST.get("version", "")
    version = int(version) if version.isascii() and version.isdigit() and len(version) < 10 else None
    kwargs, forms, form = {}, {}, None
    if action == "answer":
        form = forms["answer_form"] = AnswerForm(request.POST)
        if form.is_valid():
            kwargs["answer_kind"] = form.cleaned_data["answer_kind"]
    elif action == "close":
        form = forms["close_form"] = CloseForm(request.POST)
        if form.is_valid():
            kwargs["reason"] = form.cleaned_data["reason"]
    elif action == "reassign":
        if not rules.can_act(request.user, company_request, action):
            raise PermissionDenied
        form = forms["reassign_form"] = ReassignForm(
            request.POST, choices=selectors.reassignment_choices(company_request)
        )
        if form.is_valid():
            kwargs["to_ambassador"] = form.cleaned_data["to_ambassador"]
            kwargs["note"] = form.cleaned_data["note"]
    if form is not None and not form.is_valid():
        return render(
            request, "contact/detail.html", _detail_context(request, company_request, **forms), status=400
        )
    try:
        services.request_transition(
            request=company_request, by=request.user, action=action, version=version, **kwargs
        )
    except services.NotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    except services.Conflict as exc:
        messages.error(request, str(exc))
        return redirect("contact:detail", pk=pk)
    except services.ContactError as exc:
        messages.error(request, str(exc))
        company_request.refresh_from_db()
        return render(
            request, "contact/detail.html", _detail_context(request, company_request, **forms), status=409
        )
    messages.success(request, DONE_MESSAGES[action])
    if action == "reassign" and not request.user.is_coordinator:
        return redirect("contact:inbox")
    return redirect("contact:detail", pk=pk)


DONE_MESSAGES = {
    "take": "Vous avez pris en charge la demande : contactez l’entreprise.",
    "answer": "L’échange est noté. Pensez à clore la demande quand elle est traitée.",
    "reassign": "La demande est confiée à un autre ambassadeur, qui a été prévenu.",
    "close": "La demande est close. L’entreprise est invitée à donner son avis.",
}


def availability(request):
    if not request.user.is_ambassador or not hasattr(request.user, "ambassador"):
        raise PermissionDenied
    ambassador = request.user.ambassador
    form = AvailabilityForm(request.POST or None, instance=ambassador)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(
                request,
                "Vos demandes sont en pause : aucune entreprise ne peut vous écrire."
                if ambassador.requests_paused
                else "Vos disponibilités sont enregistrées.",
            )
            return redirect("contact:inbox")
        return render(request, "contact/availability.html", {"form": form}, status=400)
    return render(request, "contact/availability.html", {"form": form})
