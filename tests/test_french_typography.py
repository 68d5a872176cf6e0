"""French typography in the catalogs: a no-break space (U+00A0) before ":" and "%" and inside
« », a narrow no-break space (U+202F) before ";", "?" and "!" (bin/french-typography)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from importlib.machinery import SourceFileLoader
from importlib.util import module_from_spec, spec_from_loader
from pathlib import Path
from types import ModuleType

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bin" / "french-typography"
FRENCH = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
NBSP, NNBSP = "\u00a0", "\u202f"
SLOT = "\ue000"  # stands for a placeholder, a URL or template syntax: a word to the checks


def load_script() -> ModuleType:
    loader = SourceFileLoader("french_typography", str(SCRIPT))
    spec = spec_from_loader("french_typography", loader)
    assert spec is not None
    module = module_from_spec(spec)
    loader.exec_module(module)
    return module


typography = load_script()


def visible_text(msgstr: str, python_format: bool) -> str:
    """The msgstr as a reader sees its punctuation: placeholders, URLs and template syntax
    become one slot, tags go, "&nbsp;" is the no-break space it shows, "%%" the "%"."""
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|[a-z]+://\S+|mailto:[^\"\s]+", SLOT, msgstr)
    text = re.sub(r"<[^>]*>", "", text).replace("&nbsp;", NBSP)
    text = re.sub(r"&#?\w+;", SLOT, text)
    text = re.sub(r"%\([^)]*\)[a-z]|\{[^{}\s]*\}", SLOT, text)
    if python_format:
        text = re.sub(r"%[sd]", SLOT, text).replace("%%", "%")
    return text


MISTAKES = {
    "plain or no space before ':'": re.compile(rf"[^{NBSP}\n:]:(?!:)"),
    "plain or no space before ';', '?' or '!'": re.compile(rf"[^{NNBSP}\n;?!][;?!]"),
    "plain or no space before a '%' after a number": re.compile(rf"[\d{SLOT}] ?%"),
    "plain or no space inside « »": re.compile(rf"«[^{NBSP}]|[^{NBSP}\n]»"),
}


def typography_mistakes(catalog: polib.POFile) -> list[str]:
    found = []
    for entry in catalog:
        python_format = "python-format" in entry.flags
        for msgstr in [entry.msgstr, *entry.msgstr_plural.values()]:
            text = re.sub(r"(?<=\d)[:;](?=\d)", "", visible_text(msgstr, python_format))
            found += [
                f"line {entry.linenum}, {name}: {msgstr!r}"
                for name, pattern in MISTAKES.items()
                if pattern.search(text)
            ]
    return found


def test_french_catalog_has_no_break_spaces_before_high_punctuation() -> None:
    mistakes = typography_mistakes(polib.pofile(str(FRENCH)))
    assert not mistakes, "\n".join(mistakes[:20]) + f"\n({len(mistakes)} in all)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Titulaire : %(name)s", f"Titulaire{NBSP}: %(name)s"),
        ("Titulaire: %(name)s", f"Titulaire{NBSP}: %(name)s"),
        ("Vide ; aucun !", f"Vide{NNBSP}; aucun{NNBSP}!"),
        ("Mot de passe oublié?", f"Mot de passe oublié{NNBSP}?"),
        ("statut « reçue »", f"statut «{NBSP}reçue{NBSP}»"),
        ("«%(title)s»", f"«{NBSP}%(title)s{NBSP}»"),
        ("%(a)s : %(old)s %% → %(new)s%%", f"%(a)s{NBSP}: %(old)s{NBSP}%% → %(new)s{NBSP}%%"),
        ("%(a)s%%", f"%(a)s{NBSP}%%"),
        ("Taux de réalisation (%)", "Taux de réalisation (%)"),
        ("à 100 %.", f"à 100{NBSP}%."),
        ("%(progress)s&nbsp;%%", "%(progress)s&nbsp;%%"),
        ("à 13:00, de 9:30", "à 13:00, de 9:30"),
        ("voir https://example.org/a?b=1", "voir https://example.org/a?b=1"),
        (
            '<a href="mailto:%(c)s" title="a:b">x</a> : page',
            '<a href="mailto:%(c)s" title="a:b">x</a>\u00a0: page',
        ),
        (
            "{% if a %}oui{% endif %} : {{ b|date:'j' }}",
            "{% if a %}oui{% endif %}\u00a0: {{ b|date:'j' }}",
        ),
        ("Réunion tenue : {}", f"Réunion tenue{NBSP}: {{}}"),
        ("Classe::méthode", "Classe::méthode"),
        (":début\n: ligne", ":début\n: ligne"),
        ("Quoi ?!", f"Quoi{NNBSP}?!"),
    ],
)  # fmt: skip
def test_script_respaces_the_signs_and_leaves_syntax_alone(text: str, expected: str) -> None:
    assert typography.french_spacing(text, python_format=True) == expected
    assert typography.french_spacing(expected, python_format=True) == expected


def test_a_percent_outside_python_format_is_the_sign_itself() -> None:
    assert typography.french_spacing("84 % et 84 %%") == f"84{NBSP}% et 84{NBSP}%%"


def test_script_rewrites_a_catalog_once(tmp_path: Path) -> None:
    catalog = tmp_path / "django.po"
    shutil.copy(FRENCH, catalog)
    with catalog.open("a") as file:
        file.write('\nmsgid "Owner:"\nmsgstr "Titulaire :"\n')

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, str(SCRIPT), *args, str(catalog)]
        return subprocess.run(command, capture_output=True, text=True, check=False)

    assert run("--check").returncode == 1
    assert run().returncode == 0
    assert polib.pofile(str(catalog)).find("Owner:").msgstr == f"Titulaire{NBSP}:"
    written = catalog.read_text()
    assert run().returncode == 0 and catalog.read_text() == written
    assert run("--check").returncode == 0
