#!/usr/bin/env python3
"""Writes core/static/css/dsfr.css: the part of the DSFR our pages use, in one stylesheet; and
core/static/js/dsfr.module.js and dsfr.nomodule.js: the DSFR's scripts of the same parts, in one file each.

The full DSFR sheets django-dsfr links (``{% dsfr_css %}``) weigh 1.1 MB: dsfr.min.css (711 KB, every component
plus the Internet Explorer 11 « legacy » rules) and utility.min.css (459 KB, 1,600 icon classes, colour and
pictogram classes), of which the pages use a few components and ten icons. The DSFR ships each part apart
(django-dsfr's static folder, dsfr/dist/): this script concatenates, in the DSFR's own order,

* ``core/core.main.min.css``: fonts (@font-face with font-display: swap), reset, typography, grid, spacing,
  colours of the light theme, display and accessibility helpers;
* ``scheme/scheme.min.css``: the dark theme (``data-fr-scheme="system"`` follows the visitor's system);
* the ``main`` sheet of each component in ``COMPONENTS`` (their icons are built into them);
* the rules of ``utility/icons/icons.main.min.css`` for the icon classes (``fr-icon-…``, ``fr-fi-…``) found in the
  project's templates, Python and JavaScript, plus ``EXTRA_ICONS``.

The scripts are the DSFR's ``core`` script and those of the components in ``COMPONENTS`` that have one, in the
order of the DSFR's own bundle, each in a block of its own (every file declares its names at its top level), in
place of django-dsfr's whole bundle (``{% dsfr_js %}``: 111 KB for the browsers that read modules, 274 KB for the
others), whose twenty components each watch the whole page.

The ``url()`` inside are rewritten relative to the new file, so they still point at django-dsfr's fonts and icons
(collectstatic fingerprints them). Run it again after adding an icon or a component, or upgrading django-dsfr:
tests/test_static_assets.py fails until the committed file is what this script writes.

    .venv/bin/python scripts/dsfr_subset.py           write the file
    .venv/bin/python scripts/dsfr_subset.py --check   exit 1 when the committed file is out of date
"""

import argparse
import os
import posixpath
import re
import sys
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
OUTPUT = BASE / "core" / "static" / "css" / "dsfr.css"
# Where OUTPUT lives among the static files (its url() are written relative to it).
OUTPUT_STATIC = "css/dsfr.css"
SCRIPTS = {kind: BASE / "core" / "static" / "js" / f"dsfr.{kind}.js" for kind in ("module", "nomodule")}
# The folders searched for class names: every app's templates, Python and JavaScript (not the tests).
SOURCE_SUFFIXES = {".html", ".py", ".js", ".txt"}
SKIPPED_DIRS = {".venv", "node_modules", "var", "tests", "scripts", ".git"}

# The DSFR components the pages use, with the ones their CSS builds on (each README's « Dépendances »). The header
# also lists search and translate, whose markup we do not have. tests/test_static_assets.py checks that every
# DSFR class a template names has a rule in the result.
COMPONENTS = [
    "accordion",
    "alert",
    "badge",
    "breadcrumb",
    "button",
    "callout",
    "card",
    "checkbox",
    "connect",  # « S’identifier avec ProConnect » (accounts/templates/accounts/login.html)
    "footer",
    "form",
    "header",
    "highlight",
    "input",
    "link",
    "logo",
    "modal",
    "navigation",
    "notice",
    "pagination",
    "radio",
    "select",
    "skiplink",
    "stepper",
    "summary",
    "table",
    "tag",
    "tile",
]
# Icon classes no source names literally (none today: a class built from a variable would go here).
EXTRA_ICONS: list[str] = []

ICON_CLASS = re.compile(r"\bfr-(?:icon|fi)-[a-z0-9][a-z0-9-]*[a-z0-9]\b")
BANNER = re.compile(r"/\*!.*?\*/\s*", re.S)
URL = re.compile(r"url\((['\"]?)([^)'\"]+)\1\)")


def dsfr_static() -> Path:
    import dsfr

    return Path(dsfr.__file__).resolve().parent / "static"


def dsfr_version(static: Path) -> str:
    return (static / "dsfr" / "dsfr_version").read_text().strip()


def source_files() -> list[Path]:
    """The project's templates, Python and JavaScript, in a stable order (the skipped folders never walked)."""
    found = []
    for folder, subfolders, files in os.walk(BASE):
        subfolders[:] = sorted(name for name in subfolders if name not in SKIPPED_DIRS)
        found.extend(Path(folder) / name for name in files if Path(name).suffix in SOURCE_SUFFIXES)
    return sorted(found)


def icons_used() -> list[str]:
    found = set(EXTRA_ICONS)
    for path in source_files():
        found.update(ICON_CLASS.findall(path.read_text(errors="replace")))
    return sorted(found)


def rebase_urls(css: str, source: str) -> str:
    """The url() of ``source`` (a path among the static files) written relative to OUTPUT_STATIC."""

    def rebase(match: re.Match) -> str:
        target = match.group(2)
        if target.startswith(("data:", "/", "#", "http:", "https:")):
            return match.group(0)
        absolute = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
        return f"url({posixpath.relpath(absolute, posixpath.dirname(OUTPUT_STATIC))})"

    return URL.sub(rebase, css)


