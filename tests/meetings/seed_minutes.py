"""The two seed minutes (``../shared/seeds/``) read line by line as facts, and the check that
generated minutes hold every fact and say nothing the seed lacks (docs/demo-data.md, "What the
generated minutes say").

A fact is a line of the seed: a participant, an absentee, an agenda item, a paragraph, a bullet
point, a row of a table (its cells in order: number, title, rate, unfinished activities with
their percentage, remarks), a row of a calendar, a decision. Headings and labels ("Lieu :",
"Ordre du jour :"...) are layout. Text is compared after ``normalise``: markup, bullets and
spacing do not count, "80%" and "80 %" are the same.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
# A copy of ../shared/seeds kept with the tests, so that a clone anywhere runs them (a test
# checks that the copy still equals the shared seeds where they are present).
SHARED_SEEDS_DIR = BASE_DIR.parent / "shared" / "seeds"
SEEDS_DIR = Path(os.environ.get("OGP_SEEDS_DIR", Path(__file__).resolve().parent / "seeds"))
SEED_FILES = {
    "steering": "000_be1cb82e3ff2e36f.txt",  # steering committee, 28 March 2023
    "implementation": "004_014bc4df1ba3e2bc.txt",  # implementation committee, 21 December 2020
}

# Labels and headings of the seeds: layout, not facts.
SEED_LABELS = {
    "Relevé des conclusions",
    "RÉUNION DU COMITÉ D'IMPLÉMENTATION",
    "Date de la réunion",
    "Lieu",
    "Participant(e)s",
    "Participants",
    "Absent(e)s",
    "Ordre du jour",
    "Points discutés",
    "Points retenus",
    "Mot d'ouverture",
    "Points arrêtés",
}
TABLE_HEADERS = {
    "Engagements",
    "Engagement",
    "Taux de réalisation",
    "Etat d'avancement",
    "Activités non-réalisées",
    "Remarques",
    "Détails fournis par le point focal",
    "Calendrier",
    "Étapes",
}

# What the portal writes instead of a seed's line, and why (docs/demo-data.md).
DIFFERENCES = {
    # 28 March 2023 was a Tuesday: the portal writes the weekday from the date.
    "Vendredi 28 Mars 2023 à 13h.": "Mardi 28 mars 2023 à 13h00",
    # The time as the portal writes every meeting's.
    "Lundi 21 décembre 2020 (à 14h30)": "Lundi 21 décembre 2020 à 14h30",
    # A point discussed is headed by its agenda item's title ("co-création" on the agenda).
    "Méthodologie de co-crédation du troisième plan d'action national": (
        "Méthodologie de co-création du troisième plan d'action national"
    ),
}

ARTEFACT = re.compile(r"^(\d+ / \d+|\d+\.|)$")  # page numbers, list numbers, bullets


def normalise(text: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = re.sub(r"\s*\^\{(\w+)\}", r"\1", text)  # "1 ^{er}" is "1er"
    text = text.replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ")
    text = re.sub(r"[•*#]", " ", text)
    text = re.sub(r"(\d)\s*%", r"\1 %", text)
    text = re.sub(r"\s+([.,])", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def seed_text(kind: str) -> str:
    return (SEEDS_DIR / SEED_FILES[kind]).read_text(encoding="utf-8")


def _fact(line: str) -> str:
    line = re.sub(r"^\s*#+\s*", "", line)
    line = re.sub(r"^\s*[-•]\s+", "", line)
    line = normalise(line)
    return re.sub(r"\s*[,:]$", "", line).strip()


def _cell_text(cell: str) -> str:
    items = re.findall(r"<li>(.*?)</li>", cell)
    return " ".join(normalise(item) for item in items) if items else normalise(cell)


def _table_facts(lines: list[str]) -> list[str]:
    """One fact per row, its cells in order; a line whose first cell is empty continues the
    row above (the seeds' tables break across pages)."""
    rows: list[list[str]] = []
    for line in lines:
        cells = [_cell_text(cell) for cell in line.split("\t")]
        if all(cell in TABLE_HEADERS or not cell for cell in cells):
            continue
        if cells[0] or not rows:
            rows.append(cells)
            continue
        row = rows[-1]
        row.extend([""] * (len(cells) - len(row)))
        for index, cell in enumerate(cells):
            row[index] = f"{row[index]} {cell}".strip()
    return [" ".join(cell for cell in row if cell) for row in rows]


def seed_facts(kind: str) -> list[str]:
    """Every fact of the seed, in its order."""
    facts: list[str] = []
    table: list[str] = []
    for line in seed_text(kind).splitlines():
        if "\t" in line:
            table.append(line)
            continue
        if not line.strip():
            continue
        if table:
            facts += _table_facts(table)
            table = []
        fact = _fact(line)
        if fact and fact not in SEED_LABELS:
            facts.append(fact)
    facts += _table_facts(table)
    return [DIFFERENCES.get(fact, fact) for fact in facts]


@dataclass(frozen=True)
class Comparison:
    missing: list[str]
    added: list[str]


def joined(lines: list[str]) -> str:
    """The lines of a text as one, a word cut at a hyphen joined again."""
    text = ""
    for line in lines:
        line = line.strip()
        text += line if text.endswith("-") else f" {line}"
    return normalise(text)


@dataclass(frozen=True)
class Corpus:
    """What may explain a line of generated minutes: the seed's text and facts, the labels."""

    texts: list[str]
    labels: set[str]

    def knows(self, piece: str, whole_line: bool = False) -> bool:
        """In the seed or a label, and more than a word that could be found anywhere: a whole
        line, several words, a number, a label."""
        if piece in self.labels:
            return True
        if not any(piece in text for text in self.texts):
            return False
        return whole_line or " " in piece or bool(re.fullmatch(r"\d+( %)?", piece))

    def explains(self, line: str) -> bool:
        """The line is the seed's text (or a label), or up to three pieces of it side by side:
        the cells of a table row share a line of the PDF."""
        if self.knows(line, whole_line=True):
            return True
        words = line.split(" ")
        for i in range(1, len(words)):
            if not self.knows(" ".join(words[:i])):
                continue
            for j in range(i + 1, len(words) + 1):
                second, third = " ".join(words[i:j]), " ".join(words[j:])
                if self.knows(second) and (not third or self.knows(third)):
                    return True
        return False


def compare(kind: str, lines: list[str], labels: list[str]) -> Comparison:
    """The seed's facts missing from ``lines`` (the text of generated minutes), and the lines
    of ``lines`` that neither the seed nor the minutes' labels explain."""
    text = joined(lines)
    facts = seed_facts(kind)
    # A list's last item ends with a full stop in the seeds ("…et le Tourisme.").
    missing = [fact for fact in facts if fact not in text and fact.rstrip(".") not in text]
    # The seed's text, and its facts (a table row cut by a page break joined again).
    labels_seen = {normalise(label) for label in labels}
    corpus = Corpus(texts=[normalise(seed_text(kind)), *facts, *labels_seen], labels=labels_seen)
    added = []
    for line in lines:
        line = normalise(line)
        if not ARTEFACT.match(line) and not corpus.explains(line):
            added.append(line)
    return Comparison(missing=missing, added=added)


class _Blocks(HTMLParser):
    """The text of an HTML fragment, one line per block (paragraph, item, cell, heading)."""

    BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "tr", "ul", "ol", "div", "br"}

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = [""]

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.BLOCKS:
            self.lines.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.lines.append("")

    def handle_data(self, data: str) -> None:
        self.lines[-1] += data


def html_lines(fragment: str) -> list[str]:
    parser = _Blocks()
    parser.feed(fragment)
    return [" ".join(line.split()) for line in parser.lines if line.strip()]
