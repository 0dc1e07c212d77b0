"""core.widgets.Checklist, rendered by core/field.html: without JavaScript, a DSFR fieldset of plain, labelled
checkboxes (ticked first), a count, and the search box hidden until js/checklist.js shows it. (Filtering as one
types is checked in a real browser: tests/e2e/test_moderation_preview.py.)"""

import re

import pytest
from django import forms
from django.template.loader import render_to_string

from core.widgets import Checklist

CHOICES = [(str(n), f"Département {n:02d}") for n in range(1, 151)]


class ChecklistForm(forms.Form):
    departements = forms.MultipleChoiceField(
        label="Autres départements",
        choices=CHOICES,
        required=False,
        help_text="Ceux où vous pouvez intervenir.",
        widget=Checklist(search_label="Rechercher un département"),
    )


def _render(form) -> str:
    return render_to_string("core/field.html", {"field": form["departements"]})


def test_checklist_renders_every_option_as_a_plain_labelled_checkbox():
    html = _render(ChecklistForm())

    boxes = re.findall(r'<input type="checkbox" id="([^"]+)" name="departements" value="([^"]+)"', html)
    assert len(boxes) == 150
    for box_id, _ in boxes:
        assert f'<label class="fr-label" for="{box_id}">' in html
    assert "<select" not in html and "multiple" not in html  # no Ctrl-click
    assert (
        '<legend class="fr-fieldset__legend fr-text--regular" id="id_departements-legend">Autres départements'
        in html
    )
    assert "Ceux où vous pouvez intervenir." in html


def test_checklist_search_box_is_hidden_without_javascript_and_labelled():
    html = _render(ChecklistForm())

    tools = html.split("data-checklist-tools", 1)[1].split("</div>\n  </div>", 1)[0]
    assert tools.startswith(" hidden>")
    assert '<label class="fr-label" for="id_departements-filtre">Rechercher un département' in tools
    assert 'type="search" id="id_departements-filtre"' in tools


def test_checklist_count_is_a_live_region_and_ticked_options_come_first():
    html = _render(ChecklistForm(data={"departements": ["42", "7"]}))

    assert re.search(
        r'aria-live="polite" data-checklist-count data-total="150">2 cases cochées sur 150\.', html
    )
    values = re.findall(r'value="(\d+)"( checked)?>', html)
    assert values[:2] == [("7", " checked"), ("42", " checked")]
    assert sum(1 for _, checked in values if checked) == 2


def test_checklist_keeps_ticked_values_and_reports_errors_on_the_fieldset():
    form = ChecklistForm(data={"departements": ["999"]})
    assert not form.is_valid()

    html = _render(form)

    assert 'aria-labelledby="id_departements-legend id_departements-err"' in html
    assert 'id="id_departements-err"' in html
    assert "fr-fieldset--error" in html


@pytest.mark.django_db
def test_checklist_script_is_loaded_by_the_base_template(client):
    html = client.get("/").content.decode()

    assert '<script src="/static/js/checklist.js" defer></script>' in html
