"""Writes on ambassador profiles. Every door (back-office views, admin actions, commands, later the API) calls
these functions, so the rules and the audit log are the same everywhere."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from ambassadors import rules
from ambassadors.enums import PublicationState
from ambassadors.models import Ambassador
from core.emails import absolute_url, email_send_on_commit
from core.errors import DomainError, NotAllowed
from core.services import audit_log


class AmbassadorError(DomainError):
    """A rule of the ambassadors' domain refused the action (``core.errors``)."""


def person_addresses(ambassador: Ambassador) -> list[str]:
    """Where the person is told of what happens to their profile: its contact address, and their login address
    when it differs. Nobody else's."""
    addresses = [ambassador.contact_email]
    if ambassador.user_id and ambassador.user.email.lower() != ambassador.contact_email.lower():
        addresses.append(ambassador.user.email)
    return [a for a in addresses if a]


def _tell_person(ambassador: Ambassador, template: str, **context) -> None:
    email_send_on_commit(
        to=person_addresses(ambassador),
        template=template,
        context={
            "ambassador": ambassador,
            "public_url": absolute_url(ambassador.get_absolute_url()),
            "space_url": absolute_url(reverse("accounts:dashboard")),
            **context,
        },
    )


def ambassador_unique_slug(*, first_name: str, last_name: str, exclude_pk: int | None = None) -> str:
    base = slugify(f"{first_name} {last_name}")[:100] or "ambassadeur"
    slug, n = base, 2
    taken = Ambassador.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


_STATE_FIELDS = [
    "publication_state",
    "published_at",
    "consent_at",
    "mandate_ended_at",
    "erasure_requested_at",
]


def _lock(ambassador: Ambassador) -> None:
    """Lock the profile's row and read its state again: two coordinators publishing at once, or the person
    withdrawing consent while a coordinator publishes, are decided one after the other on what is stored, not on
    what each page had read (one email, one audit entry, never « publié » after a withdrawal)."""
    Ambassador.objects.select_for_update().filter(pk=ambassador.pk).exists()
    ambassador.refresh_from_db(fields=_STATE_FIELDS)


@transaction.atomic
def ambassador_publish(*, ambassador: Ambassador, by) -> Ambassador:
    """Make the profile public. Guarantees: only a coordinator of the ambassador's scope can, only once the person
    consented, and the action is in the audit log. The person is told by email (after commit). Publishing again is
    harmless (no new entry, no email)."""
    if not rules.can_publish(by, ambassador):
        raise NotAllowed("Vous ne pouvez publier que les ambassadeurs de votre périmètre.")
    _lock(ambassador)
    if ambassador.consent_at is None:
        raise AmbassadorError(
            "Cette personne n’a pas encore consenti à la publication de son profil : il ne peut pas être publié."
        )
    if ambassador.mandate_ended_at is not None or ambassador.erasure_requested_at is not None:
        raise AmbassadorError(
            "Le mandat de cette personne a pris fin ou son effacement est demandé : son profil ne peut plus "
            "être publié."
        )
    if ambassador.publication_state == PublicationState.PUBLISHED:
        return ambassador
    ambassador.publication_state = PublicationState.PUBLISHED
    ambassador.published_at = timezone.now()
    ambassador.save(update_fields=["publication_state", "published_at", "updated_at"])
    audit_log(actor=by, action="ambassador.publish", obj=ambassador)
    _tell_person(ambassador, "ambassadors/email/published.txt")
    return ambassador


@transaction.atomic
def ambassador_unpublish(*, ambassador: Ambassador, by, reason: str) -> Ambassador:
    """Withdraw the profile from every public page at once. Same scope rule as publishing; the reason is required,
    kept in the audit log and sent to the person by email (after commit). Withdrawing an offline profile is
    harmless (no entry, no email)."""
    if not rules.can_publish(by, ambassador):
        raise NotAllowed("Vous ne pouvez retirer que les ambassadeurs de votre périmètre.")
    reason = " ".join(reason.split())
    if not reason:
        raise AmbassadorError("Indiquez le motif du retrait : il est transmis à la personne.")
    _lock(ambassador)
    if ambassador.publication_state != PublicationState.PUBLISHED:
        return ambassador
    ambassador.publication_state = PublicationState.UNPUBLISHED
    ambassador.save(update_fields=["publication_state", "updated_at"])
    audit_log(actor=by, action="ambassador.unpublish", obj=ambassador, changes={"motif": reason})
    _tell_person(ambassador, "ambassadors/email/unpublished.txt", reason=reason)
    return ambassador


