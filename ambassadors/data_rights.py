"""An ambassador's rights on their data, and how long a profile is kept.

- The end of a mandate (a coordinator's decision) takes the profile offline at once; the profile is erased one
  year later (« Durée du mandat, puis un an », personal-data page).
- The person may ask, from their space, that their profile be erased: offline at once, the account closed, the
  profile erased by the next daily run (``ambassadors_erase_expired``), so within 24 hours.
- Erasing deletes the profile and the account and rewrites the audit entries about the person so that they name
  no one (« Ambassadeur n° 12 (effacé) »); who decided what, and when, stays for five years.

Kept apart from ``services.py`` (profile edits and publication) because these writes end a person's presence on
the platform rather than change it; they raise the same errors."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import ProtectedError, Q
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from accounts.services import login_records_erase_for
from ambassadors import rules
from ambassadors.enums import Gender, PublicationState
from ambassadors.models import Ambassador
from ambassadors.services import AmbassadorError, NotAllowed, person_addresses
from core import throttle
from core.emails import absolute_url, email_send_on_commit
from core.formats import french_date, french_datetime, local
from core.services import admin_log_anonymise, audit_anonymise, audit_anonymise_actor, audit_log

MANDATE_RETENTION = timedelta(days=365)
# What an audit entry about an erased ambassador may keep: ids and states, never a text or a value of the profile.
AUDIT_KEPT = {"candidature", "de", "vers"}

logger = logging.getLogger(__name__)


def erased_label(pk) -> str:
    return f"Ambassadeur n° {pk} (effacé)"


def coordinators_of(ambassador: Ambassador):
    """Who answers for the profile: the active coordinators of its regions; the national coordination for a
    profile without region or a region without coordinator."""
    regional = User.objects.filter(
        role=Role.REGIONAL_COORDINATOR, is_active=True, region__in=ambassador.regions.all()
    )
    if regional.exists():
        return regional.order_by("last_name", "first_name", "pk")
    return User.objects.filter(role=Role.NATIONAL_COORDINATOR, is_active=True).order_by(
        "last_name", "first_name", "pk"
    )


def _take_offline(ambassador: Ambassador) -> list[str]:
    """Unpublish and stop company requests at once; returns the fields changed."""
    ambassador.requests_paused = True
    fields = ["requests_paused", "updated_at"]
    if ambassador.publication_state == PublicationState.PUBLISHED:
        ambassador.publication_state = PublicationState.UNPUBLISHED
        fields.append("publication_state")
    return fields


@transaction.atomic
def ambassador_end_mandate(
    *, ambassador: Ambassador, by, reason: str, now: datetime | None = None
) -> Ambassador:
    """End the mandate. Guarantees: only a coordinator of the ambassador's scope can, with a reason; the profile
    leaves every public page at once and receives no more company requests; the decision is audited; the
    person is told by email when their profile will be erased and how to download their data before. Ending an
    ended mandate changes nothing."""
    if not rules.can_end_mandate(by, ambassador):
        raise NotAllowed(
            "Seule la coordination du périmètre de cet ambassadeur peut mettre fin à son mandat."
        )
    reason = (reason or "").strip()
    if not reason:
        raise AmbassadorError("Indiquez le motif de la fin du mandat.")
    if ambassador.mandate_ended_at is not None:
        return ambassador
    now = now or timezone.now()
    ambassador.mandate_ended_at = now
    ambassador.save(update_fields=["mandate_ended_at", *_take_offline(ambassador)])
    audit_log(actor=by, action="ambassador.mandate_end", obj=ambassador, changes={"motif": reason})
    email_send_on_commit(
        to=person_addresses(ambassador),
        template="ambassadors/email/mandate_ended.txt",
        context={
            "ambassador": ambassador,
            "reason": reason,
            "erased_on": french_date(local(now + MANDATE_RETENTION), weekday=False),
            "data_url": absolute_url(reverse("ambassadors:my_data")),
        },
    )
    return ambassador


@transaction.atomic
def ambassador_request_erasure(*, ambassador: Ambassador, by, now: datetime | None = None) -> Ambassador:
    """The person asks that their profile be erased. Guarantees: only the person can; the profile leaves every
    public page at once and receives no more requests; the account is closed (no more login); the coordinators
    who answer for the profile are told (to hand its open company requests to someone else); the profile is
    erased by the next daily run of ``ambassadors_erase_expired``. Asking twice changes nothing."""
    if not rules.can_request_erasure(by, ambassador):
        raise NotAllowed("Seule la personne concernée peut demander l’effacement de son profil.")
    # Locked: two requests at once (a double click) tell the coordinators once.
    ambassador = Ambassador.objects.select_for_update().get(pk=ambassador.pk)
    if ambassador.erasure_requested_at is not None:
        return ambassador
    now = now or timezone.now()
    ambassador.erasure_requested_at = now
    ambassador.save(update_fields=["erasure_requested_at", *_take_offline(ambassador)])
    if ambassador.user_id:
        User.objects.filter(pk=ambassador.user_id).update(is_active=False)
    audit_log(actor=by, action="ambassador.erasure_request", obj=ambassador)
    open_requests = ambassador.company_requests.open().count()
    coordinators = list(coordinators_of(ambassador).values_list("email", flat=True))
    if coordinators:
        email_send_on_commit(
            to=coordinators,
            template="ambassadors/email/erasure_requested_coordinators.txt",
            context={
                "ambassador": ambassador,
                "open_requests": open_requests,
                "manage_url": absolute_url(reverse("ambassadors:manage_detail", args=[ambassador.pk])),
            },
        )
    email_send_on_commit(
        to=person_addresses(ambassador),
        template="ambassadors/email/erasure_requested.txt",
        context={"ambassador": ambassador},
    )
    return ambassador


def ambassador_ask_territory_change(*, ambassador: Ambassador, by, message: str) -> None:
    """The person asks the coordination to change their regions or départements (the coordination's choice,
    ``rules.can_edit_territory``). Relayed by email to the coordinators who answer for the profile, with the
    person's contact address to answer; coordinators' addresses are not shown to ambassadors."""
    if not rules.can_ask_territory_change(by, ambassador):
        raise NotAllowed("Seule la personne concernée peut demander à changer ses régions.")
    if throttle.over_limit("territory-change", str(ambassador.pk)):
        raise AmbassadorError(
            "Vous avez déjà envoyé plusieurs demandes aujourd’hui : la coordination vous répondra par courriel."
        )
    coordinators = list(coordinators_of(ambassador).values_list("email", flat=True))
    if coordinators:
        email_send_on_commit(
            to=coordinators,
            template="ambassadors/email/territory_change.txt",
            context={
                "ambassador": ambassador,
                "message": message.strip(),
                "edit_url": absolute_url(reverse("ambassadors:manage_edit", args=[ambassador.pk])),
            },
        )


def _hollow(ambassador: Ambassador, now: datetime) -> None:
    """Empty the profile of everything about the person, for when company requests still point at it (their
    figures stay, without anyone's name)."""
    pk = ambassador.pk
    blank = {
        "first_name": "Ambassadeur",
        "last_name": f"n° {pk} (effacé)",
        "slug": f"efface-{pk}",
        "gender": Gender.UNSAID,
        "job_title": "",
        "structure_name": "",
        "siren": "",
        "bio": "",
        "website_url": "",
        "linkedin_url": "",
        "france_num_url": "",
        "is_france_num_activateur": False,
        "commune": None,
        "contact_email": "",
        "contact_phone": "",
        "user": None,
        "designated_by": None,
        "designated_at": None,
        "consent_at": None,
        "publication_state": PublicationState.UNPUBLISHED,
        "published_at": None,
        "is_trusted_contributor": False,
        "requests_paused": True,
        "requests_monthly_limit": None,
        "erased_at": now,
    }
    for name, value in blank.items():
        setattr(ambassador, name, value)
    ambassador.save()
    for relation in (ambassador.departements, ambassador.sectors, ambassador.topics, ambassador.events):
        relation.clear()


@transaction.atomic
def ambassador_erase(*, ambassador: Ambassador, now: datetime | None = None) -> None:
    """Erase the person from the platform. Guarantees: the profile row is deleted (or, when company requests
    still point at it, emptied of everything about the person and hidden from every list); the ambassador
    account is deleted; events no longer list them; the audit entries about the profile and those the person
    wrote name no one and keep no value of the profile; the person is told by one last email (nothing of it is
    kept: emails are sent, never stored). The application the profile came from is erased with it
    (``recruitment.services.application_erase``): reviewers would otherwise still read the person there."""
    now = now or timezone.now()
    pk = ambassador.pk
    user = ambassador.user
    addresses = person_addresses(ambassador)
    email_send_on_commit(
        to=addresses,
        template="ambassadors/email/erased.txt",
        context={"ambassador": ambassador},
    )
    audit_log(actor=None, action="ambassador.erase", obj=ambassador)
    # What the other domains hold on the person: the application the profile came from (recruitment), their
    # traces in company requests (contact), each erased by its own service.
    for erase in _ERASERS:
        erase(ambassador=ambassador)
    audit_anonymise(model=Ambassador, pks=[pk], label="Ambassadeur n° {pk} (effacé)", kept=AUDIT_KEPT)
    admin_log_anonymise(model=Ambassador, pks=[pk], label="Ambassadeur n° {pk} (effacé)")
    if user is not None:
        audit_anonymise_actor(user=user, label=erased_label(pk))
        admin_log_anonymise(model=User, pks=[user.pk], label=erased_label(pk))
    try:
        with transaction.atomic():
            Ambassador.objects.filter(pk=pk).delete()
    except ProtectedError:
        _hollow(ambassador, now)
    for address in addresses:
        login_records_erase_for(email=address)
    if user is not None and user.role == Role.AMBASSADOR:
        try:
            with transaction.atomic():
                user.delete()
        except ProtectedError:
            # Something outside this app protects the account: close it and drop what names the person.
            User.objects.filter(pk=user.pk).update(
                is_active=False,
                email=f"efface-{user.pk}@invalid",
                first_name="",
                last_name="",
                last_login=None,
            )


def ambassadors_to_erase(*, now: datetime):
    """Profiles past their retention: mandate ended more than a year ago, or erasure asked by the person."""
    return Ambassador.objects.filter(erased_at__isnull=True).filter(
        Q(mandate_ended_at__lt=now - MANDATE_RETENTION) | Q(erasure_requested_at__isnull=False)
    )


def ambassadors_erase_expired(*, now: datetime | None = None) -> int:
    """Erase every profile whose mandate ended more than a year ago, and every profile whose erasure the person
    asked for (the daily run: within 24 hours of the request). Each one in its own transaction: one failure does
    not keep the others. Returns how many were erased."""
    now = now or timezone.now()
    count, failed = 0, []
    for ambassador in ambassadors_to_erase(now=now).select_related("user").order_by("pk"):
        try:
            ambassador_erase(ambassador=ambassador, now=now)
        except Exception as exc:  # the others must still be erased; raised below for the scheduler to see
            logger.exception("erasure of ambassador %s failed", ambassador.pk)
            failed.append(exc)
        else:
            count += 1
    if failed:
        raise RuntimeError(f"{len(failed)} profil(s) non effacé(s), {count} effacé(s)") from failed[0]
    return count


# What the platform holds on a person, for their page « Mes données » and its JSON download.


@dataclass(frozen=True)
class Item:
    key: str  # in the JSON
    label: str  # on the page
    value: object  # JSON-ready
    text: str  # as the page writes it


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    items: list[Item]


def _text(value) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, datetime):
        return french_datetime(local(value))
    if hasattr(value, "isoformat"):
        return french_date(value, weekday=False)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _json(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _item(key, label, value, text=None) -> Item:
    return Item(key, label, _json(value), _text(value) if text is None else text)


# What the other domains hold on an ambassador (recruitment, the agenda, company requests): they sit above this
# app in the dependency order (docs/architecture.md) and it never imports them; each registers, in its
# ``AppConfig.ready()``, its section of the personal data (page and JSON download) and its eraser.
_SECTIONS: list[tuple[int, Callable[..., Section]]] = []
_ERASERS: list[Callable[..., None]] = []


def register_personal_data(
    *, order: int, section: Callable[..., Section], erase: Callable[..., None] | None = None
):
    """``section(user=, ambassador=) -> Section``, shown after the profile by ``order``; ``erase(ambassador=)``,
    run by ``ambassador_erase`` before the profile is deleted."""
    _SECTIONS.append((order, section))
    if erase is not None:
        _ERASERS.append(erase)


def personal_data_item(key, label, value, text=None) -> Item:
    """One line of a section: its JSON key, its label, its value (JSON) and how the page writes it."""
    return _item(key, label, value, text)


def personal_data(user) -> list[Section]:
    """Everything the platform holds on ``user`` and their ambassador profile: the account, every field of the
    profile (private ones included), the application it came from, and the counts of what hangs on it (company
    requests, events). The same list feeds the page and the JSON download, so they cannot disagree."""
    sections = [
        Section(
            "compte",
            "Compte",
            [
                _item("adresse_electronique", "Adresse électronique (connexion)", user.email),
                _item("prenom", "Prénom", user.first_name),
                _item("nom", "Nom", user.last_name),
                _item("role", "Rôle", user.role, user.get_role_display()),
                _item("derniere_connexion", "Dernière connexion", user.last_login),
                _item("cree_le", "Compte créé le", user.date_joined),
            ],
        )
    ]
    ambassador = getattr(user, "ambassador", None)
    if ambassador is None:
        return sections
    a = ambassador
    designated_by = a.designated_by.get_full_name() or "la coordination" if a.designated_by else ""
    sections.append(
        Section(
            "profil",
            "Profil d’ambassadeur",
            [
                _item("prenom", "Prénom", a.first_name),
                _item("nom", "Nom", a.last_name),
                _item("designer_comme", "Vous désigner comme", a.gender, a.get_gender_display()),
                _item("fonction", "Fonction", a.job_title),
                _item("structure", "Structure", a.structure_name),
                _item("siren", "SIREN de la structure", a.siren),
                _item("profil", "Profil", a.kind, a.get_kind_display()),
                _item("national", "Intervient sur tout le territoire", a.is_national),
                _item("regions", "Régions", [r.name for r in a.regions.all()]),
                _item("departements", "Départements", [f"{d.name} ({d.code})" for d in a.departements.all()]),
                _item("commune", "Votre commune", str(a.commune) if a.commune_id else ""),
                _item(
                    "secteurs", "Secteurs (sections NAF)", [f"{s.code} – {s.label}" for s in a.sectors.all()]
                ),
                _item("thematiques", "Thématiques", [t.name for t in a.topics.all()]),
                _item("presentation", "Présentation", a.bio),
                _item("site_web", "Site web", a.website_url),
                _item("linkedin", "Profil LinkedIn", a.linkedin_url),
                _item("activateur_france_num", "Activateur France Num", a.is_france_num_activateur),
                _item("page_france_num", "Page France Num", a.france_num_url),
                _item("adresse_contact", "Adresse électronique de contact (privée)", a.contact_email),
                _item("telephone", "Téléphone (privé)", a.contact_phone),
                _item(
                    "reseau", "Réseau qui a proposé", a.proposing_network.name if a.proposing_network else ""
                ),
                _item("date_designation", "Date de désignation", a.designated_at),
                _item("designe_par", "Désignation par", designated_by),
                _item("consentement", "Consentement à la publication", a.consent_at),
                _item("publication", "Publication", a.publication_state, a.get_publication_state_display()),
                _item("publie_le", "Publié le", a.published_at),
                _item(
                    "adresse_page_publique", "Adresse de la page publique", absolute_url(a.get_absolute_url())
                ),
                _item(
                    "contributeur_de_confiance",
                    "Contributeur de confiance (agenda)",
                    a.is_trusted_contributor,
                ),
                _item("demandes_en_pause", "Demandes en pause", a.requests_paused),
                _item("demandes_par_mois", "Demandes par mois au plus", a.requests_monthly_limit),
                _item("absence_du", "Premier jour d’absence", a.absent_from),
                _item("absence_au", "Dernier jour d’absence", a.absent_until),
                _item("fin_du_mandat", "Fin du mandat", a.mandate_ended_at),
                _item("effacement_demande", "Effacement demandé le", a.erasure_requested_at),
                _item("cree_le", "Profil créé le", a.created_at),
                _item("modifie_le", "Dernière modification", a.updated_at),
            ],
        )
    )
    sections.extend(
        section(user=user, ambassador=a) for _order, section in sorted(_SECTIONS, key=lambda o: o[0])
    )
    return sections


def personal_data_json(user, *, now: datetime | None = None) -> dict:
    return {
        "genere_le": (now or timezone.now()).isoformat(),
        **{s.key: {i.key: i.value for i in s.items} for s in personal_data(user)},
    }
