from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.scope import scope_for
from ambassadors.data_rights import Section, personal_data_item
from core.awaiting import Awaiting
from core.emails import absolute_url
from recruitment import workflow
from recruitment.enums import ApplicationState, MessageKind, MessageSender
from recruitment.models import Application, ApplicationMessage, Call, Review


def call_current(now=None) -> Call | None:
    """The call that takes applications now (the one closing first if several are open)."""
    now = now or timezone.now()
    # The same bounds as ``Call.is_open_at``, in one query: the last second of ``closes_at`` is included.
    return (
        Call.objects.filter(opens_at__lte=now, closes_at__gte=now.replace(microsecond=0))
        .order_by("closes_at", "pk")
        .first()
    )


def call_next(now=None) -> Call | None:
    now = now or timezone.now()
    return Call.objects.filter(opens_at__gt=now).order_by("opens_at").first()


def call_last_closed(now=None) -> Call | None:
    now = now or timezone.now()
    return Call.objects.filter(closes_at__lt=now).order_by("-closes_at").first()


def applications_for_user(user) -> QuerySet[Application]:
    """Applications a logged-in user may see: anything else is a 404 for them.

    National coordination: all. Regional coordination: their region. Reviewer: those their network proposes
    (and of their region, if they have one). Ambassadors: none."""
    qs = Application.objects.select_related("call", "region", "proposing_network")
    return scope_for(user).narrow(qs, region="region_id", network="proposing_network_id")


# The queue's « suivi » filter: the rounds of correction a coordinator follows.
FOLLOWUP_RETURNED = "correction_renvoyee"
FOLLOWUP_OVERDUE = "correction_en_retard"
FOLLOWUP_ANSWERED = "correction_repondue"
FOLLOWUP_CHOICES = [
    (FOLLOWUP_RETURNED, "Corrections reçues, à réexaminer"),
    (FOLLOWUP_ANSWERED, "Demandes de correction avec une réponse à lire"),
    (FOLLOWUP_OVERDUE, "Corrections en retard"),
]


def _returned() -> Q:
    return Q(state=ApplicationState.UNDER_REVIEW, correction_returned_at__isnull=False)


def _answered() -> Q:
    """A correction is requested and the person wrote since the last request (« rien à corriger », a question):
    someone of the team should read it, then take the examination back up or ask again."""
    last_request = (
        ApplicationMessage.objects.filter(
            application=OuterRef(OuterRef("pk")), kind=MessageKind.CORRECTION_REQUEST
        )
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )
    wrote = ApplicationMessage.objects.filter(
        application=OuterRef("pk"), sender=MessageSender.APPLICANT, created_at__gt=Subquery(last_request)
    )
    return Q(state=ApplicationState.CORRECTION_REQUESTED) & Q(Exists(wrote))


def _overdue(today) -> Q:
    return Q(state=ApplicationState.CORRECTION_REQUESTED, correction_due_on__lt=today)


def applications_queue(
    user, *, call=None, state="", region=None, network=None, missing_mine=False, q="", followup=""
):
    """The reviewer's queue: the scope, filtered, each with its number of reviews and whether the user gave one."""
    qs = applications_for_user(user)
    if followup == FOLLOWUP_RETURNED:
        qs = qs.filter(_returned())
    elif followup == FOLLOWUP_ANSWERED:
        qs = qs.filter(_answered())
    elif followup == FOLLOWUP_OVERDUE:
        qs = qs.filter(_overdue(timezone.localdate()))
    if call:
        qs = qs.filter(call=call)
    if state:
        qs = qs.filter(state=state)
    if region:
        qs = qs.filter(region=region)
    if network:
        qs = qs.filter(proposing_network=network)
    for word in q.split()[:6]:
        qs = qs.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(structure_name__icontains=word)
        )
    qs = qs.annotate(
        review_count=Count("reviews", distinct=True),
        reviewed_by_me=Exists(Review.objects.filter(application=OuterRef("pk"), reviewer=user)),
    )
    if missing_mine:
        qs = qs.filter(reviewed_by_me=False, state__in=workflow.REVIEWABLE)
    return qs.order_by("submitted_at", "pk")