@transaction.atomic
def ambassador_set_consent(*, ambassador: Ambassador, by, consent: bool) -> Ambassador:
    """The person gives or withdraws consent to publication. Withdrawing takes the profile offline at once."""
    if not rules.can_give_consent(by, ambassador):
        raise NotAllowed("Seule la personne concernée peut donner ou retirer son consentement.")
    _lock(ambassador)
    if consent and ambassador.consent_at is None:
        ambassador.consent_at = timezone.now()
        action = "ambassador.consent_given"
    elif not consent and ambassador.consent_at is not None:
        ambassador.consent_at = None
        if ambassador.publication_state == PublicationState.PUBLISHED:
            ambassador.publication_state = PublicationState.UNPUBLISHED
        action = "ambassador.consent_withdrawn"
    else:
        return ambassador
    ambassador.save(update_fields=["consent_at", "publication_state", "updated_at"])
    audit_log(actor=by, action=action, obj=ambassador)
    return ambassador


def _snapshot(ambassador: Ambassador, fields: list[str]) -> dict:
    values = {}
    for name in fields:
        field = Ambassador._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(str(o.pk) for o in getattr(ambassador, name).all())
        else:
            values[name] = str(getattr(ambassador, field.attname) or "")
    return values


def departements_outside_regions_error(departements, regions) -> str | None:
    """The French error when some chosen départements lie in none of the chosen regions, else None."""
    codes = {region.code for region in regions}
    outside = [d for d in departements if d.region_id not in codes]
    if not outside:
        return None
    if len(outside) == 1:
        return (
            f"Le département {outside[0].name} n’est dans aucune des régions cochées : cochez sa région "
            f"({outside[0].region.name}) ou retirez-le."
        )
    names = ", ".join(d.name for d in outside)
    return f"Les départements {names} ne sont dans aucune des régions cochées : cochez leur région ou retirez-les."


@transaction.atomic
def ambassador_update(*, ambassador: Ambassador, by, data: dict) -> Ambassador:
    """Change profile fields (``data``: field name -> cleaned value, many-to-many as iterables).

    Only the person or a coordinator of their scope can; regions and départements only a coordinator, and the
    départements must lie in the regions. Edits by someone other than the person are audited with the before and
    after values."""
    if not rules.can_edit(by, ambassador):
        raise NotAllowed("Vous ne pouvez pas modifier ce profil.")
    territory = {"regions", "departements"} & set(data)
    if territory and not rules.can_edit_territory(by, ambassador):
        raise NotAllowed("Seule la coordination choisit les régions et les départements d’un ambassadeur.")
    if territory:
        regions_before, departements_before = (
            set(ambassador.regions.all()),
            set(ambassador.departements.all()),
        )
        regions_after = set(data["regions"]) if "regions" in data else regions_before
        departements_after = set(data["departements"]) if "departements" in data else departements_before
        if not rules.territory_change_allowed(
            by,
            ambassador,
            regions_changed=regions_before ^ regions_after,
            departements_changed=departements_before ^ departements_after,
        ):
            raise AmbassadorError(
                "Seule la coordination nationale change les régions d’un ambassadeur ; la coordination régionale "
                "choisit les départements de sa région."
            )
        error = departements_outside_regions_error(
            list(data["departements"] if "departements" in data else ambassador.departements.all()),
            list(data["regions"] if "regions" in data else ambassador.regions.all()),
        )
        if error:
            raise AmbassadorError(error)
    fields = list(data)
    before = _snapshot(ambassador, fields)
    m2m = {}
    for name, value in data.items():
        if Ambassador._meta.get_field(name).many_to_many:
            m2m[name] = value
        else:
            setattr(ambassador, name, value)
    if {"first_name", "last_name"} & set(fields) and ambassador.publication_state == PublicationState.DRAFT:
        ambassador.slug = ambassador_unique_slug(
            first_name=ambassador.first_name, last_name=ambassador.last_name, exclude_pk=ambassador.pk
        )
    ambassador.full_clean(exclude=["user", "designated_by"])
    ambassador.save()
    for name, value in m2m.items():
        getattr(ambassador, name).set(value)
    after = _snapshot(ambassador, fields)
    changed = {
        name: {"avant": before[name], "après": after[name]} for name in fields if before[name] != after[name]
    }
    if changed and ambassador.user_id != by.pk:
        audit_log(actor=by, action="ambassador.edit", obj=ambassador, changes=changed)
    return ambassador


