"""The register of personal data (docs/personal-data.md) and the code agree: every field of every model is classed
there (a personal field with its purpose, visibility, retention and eraser; or listed as not personal), every eraser
it names exists, and its retention jobs are the ones the daily job runs."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.utils.module_loading import import_string

REGISTER = Path(__file__).resolve().parent.parent / "docs" / "personal-data.md"
# Our apps, and the third-party tables that hold data about people (login records, sessions, task results).
APPS = {
    "accounts",
    "ambassadors",
    "recruitment",
    "agenda",
    "contact",
    "diagnostic",
    "dashboard",
    "api",
    "core",
    "territories",
    "axes",
    "sessions",
    "admin",
    "django_tasks_database",
}
NOT_PERSONAL = "Champs sans donnée personnelle"
CODE = re.compile(r"`([^`]+)`")
DOTTED = re.compile(r"^[a-z_]+(\.[A-Za-z_]+)+$")


def model_fields(model) -> set[str]:
    return {
        field.name
        for field in model._meta.get_fields()
        if (getattr(field, "concrete", False) or field.many_to_many) and not field.auto_created
    }


def parse_register() -> tuple[dict[str, dict], list[list[str]]]:
    """By model label: ``personal`` (field -> the row's cells), ``not_personal`` (names). And the table of jobs."""
    models, jobs, current, in_list = {}, [], None, False
    for line in REGISTER.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^#{2,3} `([\w.]+)`", line)
        if heading:
            current = models.setdefault(heading.group(1), {"personal": {}, "not_personal": set()})
            in_list = False
            continue
        if line.startswith("## "):
            current, in_list = None, False
        if line.startswith(NOT_PERSONAL) and current is not None:
            in_list = True
        if in_list:
            if not line.strip():
                in_list = False
                continue
            # Only the names before a parenthesis: « `erased_at` (date de …) » names one field.
            current["not_personal"] |= set(CODE.findall(re.sub(r"\([^)]*\)", "", line)))
            continue
        if line.startswith("| `"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if current is None:
                jobs.append(cells)
                continue
            for name in CODE.findall(cells[0]):
                current["personal"][name] = cells
    return models, jobs


def test_register_classes_every_field_of_every_model():
    register, _ = parse_register()
    problems = []
    for model in apps.get_models():
        label = model._meta.label
        if model._meta.app_label not in APPS:
            continue
        entry = register.get(label)
        if entry is None:
            problems.append(f"{label}: absent du registre")
            continue
        classed = set(entry["personal"]) | entry["not_personal"]
        fields = model_fields(model)
        if fields - classed:
            problems.append(f"{label}: champs non classés {sorted(fields - classed)}")
        if classed - fields:
            problems.append(f"{label}: champs du registre qui n’existent plus {sorted(classed - fields)}")
        if set(entry["personal"]) & entry["not_personal"]:
            problems.append(
                f"{label}: classés deux fois {sorted(set(entry['personal']) & entry['not_personal'])}"
            )
    known = {m._meta.label for m in apps.get_models()}
    problems += [f"{label}: modèle inconnu" for label in register if label not in known]
    assert not problems, "\n".join(problems)


def test_every_personal_field_says_purpose_visibility_retention_and_eraser():
    register, _ = parse_register()
    for label, entry in register.items():
        for name, cells in entry["personal"].items():
            assert len(cells) == 6, (label, name, cells)
            assert all(cells), (label, name, cells)
            erasers = [code for code in CODE.findall(cells[5]) if DOTTED.match(code)]
            assert erasers or cells[5] == "idem", (label, name)
            for path in erasers:
                assert callable(import_string(path)), path


def test_register_names_the_retention_jobs_the_daily_job_runs():
    _, jobs = parse_register()
    assert [CODE.findall(cells[0])[0] for cells in jobs] == settings.RETENTION_JOBS
    for path in settings.RETENTION_JOBS:
        assert callable(import_string(path)), path


def test_register_knows_every_private_field_the_audit_log_hides():
    register, _ = parse_register()
    for model in apps.get_models():
        for name in getattr(model, "PRIVATE_FIELDS", ()):
            assert name in register[model._meta.label]["personal"], (model._meta.label, name)


def test_a_new_personal_field_fails_the_register(monkeypatch):
    # The guard itself: the register test, run on a model that gained a field the register does not class, fails.
    import tests.test_personal_data_register as register_test

    real = register_test.model_fields
    monkeypatch.setattr(
        register_test,
        "model_fields",
        lambda model: (
            real(model) | ({"home_address"} if model._meta.label == "ambassadors.Ambassador" else set())
        ),
    )
    with pytest.raises(
        AssertionError, match=r"ambassadors\.Ambassador: champs non classés \['home_address'\]"
    ):
        register_test.test_register_classes_every_field_of_every_model()


# What the public page « Données personnelles » promises for each retention job (its words, NBSP included).
PROMISES = {
    "ambassadors.data_rights.ambassadors_erase_expired": [
        "Durée du mandat, puis un an",
        "dans les 24\u00a0heures",
    ],
    "recruitment.services.applications_purge_expired": [
        "Deux ans après la clôture de l’appel",
        "30\u00a0jours après un retrait",
    ],
    "contact.services.requests_anonymise_expired": [
        "Douze mois après la clôture de la demande, puis anonymisées",
        "sans aucune suite pendant six mois est close",
    ],
    "api.services.api_keys_erase_contacts": ["effacée un an après la révocation de la clé"],
    "accounts.services.accounts_purge": [
        "puis un an sans connexion",
        "<td>30\u00a0jours</td>",
        "<td>Cinq ans",
    ],
    "core.retention.admin_log_purge": ["l’historique de l’administration, gardé cinq ans"],
    "core.retention.sessions_purge_expired": ["effacée 12\u00a0heures après la dernière page vue"],
    "core.retention.task_results_purge": [
        "tâches techniques (imports, relances) sont effacés après 30\u00a0jours"
    ],
}


def test_privacy_page_promises_what_each_retention_job_does(client):
    assert set(PROMISES) == set(settings.RETENTION_JOBS)
    page = client.get("/donnees-personnelles/").content.decode()
    missing = [(job, words) for job, phrases in PROMISES.items() for words in phrases if words not in page]
    assert not missing