def awaiting_for_user(user) -> list[Awaiting]:
    """What waits for this person among the applications of their scope, in one query whatever the numbers.

    Who gives opinions (reviewers, regional coordinators): the applications under examination still without
    their opinion. Coordinators: the applications under review, waiting for their decision. Both, since both
    re-examine a correction and may take the examination back up (``workflow.can_resume``): the corrections
    sent back by the applicants; those the applicants answered by a message; those past their date (urgent).
    Each count is what its link lists."""
    from django.urls import reverse

    gives_opinions = user.is_authenticated and (user.is_reviewer or user.is_regional_coordinator)
    decides = user.is_authenticated and user.is_coordinator
    if not (gives_opinions or decides):
        return []
    today = timezone.localdate()
    mine = Review.objects.filter(application=OuterRef("pk"), reviewer=user)
    counts = (
        applications_for_user(user)
        .order_by()
        .aggregate(
            opinion=Count("pk", filter=Q(state__in=workflow.REVIEWABLE) & ~Exists(mine)),
            decision=Count("pk", filter=Q(state=ApplicationState.UNDER_REVIEW)),
            returned=Count("pk", filter=_returned()),
            answered=Count("pk", filter=_answered()),
            overdue=Count("pk", filter=_overdue(today)),
        )
    )
    queue = reverse("recruitment:queue")
    items = []
    if gives_opinions:
        items.append(
            Awaiting(
                label="Candidatures qui attendent votre avis",
                count=counts["opinion"],
                url=f"{queue}?missing_mine=on",
                empty="Aucune candidature n’attend votre avis.",
            )
        )
    if decides:
        items.append(
            Awaiting(
                label="Candidatures en attente de décision",
                count=counts["decision"],
                url=f"{queue}?state={ApplicationState.UNDER_REVIEW}",
                empty="Aucune candidature n’attend de décision.",
            )
        )
    items += [
        Awaiting(
            label="Corrections reçues, à réexaminer",
            count=counts["returned"],
            url=f"{queue}?followup={FOLLOWUP_RETURNED}",
            empty="Aucune correction reçue à réexaminer.",
        ),
        Awaiting(
            label="Demandes de correction avec une réponse à lire",
            count=counts["answered"],
            url=f"{queue}?followup={FOLLOWUP_ANSWERED}",
            empty="Aucune réponse à une demande de correction.",
        ),
        Awaiting(
            label="Corrections en retard",
            count=counts["overdue"],
            url=f"{queue}?followup={FOLLOWUP_OVERDUE}",
            empty="Aucune correction en retard.",
            urgent=counts["overdue"] > 0,
        ),
    ]
    return items


def application_messages(application: Application) -> list[ApplicationMessage]:
    """The exchange of an application, oldest first (one query)."""
    return list(ApplicationMessage.objects.filter(application=application).select_related("author"))


def reviewers_expected(application: Application) -> list:
    """Who is expected to give an opinion: the reviewers of the proposing network (national ones, or those of the
    application's region) and the regional coordinators of its region. Used to show whose opinion is missing."""
    from accounts.enums import Role
    from accounts.models import User

    condition = Q(role=Role.REGIONAL_COORDINATOR, region_id=application.region_id)
    if application.proposing_network_id:
        condition |= Q(role=Role.REVIEWER, partner_network_id=application.proposing_network_id) & (
            Q(region__isnull=True) | Q(region_id=application.region_id)
        )
    return list(User.objects.filter(condition, is_active=True).order_by("last_name", "first_name"))


def state_counts(qs: QuerySet[Application]) -> dict[str, int]:
    counts = dict(qs.order_by().values_list("state").annotate(n=Count("pk")))
    return {state: counts.get(state, 0) for state in ApplicationState.values}


def application_corrections(application: Application) -> list[tuple]:
    """The corrections the person made from their private link, oldest first: (when, labels of the fields
    changed). From the audit log, which holds the names of the fields, never their values."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import AuditEntry

    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Application),
        object_id=str(application.pk),
        action="application.correct",
    ).order_by("at", "pk")
    # In the form's order: PostgreSQL's jsonb does not keep the order of the keys.
    order = {field.name: n for n, field in enumerate(Application._meta.get_fields())}
    return [
        (
            entry.at,
            [_field_label(name) for name in sorted(entry.changes, key=lambda k: order.get(k, len(order)))],
        )
        for entry in entries
    ]


def field_labels(names) -> list[str]:
    """The labels of the fields ``names``, in the form's order."""
    order = {field.name: n for n, field in enumerate(Application._meta.get_fields())}
    return [_field_label(name) for name in sorted(names, key=lambda k: order.get(k, len(order)))]


