from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import throttle
from core.http import private_link_page
from diagnostic import selectors, services
from diagnostic.enums import BASELINE, Dimension, Profile
from diagnostic.forms import LAST_STEP, DiagnosticForm, step_from
from diagnostic.models import DiagnosticResult
from diagnostic.recommendations import MEANINGS, NEXT_STEPS
from diagnostic.scoring import CURRENT, STEPS, VERSIONS


def _page(request, form, status=200, too_many=False):
    return render(
        request,
        "diagnostic/questionnaire.html",
        {
            "form": form,
            "step": form.step,
            "step_title": STEPS[form.step],
            "next_title": STEPS.get(form.step + 1, ""),
            "steps": STEPS,
            "last_step": LAST_STEP,
            "too_many": too_many,
        },
        status=status,
    )


def _reached(data, step):
    """A page reached with « Continuer » or « back »: the answers so far as initial values, not bound, so that its
    unanswered questions are not flagged before the leader sends it."""
    return DiagnosticForm(initial=data.dict(), scoring=CURRENT, step=step)


@login_not_required
@never_cache
def questionnaire(request):
    """GET: the introduction and page 1. POST: check the pages up to the one sent, then show the next one (or the
    previous one with « back »); after the last page, store the result and go to it."""
    if request.method != "POST":
        return _page(request, DiagnosticForm(scoring=CURRENT, step=1))
    step = step_from(request.POST.get("step"))
    if "back" in request.POST:
        return _page(request, _reached(request.POST, max(1, step - 1)))
    form = DiagnosticForm(request.POST, scoring=CURRENT, step=step)
    if not form.is_valid():
        # Show the first page with an error (a tampered hidden answer of an earlier page sends back there).
        first_wrong = (
            min(form.step_of(name) for name in form.errors if name in form.fields) if form.errors else step
        )
        return _page(request, DiagnosticForm(request.POST, scoring=CURRENT, step=first_wrong), status=400)
    if step < LAST_STEP:
        return _page(request, _reached(request.POST, step + 1))
    if throttle.over_limit("diagnostic-ip", throttle.client_ip(request)):
        # Many results from one address in an hour: a script, not leaders. The page comes back, answers kept.
        return _page(request, form, status=429, too_many=True)
    result = services.diagnostic_submit(
        answers=form.answers(),
        departement=form.departement,
        sector=form.cleaned_data["sector"],
        size=form.cleaned_data["size"],
    )
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
        },
    )
    return private_link_page(response)  # shareable by its link, but the answers are not kept by any cache


@login_not_required
@require_GET
def statistics(request):
    return render(
        request,
        "diagnostic/statistics.html",
        {"stats": selectors.statistics(), "profiles": Profile.choices, "min_group": selectors.MIN_GROUP},
    )
