from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods, require_safe

from accounts import services
from accounts.forms import EmailAuthenticationForm, PasswordLinkForm
from ambassadors import rules
from ambassadors.selectors import ambassadors_for_user
from core import throttle
from core.models import AuditEntry


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


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
    own_profile = getattr(request.user, "ambassador", None) if request.user.is_ambassador else None
    return render(
        request,
        "accounts/dashboard.html",
        {
            "own_profile": own_profile,
            "scope_count": ambassadors_for_user(request.user).count(),
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
