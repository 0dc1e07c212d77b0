from django.contrib import admin

from ambassadors.data_rights import ambassador_erase
from ambassadors.models import Ambassador, PartnerNetwork, Topic


@admin.register(PartnerNetwork)
class PartnerNetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_active"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Ambassador)
class AmbassadorAdmin(admin.ModelAdmin):
    """Read-only: profiles are written by audited services only (designation, edits, publication, consent, the
    trusted contributors, availability: the back office), never by this form; deleting erases the person."""

    list_display = [
        "last_name",
        "first_name",
        "structure_name",
        "kind",
        "publication_state",
        "proposing_network",
    ]
    list_filter = ["kind", "publication_state", "proposing_network", "is_france_num_activateur", "regions"]
    search_fields = ["first_name", "last_name", "structure_name"]
    readonly_fields = [
        "publication_state",
        "published_at",
        "consent_at",
        "mandate_ended_at",
        "erasure_requested_at",
        "created_at",
        "updated_at",
    ]
    filter_horizontal = ["regions", "departements", "sectors", "topics"]
    list_select_related = ["proposing_network"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # Deleting here erases as the retention job does (account, audit entries anonymised, empty shell if company
    # requests hold the profile): a plain delete would leave the person's name and addresses in the journal.
    def log_deletions(self, request, queryset):
        # The admin's history would keep the person's name; the audit log records the erasure instead.
        return None

    def delete_model(self, request, obj):
        ambassador_erase(ambassador=obj)

    def delete_queryset(self, request, queryset):
        for ambassador in queryset.select_related("user"):
            ambassador_erase(ambassador=ambassador)
