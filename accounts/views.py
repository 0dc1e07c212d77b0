from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from accounts.forms import EmailAuthenticationForm
from ambassadors import rules
from ambassadors.selectors import ambassadors_for_user
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
    """The invitation link: the person chooses their password (one-time, expiring token)."""

    template_name = "accounts/activate.html"
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False

    def form_valid(self, form):
        messages.success(self.request, "Votre mot de passe est enregistré : vous pouvez vous connecter.")
        return super().form_valid(form)


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
