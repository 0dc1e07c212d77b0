import hashlib
import json

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from contact.forms import need_query
from core import throttle
from core.fragments import FRAGMENT_SECONDS
from core.http import private_link_page
from diagnostic import selectors, services
from diagnostic.enums import BASELINE, Dimension, Profile
from diagnostic.forms import CONTEXT_FIELDS, LAST_STEP, DiagnosticForm
from diagnostic.models import DiagnosticResult
from diagnostic.recommendations import MEANINGS, NEXT_STEPS
from diagnostic.scoring import CURRENT, STEPS, VERSIONS

# The answers typed so far live in the visitor's session until the result (12 hours at most): each page is a POST
# answered by a redirect to the next page's own address (post/redirect/get), so the browser's Back button shows the
# previous page with what was typed, and reloading a page never sends it twice. The earlier answers also travel
# as hidden fields: a browser that keeps no cookie loses nothing either.
DRAFT = "diagnostic-draft"
DONE = "diagnostic-done"  # the answers that gave the last result, and its token: sending them again shows it
MAX_VALUE = 20  # a postcode or a choice; anything longer is not an answer


def step_url(step: int) -> str:
    return reverse("diagnostic:questionnaire") if step == 1 else reverse("diagnostic:step", args=[step])


def _page(request, form, status=200, too_many=False):
    return render(
        request,
        "diagnostic/questionnaire.html",
        {
            "form": form,
            "step": form.step,
            "action": step_url(form.step),
            "step_title": STEPS[form.step],
            "next_title": STEPS.get(form.step + 1, ""),
            "steps": STEPS,
            "last_step": LAST_STEP,
            "too_many": too_many,
        },
        status=status,
    )


def _first_wrong(form) -> int:
    """The first page with an error (an earlier page when an answer carried from it is wrong)."""
    return min((form.step_of(name) for name in form.errors if name in form.fields), default=form.step)


def _merged(request, step: int) -> dict[str, str]:
    """The draft of the session, updated with what this page sent; a question of this page left unanswered is
    removed (the leader cleared it)."""
    draft = dict(request.session.get(DRAFT, {}))
    for name in (*CONTEXT_FIELDS, *(question.key for question in CURRENT.questions)):
        if name in request.POST:
            draft[name] = request.POST.get(name, "")[:MAX_VALUE]
        elif DiagnosticForm.field_step(CURRENT, name) == step:
            draft.pop(name, None)
    return draft


def _digest(data: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(sorted(data.items())).encode()).hexdigest()


@login_not_required
@never_cache
def questionnaire(request, step: int = 1):
    """GET: a page, with the answers of the session. POST: keep its answers, check the pages up to it and go to the
    next one (or back to the previous one with « back »); after the last page, store the result and go to it.
    ``?nouveau`` starts again with nothing."""
    if not 1 <= step <= LAST_STEP:
        raise Http404
    if request.method != "POST":
        if "nouveau" in request.GET:
            request.session.pop(DRAFT, None)
            request.session.pop(DONE, None)
            return redirect(step_url(1))
        data = request.session.get(DRAFT, {})
        if step > 1:
            earlier = DiagnosticForm(data, scoring=CURRENT, step=step - 1)
            if not earlier.is_valid():  # a page reached by its address before the earlier ones were answered
                return redirect(step_url(_first_wrong(earlier)))
        return _page(request, DiagnosticForm(initial=data, scoring=CURRENT, step=step))
    data = _merged(request, step)
    request.session[DRAFT] = data
    if "back" in request.POST:
        return redirect(step_url(max(1, step - 1)))
    form = DiagnosticForm(data, scoring=CURRENT, step=step)
    if not form.is_valid():
        return _page(request, DiagnosticForm(data, scoring=CURRENT, step=_first_wrong(form)), status=400)
    if step < LAST_STEP:
        return redirect(step_url(step + 1))
    done = request.session.get(DONE) or {}
    if done.get("digest") == _digest(
        data
    ):  # « Voir mon résultat » again after Back: the same result, not a new one
        return redirect("diagnostic:result", token=done["token"])
    if throttle.over_limit("diagnostic-ip", throttle.client_key(request)):
        # Many results from one address in an hour: a script, not leaders. The page comes back, answers kept.
        return _page(request, form, status=429, too_many=True)
    result = services.diagnostic_submit(
        answers=form.answers(),
        departement=form.departement,
        sector=form.cleaned_data["sector"],
        size=form.cleaned_data["size"],
    )
    request.session[DONE] = {"digest": _digest(data), "token": result.token}
    return redirect(result)


@login_not_required
@require_GET
def result(request, token):
    result = get_object_or_404(
        DiagnosticResult.objects.select_related("region", "departement", "sector"), token=token
    )
    scoring = VERSIONS.get(result.version, CURRENT)
    profile = Profile(result.profile)
    scores = [(Dimension(d).label, result.scores.get(d, 0)) for d in Dimension.values]
    response = render(
        request,
        "diagnostic/result.html",
        {
            "result": result,
            "profile": profile,
            "meaning": MEANINGS[profile],
            "reasons": scoring.classify(result.answers, result.scores)[1]
            if result.version in VERSIONS
            else [],
            "scores": scores,
            "next_steps": NEXT_STEPS[profile],
            "events": selectors.events_near(result),
            "ambassadors": selectors.ambassadors_for(result),
            "baseline": BASELINE[profile],
            "contact_query": _contact_query(result, profile),
            "find_query": need_query(sector=result.sector_id, size=result.size),
        },
    )
    return private_link_page(response)  # shareable by its link, but the answers are not kept by any cache


def _contact_query(result: DiagnosticResult, profile: Profile) -> str:
    """What a contact form can take from the result, the way the finder prefills it: the sector, the size, and a
    first sentence the leader may change. Never the answers themselves."""
    message = (
        f"J’ai fait l’autodiagnostic de la plateforme : mon entreprise a le profil « {profile.label.lower()} ». "
        "Je souhaite échanger sur mes prochaines étapes."
    )
    return need_query(sector=result.sector_id, size=result.size, message=message)


@login_not_required
@require_GET
def statistics(request):
    return render(
        request,
        "diagnostic/statistics.html",
        {
            # The tables kept as HTML under the counts' version (diagnostic.counts): a new result shows at once.
            "stats": SimpleLazyObject(selectors.statistics),
            "stats_key": selectors.statistics_key(),
            "fragment_seconds": FRAGMENT_SECONDS,
            "profiles": Profile.choices,
            "min_group": selectors.MIN_GROUP,
        },
    )
