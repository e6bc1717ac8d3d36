#!/usr/bin/env python3
"""The Korean edition's catalogs: the English notebooks are the source, the Korean text lives in gettext files.

    python -m scripts.translations update [NN ...]    # translations/ko/NN_name.po follow the English text
    python -m scripts.translations status [NN ...]    # the translated share of each catalog

One catalog per notebook, ``translations/ko/NN_name.po``, edited with any PO tool and read and written with Babel.
Each entry is one paragraph of a markdown cell: ``msgctxt`` is the cell's id, ``msgid`` the English paragraph.
``update`` merges the catalog with the English notebook as it is now (Babel's ``Catalog.update``): a changed
paragraph keeps its old translation, marked fuzzy, a new one comes in untranslated, and a removed one goes.
A paragraph of "⏱" lines is not in the catalog: those lines are written from the recorded timings.
For the tests, ``problems`` lists what keeps a catalog from being complete, and ``term_problems`` each paragraph
whose Korean lacks the glossary's name for a term its English uses.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

import nbformat
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
CATALOGS = ROOT / "translations" / "ko"
LANGUAGE = "ko"
TIME_MARK = "⏱"


def paragraphs(text: str) -> list[str]:
    """A markdown cell's paragraphs: blocks separated by blank lines, except inside a fenced code block, which stays
    whole; paragraphs of "⏱" lines are left out (they are generated)."""
    blocks, current, fenced = [], [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if not line.strip() and not fenced:
            if current:
                blocks.append("\n".join(current))
            current = []
        else:
            current.append(line)
    if current:
        blocks.append("\n".join(current))
    return [block for block in blocks if not block.startswith(TIME_MARK)]


def units(notebook) -> list[tuple[str, str]]:
    """(cell id, paragraph) for every paragraph to translate, in reading order."""
    return [(cell.id, paragraph) for cell in notebook.cells if cell.cell_type == "markdown"
            for paragraph in paragraphs(cell.source)]


HEADER = """\
# The Korean text of notebooks/{name}.ipynb, one entry per paragraph of its markdown (msgctxt: the cell's id).
# Edit it with any PO editor; `python -m scripts.translations update` merges it with the English text again."""


def template(notebook, name: str) -> Catalog:
    catalog = Catalog(locale=LANGUAGE, project=f"Deep Learning, Hands-On: {name}", version="main", fuzzy=False,
                      header_comment=HEADER.format(name=name), copyright_holder="the course's authors",
                      msgid_bugs_address="the course's issue tracker", last_translator="the course's authors",
                      language_team="Korean (ko)", revision_date=datetime.now(UTC))
    for cell_id, paragraph in units(notebook):
        catalog.add(paragraph, context=cell_id)
    return catalog


def catalog_path(notebook_path: Path) -> Path:
    return CATALOGS / f"{notebook_path.stem}.po"


def read_catalog(path: Path) -> Catalog:
    with open(path, "rb") as handle:
        return read_po(handle, locale=LANGUAGE)


def write_catalog(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    for message in catalog:  # prose, not format strings: Babel guesses "python-format" from a "10% of"
        message.flags.discard("python-format")
    with open(path, "wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False, ignore_obsolete=True, include_previous=True)


def update(notebook, name: str, existing: Catalog | None) -> Catalog:
    """The catalog merged with the English text as it is now (a new one when there is none)."""
    fresh = template(notebook, name)
    if existing is None:
        return fresh
    created = existing.creation_date  # kept, so that an update with nothing new leaves the file as it was
    existing.update(fresh, no_fuzzy_matching=False, update_header_comment=False)
    existing.creation_date = created
    return existing


def problems(notebook, catalog: Catalog) -> list[str]:
    """One sentence per paragraph that is untranslated, fuzzy (its English changed) or missing from the catalog."""
    found = []
    for cell_id, paragraph in units(notebook):
        message = catalog.get(paragraph, context=cell_id)
        first = paragraph.splitlines()[0][:60]
        if message is None:
            found.append(f"cell {cell_id}: '{first}' is not in the catalog (run the update command)")
        elif message.fuzzy:
            found.append(f"cell {cell_id}: '{first}' changed in English; its translation is marked fuzzy")
        elif not message.string:
            found.append(f"cell {cell_id}: '{first}' is not translated yet")
    return found


def glossary() -> dict[str, list[str]]:
    """English term -> its Korean names, from the glossary's table (notebooks/glossary.md)."""
    rows = re.findall(r"^\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*[^|]+?\s*\|$",
                      (NOTEBOOKS / "glossary.md").read_text(encoding="utf-8"), re.M)[2:]  # after the header rows
    return {english.lower(): [name.strip() for name in korean.split(",")] for english, korean in rows}


def term_problems(catalog: Catalog) -> list[str]:
    """One sentence per translated paragraph whose English uses a glossary term (or its plural) and whose Korean
    uses none of the glossary's Korean names for it. Where the English word is not the term (a "wide margin"), a
    translator's comment on the entry says so: ``# not the term: margin``."""
    found = []
    terms = glossary()
    for message in catalog:
        if not message.id or not message.string:
            continue
        waived = {comment.removeprefix("not the term:").strip().lower() for comment in message.user_comments
                  if comment.startswith("not the term:")}
        for english, names in terms.items():
            used = re.search(rf"\b{re.escape(english)}(?:s|es)?\b", message.id, re.I)
            if used and english not in waived and not any(name in message.string for name in names):
                found.append(f"cell {message.context}: '{english}' is in the English but none of "
                             f"{', '.join(names)} is in the Korean")
    return found


def share(notebook, catalog: Catalog) -> float:
    total = len(units(notebook))
    return 1.0 if total == 0 else 1 - len(problems(notebook, catalog)) / total


def chosen(numbers: list[str]) -> list[Path]:
    from scripts import notebooks_by_number

    return notebooks_by_number(numbers, "translations")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("update", "status"))
    parser.add_argument("numbers", nargs="*", help="two-digit notebook numbers (default: all)")
    args = parser.parse_args(argv)
    for path in chosen(args.numbers):
        notebook = nbformat.read(path, as_version=4)
        target = catalog_path(path)
        existing = read_catalog(target) if target.is_file() else None
        if args.command == "update":
            write_catalog(update(notebook, path.stem, existing), target)
            existing = read_catalog(target)
        translated = 0.0 if existing is None else share(notebook, existing)
        print(f"{path.stem}: {translated:.0%} of {len(units(notebook))} paragraphs translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
