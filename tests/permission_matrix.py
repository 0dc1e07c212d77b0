"""The permission matrix: for every URL name of the site (outside Django's admin), the kwargs to build its URL
from the scene of tests/test_permission_matrix.py and the answer of a GET for each visitor.

Answers: a status code (200, 403, 404, 405: GET not allowed, the view takes POST only), ``LOGIN`` (the way to
/connexion/?next=…) or 302 (any other redirect). For a token URL (an application's, a company request's, a
diagnostic result's link) the anonymous visitor is the holder of the link: the right token, no account.
"""

from dataclasses import dataclass, field

LOGIN = "login"
VISITORS = ("anonymous", "ambassador", "reviewer", "regional", "regional_other", "national")


@dataclass(frozen=True)
class Row:
    name: str  # "namespace:name" (the route for a pattern without a name)
    kwargs: dict  # URL argument -> key of the scene's values
    answers: tuple  # one answer per visitor, in the order of VISITORS
    path: str | None = None  # a literal path, for a pattern without a name
    expect: dict = field(init=False, compare=False)

    def __post_init__(self):
        assert len(self.answers) == len(VISITORS), f"{self.name}: {len(self.answers)} answers"
        object.__setattr__(self, "expect", dict(zip(VISITORS, self.answers, strict=True)))


