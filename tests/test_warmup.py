"""A worker of the application server loads its URLs and compiles the project's templates before its first
visitor (core/warmup.py, called by config/wsgi.py); a template that does not compile is found here."""

from core.warmup import project_templates, warm_up


def test_every_template_of_the_project_is_compiled_by_the_warm_up():
    names = project_templates()

    assert "base.html" in names and "contact/find.html" in names
    assert "admin/app_list.html" not in names  # ours only, not the libraries' (Django's admin)
    assert warm_up() == len(names)
