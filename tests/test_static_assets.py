"""The page weight's guards: the pages load the DSFR parts they use from one generated sheet (css/dsfr.css, written
by scripts/dsfr_subset.py) and two generated scripts (js/dsfr.module.js, js/dsfr.nomodule.js), never django-dsfr's
whole sheets and bundle; every DSFR class a template names, icons first, has its rule there; what production serves
(collectstatic's fingerprinted copies) still resolves every url(); fonts are preloaded as the DSFR recommends."""

import importlib.util
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from django.core.files.storage import FileSystemStorage

BASE = Path(__file__).resolve().parent.parent
SUBSET = BASE / "core" / "static" / "css" / "dsfr.css"
SITE_CSS = BASE / "core" / "static" / "css" / "site.css"


def _subset_module():
    spec = importlib.util.spec_from_file_location("dsfr_subset", BASE / "scripts" / "dsfr_subset.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sources():
    for path in _subset_module().source_files():
        yield path, path.read_text(errors="replace")


def _classes_named() -> dict[str, str]:
    """Each whole DSFR class written in a template, our Python or JavaScript -> one file naming it. A class
    built in a template (``fr-alert--{{ level }}``) is left out: its fixed part is not a class."""
    named = {}
    token = re.compile(r"(?<![\w-])(fr-[a-z0-9][a-z0-9_-]*[a-z0-9])(?![\w{-])")
    for path, text in _sources():
        for attribute in re.findall(r"class(?:Name|List\.\w+\()?\s*[=(]\s*[\"']([^\"']*)", text):
            for name in token.findall(attribute):
                named.setdefault(name, str(path.relative_to(BASE)))
    return named


def _selectors(css: str) -> set[str]:
    return set(re.findall(r"\.(fr-[a-zA-Z0-9_-]+)", css))


def test_the_committed_subset_is_what_the_script_writes():
    outputs = _subset_module().outputs()
    assert sorted(str(p.relative_to(BASE)) for p in outputs) == [
        "core/static/css/dsfr.css",
        "core/static/js/dsfr.module.js",
        "core/static/js/dsfr.nomodule.js",
    ]
    for path, text in outputs.items():
        assert path.read_text() == text, f"{path} is out of date: run .venv/bin/python scripts/dsfr_subset.py"


def test_the_scripts_are_the_core_and_the_components_of_the_sheet_that_have_one():
    module = _subset_module()
    static = module.dsfr_static() / "dsfr" / "dist"
    with_script = {c for c in module.COMPONENTS if (static / f"component/{c}/{c}.module.min.js").exists()}
    assert {"header", "modal", "navigation", "accordion"} <= with_script
    for kind in ("module", "nomodule"):
        text = module.SCRIPTS[kind].read_text()
        named = re.findall(r"^/\* (\S+)\.min\.js \*/$", text, re.M)
        assert named[0] == f"core/core.{kind}"
        assert sorted(named[1:]) == sorted(f"component/{c}/{c}.{kind}" for c in with_script)
        whole = (static / f"dsfr.{kind}.min.js").stat().st_size
        assert len(text.encode()) < whole * 0.8, kind


def test_every_icon_a_template_names_is_in_the_subset():
    css = SUBSET.read_text()
    icons = {
        (name, str(path.relative_to(BASE)))
        for path, text in _sources()
        for name in re.findall(r"\bfr-(?:icon|fi)-[a-z0-9][a-z0-9-]*[a-z0-9]\b", text)
    }
    assert icons, "no icon found: the search is broken"
    missing = sorted(
        (name, where) for name, where in icons if not re.search(re.escape("." + name) + r":before\b", css)
    )
    assert not missing, f"icons without their rule (run scripts/dsfr_subset.py): {missing}"


def test_the_icon_search_finds_a_new_icon(tmp_path, monkeypatch):
    # The script finds an icon wherever a template names it, and refuses one the DSFR does not have.
    module = _subset_module()
    page = tmp_path / "app" / "templates" / "page.html"
    page.parent.mkdir(parents=True)
    page.write_text('<a class="fr-link fr-icon-calendar-line fr-link--icon-left" href="/">Agenda</a>')
    monkeypatch.setattr(module, "BASE", tmp_path)
    assert module.icons_used() == ["fr-icon-calendar-line"]
    assert ".fr-icon-calendar-line:before" in module.icon_rules(
        module.dsfr_static(), ["fr-icon-calendar-line"]
    )
    with pytest.raises(SystemExit, match="fr-icon-no-such-thing"):
        module.icon_rules(module.dsfr_static(), ["fr-icon-no-such-thing"])


def test_every_dsfr_class_a_template_names_has_a_rule():
    # A component missing from COMPONENTS would leave its markup unstyled: every class that django-dsfr's whole
    # sheets style must be styled by the subset too (or by our own sheet).
    whole = _selectors(
        "".join(
            Path(finders.find(name)).read_text()
            for name in ("dsfr/dist/dsfr/dsfr.min.css", "dsfr/dist/utility/utility.min.css")
        )
    )
    styled = _selectors(SUBSET.read_text()) | _selectors(SITE_CSS.read_text())
    named = _classes_named()
    assert len(set(named) & whole) > 50, "too few classes: the search is broken"
    missing = sorted((name, where) for name, where in named.items() if name in whole and name not in styled)
    assert not missing, (
        f"DSFR classes without a rule (add their component to scripts/dsfr_subset.py): {missing}"
    )


def test_pages_load_the_subset_not_the_whole_dsfr(client, db):
    html = client.get("/").content.decode()
    sheets = re.findall(r'<link rel="stylesheet"[^>]*href="([^"]+)"', html)
    assert sheets == ["/static/css/dsfr.css", "/static/css/site.css"]
    assert "utility.min" not in html and "dsfr.min.css" not in html
    # The subset is a small part of what django-dsfr's two sheets weighed.
    whole = sum(
        Path(finders.find(name)).stat().st_size
        for name in ("dsfr/dist/dsfr/dsfr.min.css", "dsfr/dist/utility/utility.min.css")
    )
    assert SUBSET.stat().st_size < whole / 2


def test_the_fonts_preloaded_are_the_ones_the_subset_declares(client, db):
    html = client.get("/").content.decode()
    preloads = re.findall(
        r'<link rel="preload" href="([^"]+)" as="font" type="font/woff2" crossorigin>', html
    )
    assert [Path(url).name for url in preloads] == [
        "Marianne-Regular.woff2",
        "Marianne-Medium.woff2",
        "Marianne-Bold.woff2",
    ]
    css = SUBSET.read_text()
    for url in preloads:
        name = Path(url).name
        assert f"url(../dsfr/dist/fonts/{name})" in css
        assert finders.find(url.removeprefix("/static/"))
    # The DSFR's @font-face swap: text shows at once in a fallback font.
    faces = re.findall(r"@font-face\{[^}]*\}", css)
    assert faces and all("font-display:swap" in face for face in faces)


def test_the_early_script_comes_before_the_stylesheets_and_others_are_deferred(client, db):
    html = client.get("/").content.decode()
    head = html.split("</head>")[0]
    assert head.index('src="/static/js/early.js"') < head.index('rel="stylesheet"')
    assert Path(finders.find("js/early.js")).stat().st_size < 1024  # it blocks the first paint: keep it tiny
    body = html.split("<body>")[1]
    for tag in re.findall(r"<script\b[^>]*>", body, re.S):
        assert "defer" in tag or 'type="module"' in tag or "nomodule" in tag, tag


def _collect(tmp_path, names: list[str]) -> ManifestStaticFilesStorage:
    """What collectstatic does for production (fingerprinted names, url() rewritten), for a few files."""
    source = {
        name: (FileSystemStorage(location=Path(finders.find(name)).parent), Path(name).name) for name in names
    }
    storage = ManifestStaticFilesStorage(location=tmp_path)
    for name, (origin, file_name) in source.items():
        with origin.open(file_name) as handle:
            storage.save(name, handle)
    paths = {name: (storage, name) for name in names}
    for _, _, processed in storage.post_process(paths):
        if isinstance(processed, Exception):
            raise processed
    return storage


def test_the_subset_survives_collectstatic(tmp_path):
    # Every url() of the subset names a file collectstatic finds (a wrong path is an error there), and the copy
    # served in production points at fingerprinted fonts and icons.
    css = SUBSET.read_text()
    targets = sorted(
        {
            "dsfr/dist/" + url.split("../dsfr/dist/", 1)[1]
            for url in re.findall(r"url\(([^)\"']+)\)", css)
            if url.startswith("../")
        }
    )
    assert targets and all(finders.find(target) for target in targets), targets
    storage = _collect(tmp_path, [*targets, "css/dsfr.css"])
    served = Path(storage.path(storage.stored_name("css/dsfr.css"))).read_text()
    assert re.search(r"url\(\"?\.\./dsfr/dist/fonts/Marianne-Regular\.[0-9a-f]{12}\.woff2\"?\)", served)
    assert re.search(r"url\(\"?\.\./dsfr/dist/icons/design/edit-line\.[0-9a-f]{12}\.svg\"?\)", served)


def test_pages_load_the_generated_scripts_not_the_whole_bundle(client, db):
    # The DSFR's scripts of the parts the pages use, the one for modules and the one for the others; no
    # integrity checksum: a same-origin checksum guards nothing the page that names it does not.
    html = client.get("/").content.decode()
    scripts = re.findall(r"<script\b([^>]*)></script>", html.split("<body>")[1])
    dsfr = [tag for tag in scripts if "/dsfr" in tag]
    assert dsfr == [
        ' type="module" src="/static/js/dsfr.module.js"',
        ' nomodule src="/static/js/dsfr.nomodule.js"',
    ]
    assert "dsfr.module.min.js" not in html and "integrity=" not in html


def test_every_dsfr_class_a_template_names_exists():
    # A class the DSFR does not have styles nothing: « fr-badge--blue-france » left a profile's badge grey.
    whole = _selectors(
        "".join(
            Path(finders.find(name)).read_text()
            for name in ("dsfr/dist/dsfr/dsfr.min.css", "dsfr/dist/utility/utility.min.css")
        )
    )
    ours = _selectors(SITE_CSS.read_text())
    # The DSFR's markup also names a few classes that no rule styles (« fr-header__body »): those of django-dsfr's
    # own templates, the DSFR's examples.
    import dsfr

    markup = set()
    for path in (Path(dsfr.__file__).parent / "templates").rglob("*.html"):
        markup.update(re.findall(r"\bfr-[a-z0-9_-]*[a-z0-9]", path.read_text()))
    unknown = sorted(
        (name, where)
        for name, where in _classes_named().items()
        if name.startswith("fr-") and name not in whole | ours | markup
    )
    assert not unknown, f"classes the DSFR does not have (a typo?): {unknown}"