def sheet(static: Path, name: str) -> str:
    css = BANNER.sub("", (static / name).read_text())
    return f"/* {name} */\n" + rebase_urls(css.strip(), name) + "\n"


def top_level_rules(css: str) -> list[str]:
    """The rules of a sheet without nesting (selector{declarations}), each as written."""
    return re.findall(r"[^{}]+\{[^{}]*\}", css)


def icon_rules(static: Path, icons: list[str]) -> str:
    name = "dsfr/dist/utility/icons/icons.main.min.css"
    css = BANNER.sub("", (static / name).read_text())
    # Only the plain rules (the sheet's @media blocks are empty).
    css = re.sub(r"@media[^{]*\{(\s*/\*[^*]*\*/)*\s*\}", "", css)
    kept, missing = [], []
    for icon in icons:
        pattern = re.compile(re.escape("." + icon) + r"(?=[:,{\s]|$)")
        rules = [rule for rule in top_level_rules(css) if pattern.search(rule.split("{", 1)[0])]
        if not rules:
            missing.append(icon)
        kept.extend(rules)
    if missing:
        raise SystemExit("Icônes inconnues du DSFR : " + ", ".join(missing))
    return f"/* {name}: {', '.join(icons)} */\n" + rebase_urls("".join(kept), name) + "\n"


def component_order(static: Path) -> list[str]:
    """COMPONENTS in the order the DSFR's full bundle sets them (a later component may refine an earlier one)."""
    bundle = (static / "dsfr/dist/dsfr/dsfr.main.min.css").read_text()

    def position(component: str) -> int:
        css = BANNER.sub(
            "", (static / f"dsfr/dist/component/{component}/{component}.main.min.css").read_text()
        )
        found = bundle.find(css.strip()[:300])
        if found < 0:
            raise SystemExit(f"Composant {component} introuvable dans dsfr.main.min.css : ordre inconnu")
        return found

    return sorted(COMPONENTS, key=position)


def build() -> str:
    static = dsfr_static()
    icons = icons_used()
    parts = [
        "/*!\n"
        f" * DSFR {dsfr_version(static)} | SPDX-License-Identifier: MIT | License-Filename: LICENSE.md | "
        "restricted use (see terms and conditions)\n"
        " */\n"
        "/* Generated by scripts/dsfr_subset.py from django-dsfr's static files: do not edit, run it again. */\n",
        sheet(static, "dsfr/dist/core/core.main.min.css"),
        sheet(static, "dsfr/dist/scheme/scheme.min.css"),
    ]
    for component in component_order(static):
        parts.append(sheet(static, f"dsfr/dist/component/{component}/{component}.main.min.css"))
    parts.append(icon_rules(static, icons))
    return "".join(parts)


def script_order(static: Path) -> list[str]:
    """The components of COMPONENTS that have a script, in the order of the DSFR's bundle: by the first class each
    script declares (``instanceClassName``), a script that declares none (button's) right after the core."""
    bundle = (static / "dsfr/dist/dsfr.module.min.js").read_text()
    declared = re.compile(r'instanceClassName\(\)\{return"(\w+)"')

    def position(component: str) -> int:
        script = (static / f"dsfr/dist/component/{component}/{component}.module.min.js").read_text()
        names = declared.findall(script)
        if not names:
            return -1
        found = bundle.find(f'instanceClassName(){{return"{names[0]}"')
        if found < 0:
            raise SystemExit(
                f"Script du composant {component} introuvable dans dsfr.module.min.js : ordre inconnu"
            )
        return found

    with_script = [c for c in COMPONENTS if (static / f"dsfr/dist/component/{c}/{c}.module.min.js").exists()]
    return sorted(with_script, key=position)


def build_script(kind: str) -> str:
    """The core's script and the components' (``kind``: « module » or « nomodule »), each in its own block."""
    static = dsfr_static()
    names = ["core/core", *(f"component/{c}/{c}" for c in script_order(static))]
    parts = [
        "/*! DSFR "
        f"{dsfr_version(static)} | SPDX-License-Identifier: MIT | License-Filename: LICENSE.md | "
        "restricted use (see terms and conditions) */\n"
        "/* Generated by scripts/dsfr_subset.py from django-dsfr's static files: do not edit, run it again. */\n"
    ]
    for name in names:
        script = BANNER.sub("", (static / f"dsfr/dist/{name}.{kind}.min.js").read_text()).strip()
        parts.append(f"/* {name}.{kind}.min.js */\n{{\n{script}\n}}\n")
    return "".join(parts)


def outputs() -> dict[Path, str]:
    return {OUTPUT: build(), **{path: build_script(kind) for kind, path in SCRIPTS.items()}}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="vérifie seulement que le fichier est à jour")
    args = parser.parse_args()
    stale = 0
    for path, text in outputs().items():
        current = path.read_text() if path.exists() else ""
        if args.check:
            if current != text:
                print(f"{path.relative_to(BASE)} n’est pas à jour : .venv/bin/python scripts/dsfr_subset.py")
                stale += 1
            continue
        path.write_text(text)
        print(f"{path.relative_to(BASE)} : {len(text.encode()) // 1024} Kio")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