AVAILABILITY_FIELDS = ("requests_paused", "requests_monthly_limit", "absent_from", "absent_until")


@transaction.atomic
def ambassador_availability_set(*, ambassador: Ambassador, by, data: dict) -> Ambassador:
    """The person's availability for company requests (``AVAILABILITY_FIELDS``: a pause, a monthly maximum, an
    absence; the values as ``contact.forms.AvailabilityForm`` checks them). Guarantees: only the person
    (``rules.can_set_availability``); only these fields are written, and the profile's ``updated_at`` (its cards
    and the finder follow)."""
    if not rules.can_set_availability(by, ambassador):
        raise NotAllowed("Seule la personne choisit ses disponibilités.")
    unknown = set(data) - set(AVAILABILITY_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    for name, value in data.items():
        setattr(ambassador, name, value)
    ambassador.save(update_fields=[*AVAILABILITY_FIELDS, "updated_at"])
    return ambassador


@transaction.atomic
def ambassador_designate(
    *,
    by,
    values: dict,
    regions,
    departements=(),
    sectors=(),
    topics=(),
    user=None,
    origin: dict | None = None,
) -> Ambassador:
    """A new ambassador profile, on their designation (``recruitment.services``, from the application). Guarantees:
    unpublished and without consent (the person completes and consents from their space); a slug of its own; its
    territories, sectors and topics set in the same transaction (the cards' versions count on it); the
    designation dated today and audited with who made it and ``origin`` (the application). ``values``: the
    profile's own fields (names, gender, job, structure, SIREN, kind, proposing network, private contact address
    and phone)."""
    ambassador = Ambassador.objects.create(
        slug=ambassador_unique_slug(first_name=values["first_name"], last_name=values["last_name"]),
        designated_at=timezone.localdate(),
        designated_by=by,
        user=user,
        **values,
    )
    ambassador.regions.set(regions)
    ambassador.departements.set(departements)
    ambassador.sectors.set(sectors)
    ambassador.topics.set(topics)
    audit_log(actor=by, action="ambassador.designate", obj=ambassador, changes=origin)
    return ambassador


@transaction.atomic
def ambassador_account_attach(*, ambassador: Ambassador, user) -> Ambassador:
    """The account the designated person logs in with, once it exists (``accounts.services``'s invitation)."""
    ambassador.user = user
    ambassador.save(update_fields=["user", "updated_at"])
    return ambassador


@transaction.atomic
def ambassador_trust_set(*, ambassador: Ambassador, by, trusted: bool) -> Ambassador:
    """Make the ambassador a trusted contributor of the agenda (their events published without moderation, in the
    regions of their profile: ``agenda.rules.publishes_directly``) or not. Guarantees: only the coordination of
    their scope (``rules.can_set_trust``); audited when it changes."""
    if not rules.can_set_trust(by, ambassador):
        raise NotAllowed("Seule la coordination décide qui publie ses événements sans modération.")
    if ambassador.is_trusted_contributor != trusted:
        ambassador.is_trusted_contributor = trusted
        ambassador.save(update_fields=["is_trusted_contributor", "updated_at"])
        audit_log(
            actor=by,
            action="ambassador.trust",
            obj=ambassador,
            changes={"contributeur_de_confiance": trusted},
        )
    return ambassador
