from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods, require_safe

from accounts import proconnect, rules, services, space
from accounts.forms import EmailAuthenticationForm, EmailChangeForm, PasswordLinkForm
from core import throttle
from core.awaiting import awaiting_for
from core.models import AuditEntry


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "proconnect": proconnect.enabled()}

    def get_redirect_url(self):
        """Where to go once signed in: never back to « Se déconnecter » (a button clicked after the session had
        expired brings its address here as ``next``), the space instead."""
        url = super().get_redirect_url()
        return "" if url and urlsplit(url).path == reverse("accounts:logout") else url


@method_decorator(login_not_required, name="dispatch")
class LogoutView(auth_views.LogoutView):
    """« Se déconnecter » works whether the session is still there or has already expired: either way the person
    lands on the home page, signed out (never on the login page asking to sign in to sign out). Signed in through
    ProConnect, they leave ProConnect too (its end-session endpoint, then back to the home page)."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get("oidc_id_token")
        response = super().post(request, *args, **kwargs)
        if id_token and proconnect.enabled():
            url = proconnect.logout_url(request, id_token)
            if url:
                return HttpResponseRedirect(url)
        return response


@method_decorator(login_not_required, name="dispatch")
class ActivateView(auth_views.PasswordResetConfirmView):
    """The link to choose a password (an invitation, a forgotten password: one-time, expiring token). Once it is
    chosen the person is signed in and lands on their space."""

    template_name = "accounts/activate.html"
    success_url = reverse_lazy("accounts:dashboard")
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"

    def form_valid(self, form):
        messages.success(self.request, "Votre mot de passe est enregistré : bienvenue dans votre espace.")
        return super().form_valid(form)


@login_not_required
@require_http_methods(["GET", "POST"])
def password_link(request):
    """« Mot de passe oublié ? », and a new activation link: the same neutral answer whether the address has an
    account or not (``account_send_password_link``)."""
    form = PasswordLinkForm(request.POST or None)
    if request.method == "POST":
        if throttle.over_limit("password-link-ip", throttle.client_key(request)):
            return render(
                request, "accounts/password_link.html", {"form": form, "too_many": True}, status=429
            )
        if form.is_valid():
            services.account_send_password_link(email=form.cleaned_data["email"])
            return redirect("accounts:password_link_sent")
        return render(request, "accounts/password_link.html", {"form": form}, status=400)
    return render(request, "accounts/password_link.html", {"form": form})


@login_not_required
@require_safe
def password_link_sent(request):
    return render(request, "accounts/password_link_sent.html")


def dashboard(request):
    """« Ce qui vous attend » first (every domain's ``awaiting_for_user``, ``core.awaiting``): what waits, the late
    first, then the kinds with nothing waiting, whose text says what to do next; « Vos outils » below."""
    own_profile = getattr(request.user, "ambassador", None) if request.user.is_ambassador else None
    awaiting = awaiting_for(request.user)  # urgent first
    return render(
        request,
        "accounts/dashboard.html",
        {
            "own_profile": own_profile,
            "waiting": [item for item in awaiting if item.count],
            "done": [item for item in awaiting if not item.count],
            "counts": space.counts_for(request.user),
            "can_read_audit_log": rules.can_read_audit_log(request.user),
        },
    )


def audit_log(request):
    if not rules.can_read_audit_log(request.user):
        raise PermissionDenied
    entries = AuditEntry.objects.select_related("content_type").order_by("-at", "-id")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    rows = [(entry, _details(entry.changes)) for entry in page.object_list]
    return render(request, "accounts/audit_log.html", {"page_obj": page, "rows": rows})


def _details(changes: dict) -> list[tuple[str, str]]:
    """« champ : avant → après » lines; a private field reads « modifié » (``core.services.audit_log``)."""
    lines = []
    for key, value in (changes or {}).items():
        if isinstance(value, dict) and set(value) == {"avant", "après"}:
            value = f"{_text(value['avant'])} → {_text(value['après'])}"
        lines.append((key, _text(value)))
    return lines


def _text(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "–"
    return "–" if value in ("", None) else str(value)


@require_http_methods(["GET", "POST"])
def account(request):
    """« Mon compte »: change the password (Django's form: the current one, then the new one twice) or the login
    address (confirmed by a link sent to the new one)."""
    password_form = PasswordChangeForm(request.user)
    email_form = EmailChangeForm(user=request.user)
    status = 200
    if request.method == "POST" and request.POST.get("action") == "password":
        password_form = PasswordChangeForm(request.user, request.POST)
        if password_form.is_valid():
            password_form.save()
            update_session_auth_hash(request, password_form.user)  # this session stays signed in, others end
            messages.success(request, "Votre mot de passe est changé.")
            return redirect("accounts:account")
        status = 400
    elif request.method == "POST" and request.POST.get("action") == "email":
        email_form = EmailChangeForm(request.POST, user=request.user)
        if email_form.is_valid():
            services.account_request_email_change(
                user=request.user, new_email=email_form.cleaned_data["new_email"]
            )
            messages.success(
                request,
                f"Un lien de confirmation est envoyé à {email_form.cleaned_data['new_email']} : "
                "l’adresse de votre compte change quand vous l’ouvrez.",
            )
            return redirect("accounts:account")
        status = 400
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "accounts/account.html",
        {"password_form": password_form, "email_form": email_form},
        status=status,
    )


@require_safe
def email_confirm(request, token):
    try:
        email = services.account_confirm_email_change(user=request.user, token=token)
    except services.AccountError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"L’adresse de votre compte est désormais {email}.")
    return redirect("accounts:account")
