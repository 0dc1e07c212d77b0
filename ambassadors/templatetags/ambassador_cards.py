"""Keys of cached lists of ambassadors' cards (``ambassadors/_card.html``, ``{% cache %}``), made of what the cards
show, read from the rows and their prefetched regions and topics (no query): any change shows at once."""

from django import template

from core.fragments import digest

register = template.Library()


def _shown(ambassador) -> tuple:
    return (
        ambassador.pk,
        ambassador.slug,
        ambassador.first_name,
        ambassador.last_name,
        ambassador.job_title,
        ambassador.structure_name,
        ambassador.kind,
        ambassador.gender,
        ambassador.is_national,
        ambassador.is_france_num_activateur,
        [region.name for region in ambassador.regions.all()],
        [topic.name for topic in ambassador.topics.all()],
    )


@register.simple_tag
def ambassador_cards_key(ambassadors, *parts) -> str:
    """``{% ambassador_cards_key page_obj.object_list 2 as key %}``: ``parts`` for what else the list shows."""
    return digest("ambassador-cards", parts, [_shown(a) for a in ambassadors])


@register.simple_tag
def ambassador_groups_key(groups, *parts) -> str:
    """The same for the groups of a region's page (``_region_groups.html``: names, kind, ambassadors)."""
    return digest(
        "ambassador-groups",
        parts,
        [(names, kind, [_shown(a) for a in items]) for names, kind, items in groups],
    )