def _field_label(name: str) -> str:
    try:
        return str(Application._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a field since removed: its name says enough
        return name


def _when(value):
    return timezone.localtime(value) if value else None


def _decided(application) -> bool:
    return application.state in {
        ApplicationState.DESIGNATED,
        ApplicationState.DECLINED,
        ApplicationState.INELIGIBLE,
    }


# Everything the platform holds on the person through their application, in one list for the private page and its
# JSON download (key, label, value). The reviewers' opinions are not in it: they are the reviewers' internal work
# (the page says so). The reason of a decision is, once the decision is communicated (a reopened examination
# hides the previous one, as the page does).
PERSONAL_DATA = [
    ("appel", "Appel", lambda a: a.call.title),
    ("etat", "État", lambda a: a.get_state_display()),
    ("prenom", "Prénom", lambda a: a.first_name),
    ("nom", "Nom", lambda a: a.last_name),
    ("vous_designer_comme", "Vous désigner comme", lambda a: a.get_gender_display()),
    ("adresse_electronique", "Adresse électronique", lambda a: a.email),
    ("telephone", "Téléphone", lambda a: a.phone),
    ("fonction", "Fonction", lambda a: a.job_title),
    ("structure", "Structure", lambda a: a.structure_name),
    ("siret", "SIRET", lambda a: a.siret),
    ("taille_de_la_structure", "Taille de la structure", lambda a: a.get_structure_size_display()),
    ("code_postal", "Code postal", lambda a: a.postcode),
    ("region", "Région", lambda a: a.region.name),
    ("departements", "Départements", lambda a: sorted(d.name for d in a.departements.all())),
    ("secteurs", "Secteurs", lambda a: sorted(s.label for s in a.sectors.all())),
    ("thematiques", "Thématiques", lambda a: sorted(t.name for t in a.topics.all())),
    ("profil_vise", "Profil visé", lambda a: a.get_profile_kind_display()),
    (
        "reseau_qui_propose",
        "Réseau qui vous propose",
        lambda a: a.proposing_network.name if a.proposing_network else "",
    ),
    ("experience_de_l_ia", "Expérience de l’IA", lambda a: a.ai_experience),
    ("motivation", "Motivation", lambda a: a.motivation),
    ("disponibilite_heures_par_mois", "Disponibilité", lambda a: a.availability_hours),
    (
        "reponses_aux_questions",
        "Réponses aux questions de l’appel",
        lambda a: [
            {"question": answer.get("question", ""), "reponse": answer.get("reponse", "")}
            for answer in (a.answers or {}).values()
        ],
    ),
    ("consentement_donne_le", "Consentement donné le", lambda a: _when(a.consent_at)),
    ("deposee_le", "Déposée le", lambda a: _when(a.submitted_at)),
    ("modifiee_le", "Dernière modification le", lambda a: _when(a.updated_at)),
    ("decidee_le", "Décidée le", lambda a: _when(a.decided_at) if _decided(a) else None),
    ("motif_de_la_decision", "Motif de la décision", lambda a: a.decision_reason if _decided(a) else None),
    ("retiree_le", "Retirée le", lambda a: _when(a.withdrawn_at)),
    ("correction_attendue_le", "Correction attendue au plus tard le", lambda a: a.correction_due_on),
    ("correction_renvoyee_le", "Correction renvoyée le", lambda a: _when(a.correction_returned_at)),
    (
        "echanges",
        "Échanges avec l’équipe d’examen",
        lambda a: [
            {
                "date": _when(m.created_at),
                "de": "vous" if m.from_applicant else m.author_label,
                "message": m.body,
            }
            for m in a.messages.all()
        ],
    ),
]


def application_personal_data(application: Application) -> list[tuple[str, str, object]]:
    """(key, label, value) of everything ``PERSONAL_DATA`` lists, for this application."""
    return [(key, label, value(application)) for key, label, value in PERSONAL_DATA]


# The private page shows what the person sent as the form asked it, then the record of its examination.
SECTIONS = [
    ("Vous", ["prenom", "nom", "vous_designer_comme", "adresse_electronique", "telephone", "fonction"]),
    (
        "Votre structure",
        ["structure", "siret", "taille_de_la_structure", "code_postal", "region", "departements"],
    ),
    (
        "Votre rôle d’ambassadeur",
        [
            "profil_vise",
            "secteurs",
            "thematiques",
            "reseau_qui_propose",
            "experience_de_l_ia",
            "motivation",
            "disponibilite_heures_par_mois",
        ],
    ),
    ("Les questions de l’appel", ["reponses_aux_questions"]),
]
RECORD_TITLE = "Le suivi de votre candidature"
# Shown in their own sections of the page, not in the record.
_ELSEWHERE = {"echanges", "motif_de_la_decision"}


def application_sections(application: Application) -> list[tuple[str, list[tuple[str, str, object]]]]:
    """``PERSONAL_DATA`` in the sections of the AMI form, then the record (call, state, dates). The call's
    questions are all there: one asked after the person applied shows as unanswered (``call__questions``
    prefetched: no query)."""
    rows = {key: (key, label, value) for key, label, value in application_personal_data(application)}
    answered = {answer.get("question") for answer in (application.answers or {}).values()}
    key = "reponses_aux_questions"
    rows[key] = (
        key,
        rows[key][1],
        rows[key][2]
        + [
            {"question": q.label, "reponse": ""}
            for q in application.call.questions.all()
            if str(q.pk) not in (application.answers or {}) and q.label not in answered
        ],
    )
    placed = {k for _title, keys in SECTIONS for k in keys} | _ELSEWHERE
    sections = [(title, [rows[k] for k in keys]) for title, keys in SECTIONS]
    record = [row for k, row in rows.items() if k not in placed and row[2] is not None]
    return [*sections, (RECORD_TITLE, record)]


def ambassador_personal_data(*, user, ambassador) -> Section:
    """The « Candidature » section of an ambassador's personal data (``ambassadors.data_rights``): the application
    the profile came from, if any."""
    application = Application.objects.filter(ambassador=ambassador).select_related("call").first()
    return Section(
        "candidature",
        "Candidature",
        [
            personal_data_item("existe", "Candidature à l’origine du profil", application is not None),
            *(
                [
                    personal_data_item("appel", "Appel", application.call.title),
                    personal_data_item("deposee_le", "Déposée le", application.submitted_at),
                    personal_data_item(
                        "page_privee",
                        "Page privée de la candidature",
                        absolute_url(application.get_private_url()),
                    ),
                ]
                if application
                else []
            ),
        ],
    )