ROWS = [
    #                                                          anonymous  ambassador  reviewer  regional  other  national
    Row("core:health", {}, (200, 200, 200, 200, 200, 200)),  # /sante/
    Row("core:accessibility", {}, (200, 200, 200, 200, 200, 200)),  # /accessibilite/
    Row("core:legal", {}, (200, 200, 200, 200, 200, 200)),  # /mentions-legales/
    Row("core:privacy", {}, (200, 200, 200, 200, 200, 200)),  # /donnees-personnelles/
    Row("ambassadors:home", {}, (200, 200, 200, 200, 200, 200)),  # /
    Row("ambassadors:directory", {}, (200, 200, 200, 200, 200, 200)),  # /ambassadeurs/
    Row(
        "ambassadors:detail", {"slug": "ambassador_slug"}, (200, 200, 200, 200, 200, 200)
    ),  # /ambassadeurs/<slug:slug>/
    Row("ambassadors:region_list", {}, (200, 200, 200, 200, 200, 200)),  # /regions/
    Row(
        "ambassadors:region_detail", {"code": "region_code"}, (200, 200, 200, 200, 200, 200)
    ),  # /regions/<region_code:code>/
    Row(
        "ambassadors:region_embed", {"code": "region_code"}, (200, 200, 200, 200, 200, 200)
    ),  # /regions/<region_code:code>/integration/
    Row("ambassadors:open_data", {}, (200, 200, 200, 200, 200, 200)),  # /donnees/
    Row("ambassadors:export_csv", {}, (200, 200, 200, 200, 200, 200)),  # /donnees/ambassadeurs.csv
    Row("ambassadors:export_json", {}, (200, 200, 200, 200, 200, 200)),  # /donnees/ambassadeurs.json
    Row(
        "ambassadors:export_france_num", {}, (200, 200, 200, 200, 200, 200)
    ),  # /donnees/activateurs-france-num.csv
    Row("ambassadors:manage_list", {}, (LOGIN, 200, 200, 200, 200, 200)),  # /espace/ambassadeurs/
    Row(
        "ambassadors:manage_export_csv", {}, (LOGIN, 200, 200, 200, 200, 200)
    ),  # /espace/ambassadeurs/export.csv
    Row(
        "ambassadors:manage_export_xlsx", {}, (LOGIN, 200, 200, 200, 200, 200)
    ),  # /espace/ambassadeurs/export.xlsx
    Row(
        "ambassadors:manage_detail", {"pk": "ambassador_pk"}, (LOGIN, 200, 200, 200, 404, 200)
    ),  # /espace/ambassadeurs/<int:pk>/
    Row(
        "ambassadors:manage_edit", {"pk": "ambassador_pk"}, (LOGIN, 200, 403, 200, 404, 200)
    ),  # /espace/ambassadeurs/<int:pk>/modifier/
    Row(
        "ambassadors:manage_preview", {"pk": "ambassador_pk"}, (LOGIN, 200, 403, 200, 404, 200)
    ),  # /espace/ambassadeurs/<int:pk>/apercu/
    Row(
        "ambassadors:manage_publish", {"pk": "ambassador_pk"}, (LOGIN, 403, 403, 200, 404, 200)
    ),  # /espace/ambassadeurs/<int:pk>/publier/
    Row(
        "ambassadors:manage_unpublish", {"pk": "ambassador_pk"}, (LOGIN, 405, 405, 405, 405, 405)
    ),  # /espace/ambassadeurs/<int:pk>/retirer/
    Row(
        "ambassadors:manage_consent", {"pk": "ambassador_pk"}, (LOGIN, 405, 405, 405, 405, 405)
    ),  # /espace/ambassadeurs/<int:pk>/consentement/
    Row(
        "ambassadors:manage_end_mandate", {"pk": "ambassador_pk"}, (LOGIN, 403, 403, 200, 404, 200)
    ),  # /espace/ambassadeurs/<int:pk>/fin-de-mandat/
    Row("ambassadors:my_data", {}, (LOGIN, 200, 200, 200, 200, 200)),  # /espace/mes-donnees/
    Row(
        "ambassadors:my_data_export", {}, (LOGIN, 200, 200, 200, 200, 200)
    ),  # /espace/mes-donnees/export.json
    Row("ambassadors:my_data_erase", {}, (LOGIN, 200, 404, 404, 404, 404)),  # /espace/mes-donnees/effacement/
    Row("ambassadors:erasure_requested", {}, (200, 200, 200, 200, 200, 200)),  # /effacement-demande/
    Row("accounts:login", {}, (200, 302, 302, 302, 302, 302)),  # /connexion/
    Row("accounts:logout", {}, (405, 405, 405, 405, 405, 405)),  # /deconnexion/
    Row(
        "accounts:activate",
        {"uidb64": "activation_uid", "token": "activation_token"},
        (302, 302, 302, 302, 302, 302),
    ),  # /compte/activer/<uidb64>/<token>/
    Row("accounts:password_link", {}, (200, 200, 200, 200, 200, 200)),  # /connexion/mot-de-passe-oublie/
    Row(
        "accounts:password_link_sent", {}, (200, 200, 200, 200, 200, 200)
    ),  # /connexion/mot-de-passe-oublie/envoye/
    Row("accounts:dashboard", {}, (LOGIN, 200, 200, 200, 200, 200)),  # /espace/
    Row("accounts:account", {}, (LOGIN, 200, 200, 200, 200, 200)),  # /espace/compte/
    Row(
        "accounts:email_confirm", {"token": "email_token"}, (LOGIN, 302, 302, 302, 302, 302)
    ),  # /espace/compte/adresse/<str:token>/
    Row("accounts:audit_log", {}, (LOGIN, 403, 403, 403, 403, 200)),  # /espace/journal/
    Row("recruitment:ami", {}, (200, 200, 200, 200, 200, 200)),  # /ami/
    Row("recruitment:ami_sent", {}, (200, 200, 200, 200, 200, 200)),  # /ami/envoyee/
    Row(
        "recruitment:status", {"token": "application_token"}, (200, 200, 200, 200, 200, 200)
    ),  # /candidature/<token:token>/
    Row(
        "recruitment:withdraw", {"token": "application_token"}, (200, 200, 200, 200, 200, 200)
    ),  # /candidature/<token:token>/retirer/
    Row(
        "recruitment:personal_data", {"token": "application_token"}, (200, 200, 200, 200, 200, 200)
    ),  # /candidature/<token:token>/donnees.json
    Row(
        "recruitment:correct", {"token": "application_token"}, (200, 200, 200, 200, 200, 200)
    ),  # /candidature/<token:token>/corriger/
    Row(
        "recruitment:applicant_message", {"token": "application_token"}, (302, 302, 302, 302, 302, 302)
    ),  # /candidature/<token:token>/message/
    Row(
        "recruitment:erase", {"token": "application_token"}, (200, 200, 200, 200, 200, 200)
    ),  # /candidature/<token:token>/effacer/
    Row("recruitment:erased", {}, (200, 200, 200, 200, 200, 200)),  # /candidature/effacee/
    Row("recruitment:queue", {}, (LOGIN, 403, 200, 200, 200, 200)),  # /espace/candidatures/
    Row("recruitment:export_csv", {}, (LOGIN, 403, 200, 200, 200, 200)),  # /espace/candidatures/export.csv
    Row("recruitment:export_xlsx", {}, (LOGIN, 403, 200, 200, 200, 200)),  # /espace/candidatures/export.xlsx
    Row(
        "recruitment:decide_bulk", {}, (LOGIN, 405, 405, 405, 405, 405)
    ),  # /espace/candidatures/decision-groupee/
    Row(
        "recruitment:detail", {"pk": "application_pk"}, (LOGIN, 404, 200, 200, 404, 200)
    ),  # /espace/candidatures/<int:pk>/
    Row(
        "recruitment:review", {"pk": "application_pk"}, (LOGIN, 405, 405, 405, 405, 405)
    ),  # /espace/candidatures/<int:pk>/avis/
    Row(
        "recruitment:decide", {"pk": "application_pk"}, (LOGIN, 405, 405, 405, 405, 405)
    ),  # /espace/candidatures/<int:pk>/decision/
    Row(
        "recruitment:request_correction", {"pk": "application_pk"}, (LOGIN, 404, 302, 302, 404, 302)
    ),  # /espace/candidatures/<int:pk>/correction/
    Row(
        "recruitment:resume", {"pk": "application_pk"}, (LOGIN, 404, 302, 302, 404, 302)
    ),  # /espace/candidatures/<int:pk>/reprendre/
    Row(
        "recruitment:team_message", {"pk": "application_pk"}, (LOGIN, 404, 302, 302, 404, 302)
    ),  # /espace/candidatures/<int:pk>/message/
    Row("recruitment:call_list", {}, (LOGIN, 403, 403, 403, 403, 200)),  # /espace/appels/
    Row("recruitment:call_create", {}, (LOGIN, 403, 403, 403, 403, 200)),  # /espace/appels/nouveau/
    Row(
        "recruitment:call_edit", {"pk": "call_pk"}, (LOGIN, 403, 403, 403, 403, 200)
    ),  # /espace/appels/<int:pk>/
    Row("agenda:list", {}, (200, 200, 200, 200, 200, 200)),  # /agenda/
    Row("agenda:past", {}, (200, 200, 200, 200, 200, 200)),  # /agenda/passes/
    Row("agenda:month", {}, (200, 200, 200, 200, 200, 200)),  # /agenda/mois/
    Row(
        "agenda:month", {"month": "month"}, (200, 200, 200, 200, 200, 200)
    ),  # /^agenda/mois/(?P<month>[0-9]{4}-[0-9]{2})/$
    Row("agenda:feed_ics", {}, (200, 200, 200, 200, 200, 200)),  # /agenda/flux.ics
    Row("agenda:feed_rss", {}, (200, 200, 200, 200, 200, 200)),  # /agenda/flux.rss
    Row("agenda:feed_atom", {}, (200, 200, 200, 200, 200, 200)),  # /agenda/flux.atom
    Row(
        "agenda:event_ics", {"slug": "event_slug"}, (200, 200, 200, 200, 200, 200)
    ),  # /agenda/<slug:slug>.ics
    Row("agenda:detail", {"slug": "event_slug"}, (200, 200, 200, 200, 200, 200)),  # /agenda/<slug:slug>/
    Row("agenda:manage_list", {}, (LOGIN, 200, 403, 200, 200, 200)),  # /espace/evenements/
    Row("agenda:manage_create", {}, (LOGIN, 200, 403, 200, 200, 200)),  # /espace/evenements/nouveau/
    Row(
        "agenda:manage_detail", {"pk": "event_pk"}, (LOGIN, 200, 404, 200, 404, 200)
    ),  # /espace/evenements/<int:pk>/
    Row(
        "agenda:manage_edit", {"pk": "event_pk"}, (LOGIN, 200, 403, 200, 404, 200)
    ),  # /espace/evenements/<int:pk>/modifier/
    Row(
        "agenda:manage_moderate", {"pk": "event_pk"}, (LOGIN, 405, 405, 405, 405, 405)
    ),  # /espace/evenements/<int:pk>/moderer/
    Row(
        "agenda:manage_status", {"pk": "event_pk"}, (LOGIN, 405, 405, 405, 405, 405)
    ),  # /espace/evenements/<int:pk>/statut/
    Row("agenda:source_list", {}, (LOGIN, 403, 403, 200, 200, 200)),  # /espace/evenements/sources/
    Row("agenda:source_create", {}, (LOGIN, 403, 403, 200, 200, 200)),  # /espace/evenements/sources/nouvelle/
    Row(
        "agenda:source_detail", {"pk": "source_pk"}, (LOGIN, 403, 403, 200, 404, 200)
    ),  # /espace/evenements/sources/<int:pk>/
    Row(
        "agenda:source_import", {"pk": "source_pk"}, (LOGIN, 405, 405, 405, 405, 405)
    ),  # /espace/evenements/sources/<int:pk>/importer/
    Row("contact:find", {}, (200, 200, 200, 200, 200, 200)),  # /trouver-un-ambassadeur/
    Row(
        "contact:contact", {"slug": "ambassador_slug"}, (200, 200, 200, 200, 200, 200)
    ),  # /ambassadeurs/<slug:slug>/contact/
    Row("contact:sent", {}, (200, 200, 200, 200, 200, 200)),  # /demande/envoyee/
    Row(
        "contact:followup", {"token": "request_token"}, (200, 200, 200, 200, 200, 200)
    ),  # /demande/<token:token>/
    Row(
        "contact:feedback", {"token": "request_token"}, (405, 405, 405, 405, 405, 405)
    ),  # /demande/<token:token>/avis/
    Row(
        "contact:company_message", {"token": "request_token"}, (302, 302, 302, 302, 302, 302)
    ),  # /demande/<token:token>/ecrire/
    Row(
        "contact:erase", {"token": "request_token"}, (405, 405, 405, 405, 405, 405)
    ),  # /demande/<token:token>/effacer/
    Row(
        "contact:correct", {"token": "request_token"}, (200, 200, 200, 200, 200, 200)
    ),  # /demande/<token:token>/corriger/
    Row(
        "contact:personal_data", {"token": "request_token"}, (200, 200, 200, 200, 200, 200)
    ),  # /demande/<token:token>/donnees.json
    Row("contact:inbox", {}, (LOGIN, 200, 403, 200, 200, 200)),  # /espace/demandes/
    Row("contact:availability", {}, (LOGIN, 200, 403, 403, 403, 403)),  # /espace/demandes/disponibilite/
    Row(
        "contact:detail", {"pk": "request_pk"}, (LOGIN, 200, 404, 200, 404, 200)
    ),  # /espace/demandes/<id:pk>/
    Row(
        "contact:message", {"pk": "request_pk"}, (LOGIN, 302, 404, 302, 404, 302)
    ),  # /espace/demandes/<id:pk>/ecrire/
    Row(
        "contact:share", {"pk": "request_pk"}, (LOGIN, 302, 404, 302, 404, 302)
    ),  # /espace/demandes/<id:pk>/partage/
    Row(
        "contact:act", {"pk": "request_pk", "action": "request_action"}, (LOGIN, 302, 404, 302, 404, 302)
    ),  # /espace/demandes/<id:pk>/<slug:action>/
    Row("diagnostic:questionnaire", {}, (200, 200, 200, 200, 200, 200)),  # /diagnostic/
    Row(
        "diagnostic:step", {"step": "diagnostic_step"}, (200, 200, 200, 200, 200, 200)
    ),  # /diagnostic/etape-<int:step>/
    Row(
        "diagnostic:result", {"token": "diagnostic_token"}, (200, 200, 200, 200, 200, 200)
    ),  # /diagnostic/resultat/<token:token>/
    Row("diagnostic:statistics", {}, (200, 200, 200, 200, 200, 200)),  # /diagnostic/statistiques/
    Row("dashboard:index", {}, (LOGIN, 403, 200, 200, 200, 200)),  # /pilotage/
    Row("dashboard:targets", {}, (LOGIN, 403, 403, 403, 403, 200)),  # /pilotage/objectifs/
    Row(
        "dashboard:export_csv", {"table": "dashboard_table"}, (LOGIN, 403, 200, 200, 200, 200)
    ),  # /pilotage/<slug:table>.csv
    Row(
        "dashboard:export_xlsx", {"table": "dashboard_table"}, (LOGIN, 403, 200, 200, 200, 200)
    ),  # /pilotage/<slug:table>.xlsx
    Row("api:openapi-json", {}, (200, 200, 200, 200, 200, 200)),  # /api/v1/openapi.json
    Row("api:openapi-view", {}, (200, 200, 200, 200, 200, 200)),  # /api/v1/docs
    Row("api:index", {}, (200, 200, 200, 200, 200, 200)),  # /api/v1/
    Row("api:regions", {}, (200, 200, 200, 200, 200, 200)),  # /api/v1/regions
    Row("api:departements", {}, (200, 200, 200, 200, 200, 200)),  # /api/v1/departements
    Row("api:ambassadors", {}, (200, 200, 200, 200, 200, 200)),  # /api/v1/ambassadeurs
    Row(
        "api:ambassador", {"identifiant": "ambassador_slug"}, (200, 200, 200, 200, 200, 200)
    ),  # /api/v1/ambassadeurs/<identifiant>
    Row("api:events", {}, (200, 200, 200, 200, 200, 200)),  # /api/v1/evenements
    Row(
        "api:event", {"identifiant": "event_slug"}, (200, 200, 200, 200, 200, 200)
    ),  # /api/v1/evenements/<identifiant>
    Row("api:diagnostic_statistics", {}, (200, 200, 200, 200, 200, 200)),  # /api/v1/diagnostic/statistiques
    Row("api:partner_events", {}, (401, 401, 401, 401, 401, 401)),  # /api/v1/partenaires/evenements
    Row("api:partner_event_create", {}, (401, 401, 401, 401, 401, 401)),  # /api/v1/partenaires/evenements
    Row(
        "api:partner_event_update", {"event_id": "event_pk"}, (405, 405, 405, 405, 405, 405)
    ),  # /api/v1/partenaires/evenements/<event_id>
    Row("api:api-root", {}, (200, 200, 200, 200, 200, 200)),  # /api/v1/
    Row(
        "api/v1/^", {}, (404, 404, 404, 404, 404, 404), path="/api/v1/inconnu"
    ),  # the API's catch-all (JSON 404)
    Row("api_keys:list", {}, (LOGIN, 403, 403, 403, 403, 200)),  # /espace/cles-api/
    Row(
        "api_keys:revoke", {"pk": "api_key_pk"}, (LOGIN, 405, 405, 405, 405, 405)
    ),  # /espace/cles-api/<id:pk>/revoquer/
    Row(
        "territories:postcode_lookup", {"postcode": "postcode"}, (200, 200, 200, 200, 200, 200)
    ),  # /territoires/codes-postaux/<postcode:postcode>/
]
