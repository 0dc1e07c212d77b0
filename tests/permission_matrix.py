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


# fmt: off
ROWS = [
    #                                                                                     anon.,  amb.,  rev.,  reg., other,  nat.
    # core
    Row("core:health", {},                                                               (  200,   200,   200,   200,   200,   200)),
    Row("core:accessibility", {},                                                        (  200,   200,   200,   200,   200,   200)),
    Row("core:legal", {},                                                                (  200,   200,   200,   200,   200,   200)),
    Row("core:privacy", {},                                                              (  200,   200,   200,   200,   200,   200)),
    # ambassadors
    Row("ambassadors:home", {},                                                          (  200,   200,   200,   200,   200,   200)),
    Row("ambassadors:directory", {},                                                     (  200,   200,   200,   200,   200,   200)),
    Row("ambassadors:detail", {"slug": "ambassador_slug"},                               (  200,   200,   200,   200,   200,   200)),
    Row("ambassadors:region_list", {},                                                   (  200,   200,   200,   200,   200,   200)),
    Row("ambassadors:region_detail", {"code": "region_code"},                            (  200,   200,   200,   200,   200,   200)),
    Row("ambassadors:region_embed", {"code": "region_code"},                             (  200,   200,   200,   200,   200,   200)),
    Row("ambassadors:open_data", {},                                                     (  200,   200,   200,   200,   200,   200)),
    Row("ambassadors:export_csv", {},                                                    (  200,   200,   200,   200,   200,   200)),
    Row("ambassadors:export_json", {},                                                   (  200,   200,   200,   200,   200,   200)),
    Row("ambassadors:export_france_num", {},                                             (  200,   200,   200,   200,   200,   200)),
    Row("ambassadors:manage_list", {},                                                   (LOGIN,   200,   200,   200,   200,   200)),  # each sees their own scope (the ambassador: their profile; 76: nothing of 84)
    Row("ambassadors:manage_export_csv", {},                                             (LOGIN,   200,   200,   200,   200,   200)),  # same scope as the list
    Row("ambassadors:manage_export_xlsx", {},                                            (LOGIN,   200,   200,   200,   200,   200)),  # same scope as the list
    Row("ambassadors:manage_detail", {"pk": "ambassador_pk"},                            (LOGIN,   200,   200,   200,   404,   200)),  # the CCI reviewer reads the profiles the CCI proposed
    Row("ambassadors:manage_edit", {"pk": "ambassador_pk"},                              (LOGIN,   200,   403,   200,   404,   200)),
    Row("ambassadors:manage_preview", {"pk": "ambassador_pk"},                           (LOGIN,   200,   403,   200,   404,   200)),
    Row("ambassadors:manage_publish", {"pk": "ambassador_pk"},                           (LOGIN,   403,   403,   200,   404,   200)),  # GET: the confirmation page
    Row("ambassadors:manage_unpublish", {"pk": "ambassador_pk"},                         (LOGIN,   405,   405,   405,   405,   405)),
    Row("ambassadors:manage_consent", {"pk": "ambassador_pk"},                           (LOGIN,   405,   405,   405,   405,   405)),
    Row("ambassadors:manage_trust", {"pk": "ambassador_pk"},                             (LOGIN,   405,   405,   405,   405,   405)),
    Row("ambassadors:manage_end_mandate", {"pk": "ambassador_pk"},                       (LOGIN,   403,   403,   200,   404,   200)),  # GET: the confirmation page
    Row("ambassadors:my_data", {},                                                       (LOGIN,   200,   200,   200,   200,   200)),
    Row("ambassadors:my_data_export", {},                                                (LOGIN,   200,   200,   200,   200,   200)),
    Row("ambassadors:my_data_erase", {},                                                 (LOGIN,   200,   404,   404,   404,   404)),  # only an ambassador has a profile to erase
    Row("ambassadors:erasure_requested", {},                                             (  200,   200,   200,   200,   200,   200)),
    # accounts
    Row("accounts:login", {},                                                            (  200,   302,   302,   302,   302,   302)),  # a signed-in visitor is sent on to their space
    Row("accounts:logout", {},                                                           (  405,   405,   405,   405,   405,   405)),  # POST only (Django's LogoutView)
    Row("accounts:proconnect_login", {},                                                 (  404,   404,   404,   404,   404,   404)),  # ProConnect unset in the tests: off (tests/accounts/test_proconnect.py turns it on)
    Row("accounts:proconnect_callback", {},                                              (  404,   404,   404,   404,   404,   404)),  # same
    Row("accounts:proconnect_logged_out", {},                                            (  404,   404,   404,   404,   404,   404)),  # same
    Row("accounts:activate", {"uidb64": "activation_uid", "token": "activation_token"},  (  302,   302,   302,   302,   302,   302)),  # a valid invitation link: on to the password form (the token leaves the URL)
    Row("accounts:password_link", {},                                                    (  200,   200,   200,   200,   200,   200)),
    Row("accounts:password_link_sent", {},                                               (  200,   200,   200,   200,   200,   200)),
    Row("accounts:dashboard", {},                                                        (LOGIN,   200,   200,   200,   200,   200)),
    Row("accounts:account", {},                                                          (LOGIN,   200,   200,   200,   200,   200)),
    Row("accounts:email_confirm", {"token": "email_token"},                              (LOGIN,   302,   302,   302,   302,   302)),  # the ambassador's link: confirms and goes back to the account page; others: refused there
    Row("accounts:audit_log", {},                                                        (LOGIN,   403,   403,   403,   403,   200)),
    # recruitment
    Row("recruitment:ami", {},                                                           (  200,   200,   200,   200,   200,   200)),
    Row("recruitment:ami_sent", {},                                                      (  200,   200,   200,   200,   200,   200)),
    Row("recruitment:status", {"token": "application_token"},                            (  200,   200,   200,   200,   200,   200)),
    Row("recruitment:withdraw", {"token": "application_token"},                          (  200,   200,   200,   200,   200,   200)),  # GET: what withdrawing means, and a button
    Row("recruitment:personal_data", {"token": "application_token"},                     (  200,   200,   200,   200,   200,   200)),
    Row("recruitment:correct", {"token": "application_token"},                           (  200,   200,   200,   200,   200,   200)),
    Row("recruitment:applicant_message", {"token": "application_token"},                 (  302,   302,   302,   302,   302,   302)),  # GET: back to the application's page
    Row("recruitment:erase", {"token": "application_token"},                             (  200,   200,   200,   200,   200,   200)),  # GET: what erasing means, and a button
    Row("recruitment:erased", {},                                                        (  200,   200,   200,   200,   200,   200)),
    Row("recruitment:queue", {},                                                         (LOGIN,   403,   200,   200,   200,   200)),
    Row("recruitment:export_csv", {},                                                    (LOGIN,   403,   200,   200,   200,   200)),
    Row("recruitment:export_xlsx", {},                                                   (LOGIN,   403,   200,   200,   200,   200)),
    Row("recruitment:decide_bulk", {},                                                   (LOGIN,   405,   405,   405,   405,   405)),
    Row("recruitment:detail", {"pk": "application_pk"},                                  (LOGIN,   404,   200,   200,   404,   200)),  # out of scope or not a reader of applications: 404
    Row("recruitment:review", {"pk": "application_pk"},                                  (LOGIN,   405,   405,   405,   405,   405)),
    Row("recruitment:decide", {"pk": "application_pk"},                                  (LOGIN,   405,   405,   405,   405,   405)),
    Row("recruitment:request_correction", {"pk": "application_pk"},                      (LOGIN,   404,   302,   302,   404,   302)),
    Row("recruitment:resume", {"pk": "application_pk"},                                  (LOGIN,   404,   302,   302,   404,   302)),
    Row("recruitment:team_message", {"pk": "application_pk"},                            (LOGIN,   404,   302,   302,   404,   302)),
    Row("recruitment:call_list", {},                                                     (LOGIN,   403,   403,   403,   403,   200)),
    Row("recruitment:call_create", {},                                                   (LOGIN,   403,   403,   403,   403,   200)),
    Row("recruitment:call_edit", {"pk": "call_pk"},                                      (LOGIN,   403,   403,   403,   403,   200)),
    # agenda
    Row("agenda:list", {},                                                               (  200,   200,   200,   200,   200,   200)),
    Row("agenda:past", {},                                                               (  200,   200,   200,   200,   200,   200)),
    Row("agenda:month", {},                                                              (  200,   200,   200,   200,   200,   200)),
    Row("agenda:month", {"month": "month"},                                              (  200,   200,   200,   200,   200,   200)),
    Row("agenda:feed_ics", {},                                                           (  200,   200,   200,   200,   200,   200)),
    Row("agenda:feed_rss", {},                                                           (  200,   200,   200,   200,   200,   200)),
    Row("agenda:feed_atom", {},                                                          (  200,   200,   200,   200,   200,   200)),
    Row("agenda:event_ics", {"slug": "event_slug"},                                      (  200,   200,   200,   200,   200,   200)),
    Row("agenda:detail", {"slug": "event_slug"},                                         (  200,   200,   200,   200,   200,   200)),
    Row("agenda:manage_list", {},                                                        (LOGIN,   200,   403,   200,   200,   200)),
    Row("agenda:manage_create", {},                                                      (LOGIN,   200,   403,   200,   200,   200)),
    Row("agenda:manage_detail", {"pk": "event_pk"},                                      (LOGIN,   200,   404,   200,   404,   200)),  # the ambassador wrote the event
    Row("agenda:manage_edit", {"pk": "event_pk"},                                        (LOGIN,   200,   403,   200,   404,   200)),  # the ambassador wrote the event
    Row("agenda:manage_moderate", {"pk": "event_pk"},                                    (LOGIN,   405,   405,   405,   405,   405)),
    Row("agenda:manage_status", {"pk": "event_pk"},                                      (LOGIN,   405,   405,   405,   405,   405)),
    Row("agenda:source_list", {},                                                        (LOGIN,   403,   403,   200,   200,   200)),
    Row("agenda:source_create", {},                                                      (LOGIN,   403,   403,   200,   200,   200)),
    Row("agenda:source_detail", {"pk": "source_pk"},                                     (LOGIN,   403,   403,   200,   404,   200)),
    Row("agenda:source_import", {"pk": "source_pk"},                                     (LOGIN,   405,   405,   405,   405,   405)),
    # contact
    Row("contact:find", {},                                                              (  200,   200,   200,   200,   200,   200)),
    Row("contact:contact", {"slug": "ambassador_slug"},                                  (  200,   200,   200,   200,   200,   200)),
    Row("contact:sent", {},                                                              (  200,   200,   200,   200,   200,   200)),
    Row("contact:followup", {"token": "request_token"},                                  (  200,   200,   200,   200,   200,   200)),
    Row("contact:feedback", {"token": "request_token"},                                  (  405,   405,   405,   405,   405,   405)),
    Row("contact:company_message", {"token": "request_token"},                           (  302,   302,   302,   302,   302,   302)),  # GET: back to the request's page
    Row("contact:erase", {"token": "request_token"},                                     (  405,   405,   405,   405,   405,   405)),
    Row("contact:correct", {"token": "request_token"},                                   (  200,   200,   200,   200,   200,   200)),
    Row("contact:personal_data", {"token": "request_token"},                             (  200,   200,   200,   200,   200,   200)),
    Row("contact:inbox", {},                                                             (LOGIN,   200,   403,   200,   200,   200)),
    Row("contact:availability", {},                                                      (LOGIN,   200,   403,   403,   403,   403)),  # the ambassador's own availability
    Row("contact:detail", {"pk": "request_pk"},                                          (LOGIN,   200,   404,   200,   404,   200)),
    Row("contact:message", {"pk": "request_pk"},                                         (LOGIN,   302,   404,   302,   404,   302)),  # GET: back to the request's page
    Row("contact:share", {"pk": "request_pk"},                                           (LOGIN,   302,   404,   302,   404,   302)),  # GET: back to the request's page
    Row("contact:act", {"pk": "request_pk", "action": "request_action"},                 (LOGIN,   302,   404,   302,   404,   302)),  # GET: back to the request's page (in scope), 404 out of it
    # diagnostic
    Row("diagnostic:questionnaire", {},                                                  (  200,   200,   200,   200,   200,   200)),
    Row("diagnostic:step", {"step": "diagnostic_step"},                                  (  200,   200,   200,   200,   200,   200)),
    Row("diagnostic:result", {"token": "diagnostic_token"},                              (  200,   200,   200,   200,   200,   200)),
    Row("diagnostic:statistics", {},                                                     (  200,   200,   200,   200,   200,   200)),
    # dashboard
    Row("dashboard:index", {},                                                           (LOGIN,   403,   200,   200,   200,   200)),
    Row("dashboard:targets", {},                                                         (LOGIN,   403,   403,   403,   403,   200)),  # national only
    Row("dashboard:export_csv", {"table": "dashboard_table"},                            (LOGIN,   403,   200,   200,   200,   200)),
    Row("dashboard:export_xlsx", {"table": "dashboard_table"},                           (LOGIN,   403,   200,   200,   200,   200)),
    # api
    Row("api:openapi-json", {},                                                          (  200,   200,   200,   200,   200,   200)),
    Row("api:openapi-view", {},                                                          (  200,   200,   200,   200,   200,   200)),
    Row("api:index", {},                                                                 (  200,   200,   200,   200,   200,   200)),
    Row("api:regions", {},                                                               (  200,   200,   200,   200,   200,   200)),
    Row("api:departements", {},                                                          (  200,   200,   200,   200,   200,   200)),
    Row("api:ambassadors", {},                                                           (  200,   200,   200,   200,   200,   200)),
    Row("api:ambassador", {"identifiant": "ambassador_slug"},                            (  200,   200,   200,   200,   200,   200)),
    Row("api:events", {},                                                                (  200,   200,   200,   200,   200,   200)),
    Row("api:event", {"identifiant": "event_slug"},                                      (  200,   200,   200,   200,   200,   200)),
    Row("api:diagnostic_statistics", {},                                                 (  200,   200,   200,   200,   200,   200)),
    Row("api:partner_events", {},                                                        (  401,   401,   401,   401,   401,   401)),  # the partner API: its own keys (Bearer), never the site's login
    Row("api:partner_event_create", {},                                                  (  401,   401,   401,   401,   401,   401)),  # same path as partner_events: a GET is partner_events'
    Row("api:partner_event_update", {"event_id": "event_pk"},                            (  405,   405,   405,   405,   405,   405)),
    Row("api:api-root", {},                                                              (  200,   200,   200,   200,   200,   200)),
    Row("api/v1/^", {},                                                                  (  404,   404,   404,   404,   404,   404), path="/api/v1/inconnu"),  # the API's catch-all: a JSON 404
    # api_keys
    Row("api_keys:list", {},                                                             (LOGIN,   403,   403,   403,   403,   200)),
    Row("api_keys:revoke", {"pk": "api_key_pk"},                                         (LOGIN,   405,   405,   405,   405,   405)),
    # territories
    Row("territories:postcode_lookup", {"postcode": "postcode"},                         (  200,   200,   200,   200,   200,   200)),
    Row("territories:address_suggestions", {},                                           (  400,   400,   400,   400,   400,   400)),  # public; without « q » a French 400
]
# fmt: on
