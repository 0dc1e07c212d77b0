"""Form widgets shared by the domains.

``Checklist``: a long multiple choice (100 to 200 options: ambassadors, départements) as a list of checkboxes one
can filter by typing, with a count of the ticked ones. Without JavaScript it is a plain list of checkboxes (no
Ctrl-click, nothing hidden); with ``core/static/js/checklist.js`` (loaded by ``base.html`` on every page) a search
box appears above the list and hides the options that do not match as one types (accents and case ignored), and
the count says how many are ticked and how many are shown, in an ``aria-live`` region. Ticked options come first,
so what is chosen is seen at once; a filtered-out option stays ticked and is sent.

How to use it, on any multiple-choice field::

    from core.widgets import Checklist

    class MyForm(forms.ModelForm):
        class Meta:
            widgets = {"departements": Checklist(search_label="Rechercher un département")}

    # or, on a declared field:
    others = forms.ModelMultipleChoiceField(queryset=..., widget=Checklist())

Limit the options where the form says so (the field's queryset: « the ambassadors of the event's region »); the
widget only shows them. Rendered by ``core/field.html`` (the DSFR field partial every form template includes),
which hands the bound field to ``core/widgets/checklist.html``: a ``fieldset`` whose ``legend`` is the field's
label, hint and error tied to it, one labelled checkbox per option.
"""

from django import forms


class Checklist(forms.CheckboxSelectMultiple):
    """Checkboxes with a search box and a count (see the module's docstring). ``search_label`` names the search box
    (« Filtrer la liste » by default)."""

    # core/field.html dispatches on ``BoundField.widget_type``, the class name in lower case: « checklist ».

    def __init__(self, attrs=None, choices=(), *, search_label: str = "Filtrer la liste"):
        super().__init__(attrs, choices)
        self.search_label = search_label
