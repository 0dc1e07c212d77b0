"""The initial managed lists: partner networks and topics. Coordinators may rename or add entries afterwards;
loading again never overwrites their edits (get_or_create on the slug)."""

from django.db import transaction

from ambassadors.models import PartnerNetwork, Topic

PARTNER_NETWORKS = [
    ("france-num", "France Num", "https://www.francenum.gouv.fr"),
    ("cci", "CCI France", "https://www.cci.fr"),
    ("bpifrance", "Bpifrance", "https://www.bpifrance.fr"),
    ("french-tech", "La French Tech", "https://lafrenchtech.gouv.fr"),
    ("sous-prefets-france-2030", "Sous-préfets référents France 2030", ""),
]

TOPICS = [
    ("strategie", "Stratégie et premiers pas"),
    ("relation-client", "Relation client"),
    ("marketing", "Marketing et communication"),
    ("production", "Production"),
    ("logistique", "Logistique"),
    ("ressources-humaines", "Ressources humaines"),
    ("finance", "Finance et gestion"),
    ("juridique-conformite", "Juridique et conformité"),
    ("donnees", "Données"),
    ("cybersecurite", "Cybersécurité"),
]


@transaction.atomic
def reference_lists_load() -> dict[str, int]:
    for slug, name, url in PARTNER_NETWORKS:
        PartnerNetwork.objects.get_or_create(slug=slug, defaults={"name": name, "url": url})
    for order, (slug, name) in enumerate(TOPICS):
        Topic.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})
    return {"réseaux partenaires": PartnerNetwork.objects.count(), "thématiques": Topic.objects.count()}
