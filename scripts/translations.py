#!/usr/bin/env python3
"""The Korean edition's catalogs: the English notebooks are the source, the Korean text lives in gettext files.

    python -m scripts.translations update [NN ...]    # the catalogs follow the English text and the code
    python -m scripts.translations status [NN ...]    # the translated share of each catalog
    python -m scripts.translations build [NN ...]     # notebooks/ko/NN_name.ipynb from the catalogs

One catalog per notebook, ``translations/ko/NN_name.po``, edited with any PO tool and read and written with Babel.
Each entry is one paragraph of a markdown cell: ``msgctxt`` is the cell's id, ``msgid`` the English paragraph.
``update`` merges the catalog with the English notebook as it is now (Babel's ``Catalog.update``): a changed
paragraph keeps its old translation, marked fuzzy, a new one comes in untranslated, and a removed one goes.
A paragraph of "⏱" lines is not in the catalog: those lines are written from the recorded timings.
What course_utils says at run time has one more catalog, ``course_utils/locale/ko.po`` (its ``tr`` and ``N_``
sentences, found by Babel's extractor). ``build`` writes the Korean notebooks from the catalogs: markdown in Korean,
code as in English but for the setup cell's choice of language, and the outputs of the Korean notebook as stored
where its code did not change (``./course.sh run-notebooks --edition ko`` runs the rest).
For the tests, ``problems`` and ``runtime_problems`` list what keeps a catalog from being complete;
``term_problems``, ``introduction_problems`` and ``fidelity_problems`` what a translation must keep of its English.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

import nbformat
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, unescape, write_po

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
        catalog = read_po(handle, locale=LANGUAGE)
    for message in catalog:
        settle_previous(message)
    return catalog


def settle_previous(message) -> None:
    """A fuzzy entry's earlier English ("#| msgid ...", which shows a translator what changed) stays while the
    entry is fuzzy and goes once it is translated again, as with gettext's tools. Babel reads those lines as
    translator's comments ("| msgid ..."), which would be written back as such and kept for ever."""
    previous = [comment for comment in message.user_comments if comment.startswith("|")]
    if not previous:
        return
    message.user_comments = [comment for comment in message.user_comments if not comment.startswith("|")]
    if message.fuzzy and previous[0].startswith("| msgid "):
        quoted = [previous[0][len("| msgid "):]] + [comment[1:].strip() for comment in previous[1:]]
        message.previous_id = ["".join(unescape(part) for part in quoted)]


def write_catalog(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    for message in catalog:  # prose, not format strings: Babel guesses "python-format" from a "10% of"
        message.flags.discard("python-format")
        if not message.fuzzy:  # the earlier English is for the translator of a fuzzy entry only
            message.previous_id = []
    with open(path, "wb") as handle:  # no source locations: they would change with every edit of the code
        write_po(handle, catalog, width=0, omit_header=False, ignore_obsolete=True, include_previous=True,
                 no_location=True)


def update(notebook, name: str, existing: Catalog | None) -> Catalog:
    """The catalog merged with the English text as it is now (a new one when there is none)."""
    return merged(existing, template(notebook, name))


def merged(existing: Catalog | None, fresh: Catalog) -> Catalog:
    """``existing`` brought up to ``fresh`` (Babel's ``Catalog.update``: changed entries fuzzy, new ones empty)."""
    if existing is None:
        return fresh
    created = existing.creation_date  # kept, so that an update with nothing new leaves the file as it was
    # Babel keeps a still-fuzzy entry's flag but not its earlier English, which the translator needs
    earlier = {(message.id, message.context): message.previous_id for message in existing
               if message.fuzzy and message.previous_id}
    existing.update(fresh, no_fuzzy_matching=False, update_header_comment=False)
    existing.creation_date = created
    for message in existing:
        if message.fuzzy and not message.previous_id:
            message.previous_id = earlier.get((message.id, message.context), [])
    return existing


# The sentences course_utils shows a student: every ``tr("...")`` and ``N_("...")`` in the package (and the "⏱"
# lines of scripts/timings.py), found by Babel's extractor, in one catalog the package reads at run time
# (course_utils/language.py).
PACKAGE = ROOT / "course_utils"
RUNTIME_CATALOG = PACKAGE / "locale" / f"{LANGUAGE}.po"
RUNTIME_HEADER = """\
# The Korean text of every sentence course_utils shows a student (its tr("...") and N_("...") calls).
# Edit it with any PO editor; `python -m scripts.translations update` merges it with the code again.
# Keep each {field} of the English: the code fills them in."""


def runtime_template() -> Catalog:
    from babel.messages.extract import extract, extract_from_dir

    catalog = Catalog(locale=LANGUAGE, project="Deep Learning, Hands-On: course_utils", version="main",
                      fuzzy=False, header_comment=RUNTIME_HEADER, copyright_holder="the course's authors",
                      msgid_bugs_address="the course's issue tracker", last_translator="the course's authors",
                      language_team="Korean (ko)", revision_date=datetime.now(UTC))
    keywords = {"tr": None, "N_": None}
    found = [message for _file, _line, message, _comments, _context in extract_from_dir(
        PACKAGE, method_map=[("**.py", "python")], keywords=keywords, comment_tags=())]
    with open(ROOT / "scripts" / "timings.py", "rb") as handle:  # the "⏱" lines of the Korean notebooks
        found += [message for _line, message, _comments, _context in extract("python", handle, keywords=keywords,
                                                                              comment_tags=())]
    for message in found:
        catalog.add(message)
    return catalog


def update_runtime(existing: Catalog | None) -> Catalog:
    return merged(existing, runtime_template())


def fields(text: str) -> list[str]:
    """The ``{name:spec}`` fields of a template, sorted (what ``str.format`` fills in)."""
    from string import Formatter

    return sorted(f"{name}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}"
                  for _, name, spec, conversion in Formatter().parse(text) if name is not None)


def runtime_problems(catalog: Catalog) -> list[str]:
    """One sentence per sentence of the package that is missing from the catalog, untranslated or fuzzy, or whose
    translation lost or changed one of its ``{fields}`` or HTML tags."""
    found = []
    for message in runtime_template():
        if not message.id:
            continue  # the header
        entry = catalog.get(message.id)
        first = message.id.splitlines()[0][:60] if message.id.strip() else repr(message.id)
        if entry_problem(entry):
            found.append(f"'{first}' {entry_problem(entry)}")
        elif fields(entry.id) != fields(entry.string):
            found.append(f"'{first}': the translation's fields {fields(entry.string)} are not the English's "
                         f"{fields(entry.id)}")
        elif sorted(TAG.findall(entry.id)) != sorted(TAG.findall(entry.string)):
            found.append(f"'{first}': the translation's HTML tags differ from the English's")
    return found


def problems(notebook, catalog: Catalog) -> list[str]:
    """One sentence per paragraph that is untranslated, fuzzy (its English changed) or missing from the catalog."""
    found = []
    for cell_id, paragraph in units(notebook):
        message = catalog.get(paragraph, context=cell_id)
        if entry_problem(message):
            found.append(f"cell {cell_id}: '{paragraph.splitlines()[0][:60]}' {entry_problem(message)}")
    return found


def entry_problem(message) -> str | None:
    """What keeps a catalog entry from being used: missing, fuzzy (its English changed) or untranslated."""
    if message is None:
        return "is not in the catalog (run the update command)"
    if message.fuzzy:
        return "changed in English; its translation is marked fuzzy"
    return None if message.string else "is not translated yet"


# What a translation must carry over unchanged: inline code, math, link and image targets, HTML tags, numbers.
FENCED = re.compile(r"^```.*?^```", re.S | re.M)
CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$", re.S)
TARGET = re.compile(r"\]\(([^)\s]+)\)")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")
FIELD = re.compile(r"\{[^{}\s]*\}")
NUMBER = re.compile(r"(?<![\w.])[-−]?\d+(?:[.,]\d+)*")


def glossary_rows() -> dict[str, tuple[list[str], str]]:
    """English term -> (its Korean names, the notebook that first uses it), from notebooks/glossary.md's table."""
    rows = re.findall(r"^\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|$",
                      (NOTEBOOKS / "glossary.md").read_text(encoding="utf-8"), re.M)[2:]  # after the header rows
    return {english.lower(): ([name.strip() for name in korean.split(",")], first) for english, korean, first in rows}


def glossary() -> dict[str, list[str]]:
    """English term -> its Korean names."""
    return {english: names for english, (names, _) in glossary_rows().items()}


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
        # code, math, addresses and a message's {fields} are not prose
        prose = FIELD.sub(" ", MATH.sub(" ", TARGET.sub("]", CODE_SPAN.sub(" ", FENCED.sub(" ", message.id)))))
        for english, names in terms.items():
            # "gradient" inside "gradient descent" is the longer term's, which has its own Korean name
            longer = [other for other in terms if english in other and other != english]
            text = re.sub("|".join(map(re.escape, longer)), " ", prose, flags=re.I) if longer else prose
            used = re.search(rf"\b{re.escape(english)}(?:s|es)?\b", text, re.I)
            if used and english not in waived and not any(name in message.string for name in names):
                found.append(f"cell {message.context}: '{english}' is in the English but none of "
                             f"{', '.join(names)} is in the Korean")
    return found


def exact_parts(text: str) -> list[str]:
    """The pieces of a paragraph a translation keeps character for character, numbers last."""
    parts = [match.group(0) for match in CODE_SPAN.finditer(text)]
    rest = CODE_SPAN.sub(" ", text)
    parts += MATH.findall(rest)
    rest = MATH.sub(" ", rest)
    parts += TARGET.findall(rest) + TAG.findall(rest)
    rest = TAG.sub(" ", TARGET.sub("] ", rest))
    return parts + NUMBER.findall(rest)


def fidelity_problems(catalog: Catalog) -> list[str]:
    """One sentence per translated paragraph that lost a piece of inline code, math, a link target, an HTML tag or
    a number of its English (each must appear in the Korean as often as in the English)."""
    found = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        parts = exact_parts(message.id)
        # "1.28 million" reads 128만 in Korean: a translator's comment "written as: 1.28 -> 128만" says so
        rewritten = {comment.removeprefix("written as:").split("->")[0].strip() for comment in message.user_comments
                     if comment.startswith("written as:") and "->" in comment}
        for part in dict.fromkeys(parts):
            if part not in rewritten and message.string.count(part) < parts.count(part):
                found.append(f"cell {message.context}: the Korean lacks {part!r} of the English")
    return found


def introduction_problems(catalog: Catalog, number: str) -> list[str]:
    """The glossary terms first met in notebook ``number`` that its Korean does not introduce as
    **한국어** (English), as the English introduces them as **English** (한국어)."""
    text = "\n".join(message.string for message in catalog if message.id and message.string)
    found = []
    for english, (names, first) in glossary_rows().items():
        if first != number:
            continue
        written = rf"\*\*(?:{'|'.join(map(re.escape, names))})\*\*\s*\((?:[^)]*\W)?{re.escape(english)}\W"
        if not re.search(written, " ".join(text.split()), re.I):
            found.append(f"'{english}' is first met here but no **{names[0]}** ({english}) introduces it")
    return found


def share(notebook, catalog: Catalog) -> float:
    total = len(units(notebook))
    return 1.0 if total == 0 else 1 - len(problems(notebook, catalog)) / total


# The Korean notebooks: notebooks/ko/NN_name.ipynb, built from the English notebook and its catalog.
EDITION = NOTEBOOKS / LANGUAGE
SETUP_CALL = "cu.setup()"
EDITION_SETUP_CALL = f'cu.setup(language="{LANGUAGE}")'
INSTALL_FAILED = re.compile(r'(?<=SystemExit\()((?:"[^"\n]*"\s*)+)(?=\))')


def translated_markdown(cell_id: str, text: str, catalog: Catalog) -> str:
    """A markdown cell in Korean: each paragraph replaced by its translation (the "⏱" lines are left out: the
    build writes them in Korean from the recorded timings)."""
    blocks = []
    for paragraph in paragraphs(text):
        message = catalog.get(paragraph, context=cell_id)
        blocks.append(message.string)
    return relinked("\n\n".join(blocks))


def relinked(markdown: str) -> str:
    """Relative links made to work one folder down, except to the sibling notebooks, which exist in Korean."""
    def target(match):
        address = match.group(1)
        if re.match(r"[a-z]+:|#|/|\d\d_\w+\.ipynb", address):
            return match.group(0)
        return f"](../{address})"

    return re.sub(r"\]\(([^)\s]+)\)", target, markdown)


def edition_setup(source: str) -> str:
    """The setup cell of the Korean notebook: the English cell, with two changes only: ``cu.setup()`` chooses
    Korean, and the sentence the cell says itself when the install fails (before course_utils exists) is Korean."""
    import ast

    from course_utils.config import INSTALL_FAILED as ENGLISH
    from course_utils.language import _translations

    match = INSTALL_FAILED.search(source)
    if SETUP_CALL not in source or match is None or ast.literal_eval(f"({match.group(1)})") != ENGLISH:
        raise SystemExit("translations: a setup cell no longer reads cu.setup() or raises SystemExit with "
                         "course_utils.config.INSTALL_FAILED; make it so, or teach edition_setup the new cell.")
    korean = _translations(LANGUAGE)[ENGLISH]
    indent = " " * (match.start() - source.rfind("\n", 0, match.start()) - 1)
    literal = f"\n{indent}".join(f'"{line}"' for line in wrapped(korean, 120 - len(indent) - len('") from None')))
    return (source[:match.start()] + literal + source[match.end():]).replace(SETUP_CALL, EDITION_SETUP_CALL, 1)


def wrapped(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, broken after spaces; Hangul takes two columns (as in ruff's
    line-length count)."""
    import unicodedata

    def columns(piece: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in piece)

    lines, current = [], ""
    for word in re.split(r"(?<= )", text):
        if current and columns(current + word) > width:
            lines.append(current)
            current = word
        else:
            current += word
    return lines + [current]


def edition_path(english: Path) -> Path:
    return EDITION / english.name


def build(english: Path, catalog: Catalog, table: dict) -> nbformat.NotebookNode:
    """The Korean notebook: markdown from the catalog, "⏱" lines in Korean from ``table`` (scripts/timings.json),
    code cells as in English (the setup cell as ``edition_setup`` says), and the outputs of the Korean notebook
    now stored for every code cell whose code did not change (``run-notebooks --edition ko`` makes the rest)."""
    import copy

    from course_utils.language import language, set_language
    from scripts import timings

    notebook = copy.deepcopy(nbformat.read(english, as_version=4))
    target = edition_path(english)
    stored = {}
    if target.is_file():
        stored = {cell.id: cell for cell in nbformat.read(target, as_version=4).cells if cell.cell_type == "code"}
    first_code = True
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = translated_markdown(cell.id, cell.source, catalog)
            cell.source = cell.source.replace(f"/notebooks/{english.name})", f"/notebooks/{LANGUAGE}/{english.name})")
            continue
        if first_code:
            cell.source, first_code = edition_setup(cell.source), False
        old = stored.get(cell.id)
        if old is not None and old.source == cell.source:
            cell.outputs, cell.execution_count = old.outputs, old.execution_count
        else:
            cell.outputs, cell.execution_count = [], None
    previous = language()
    set_language(LANGUAGE)
    try:
        timings.write_expected_times(notebook.cells, timings.expected_time_lines(table, english.name))
    finally:
        set_language(previous)
    notebook.metadata.pop("widgets", None)
    return notebook


def chosen(numbers: list[str]) -> list[Path]:
    from scripts import notebooks_by_number

    return notebooks_by_number(numbers, "translations")


def percent(share: float) -> str:
    """A share rounded down, so that 100 % means complete."""
    return f"{int(share * 100 + 1e-9)} %"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("update", "status", "build"))
    parser.add_argument("numbers", nargs="*", help="two-digit notebook numbers (default: all, and the runtime "
                                                   "catalog with update and status)")
    args = parser.parse_args(argv)
    if args.command == "build":
        return build_all(chosen(args.numbers))
    if not args.numbers:
        existing = read_catalog(RUNTIME_CATALOG) if RUNTIME_CATALOG.is_file() else None
        if args.command == "update":
            write_catalog(update_runtime(existing), RUNTIME_CATALOG)
            existing = read_catalog(RUNTIME_CATALOG)
        total = len(runtime_template())
        left = total if existing is None else len(runtime_problems(existing))
        print(f"course_utils: {percent((total - left) / total)} of {total} sentences translated")
    for path in chosen(args.numbers):
        notebook = nbformat.read(path, as_version=4)
        target = catalog_path(path)
        existing = read_catalog(target) if target.is_file() else None
        if args.command == "update":
            write_catalog(update(notebook, path.stem, existing), target)
            existing = read_catalog(target)
        translated = 0.0 if existing is None else share(notebook, existing)
        print(f"{path.stem}: {percent(translated)} of {len(units(notebook))} paragraphs translated")
    return 0


KOREAN_MAP = "<!-- korean-map:start -->", "<!-- korean-map:end -->"
COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"


def korean_map() -> str:
    """The README's map of the Korean course: each Korean notebook's own title, with its Open in Colab badge."""
    from course_utils.config import colab_url

    rows = ["| # | 노트북 | Colab |", "|---|---|---|"]
    for path in sorted(EDITION.glob("[0-9][0-9]_*.ipynb")):
        title = nbformat.read(path, as_version=4).cells[0].source.splitlines()[0].removeprefix("# ")
        number, _, name = title.partition(" · ")
        badge = f"[![Open In Colab]({COLAB_BADGE})]({colab_url(path.name, LANGUAGE)})"
        rows.append(f"| {number} | [{name}](notebooks/{LANGUAGE}/{path.name}) | {badge} |")
    rows.append("| – | [용어집 (English / 한국어)](notebooks/glossary.md) | |")
    return "\n".join(rows)


def build_all(paths: list[Path]) -> int:
    """Build the Korean notebooks of ``paths``; a catalog that is not complete stops the build, named."""
    from scripts import timings

    runtime = runtime_problems(read_catalog(RUNTIME_CATALOG)) if RUNTIME_CATALOG.is_file() else ["no catalog"]
    found = [f"{RUNTIME_CATALOG.relative_to(ROOT)}: {problem}" for problem in runtime]
    for path in paths:
        catalog = read_catalog(catalog_path(path)) if catalog_path(path).is_file() else Catalog(locale=LANGUAGE)
        found += [f"{catalog_path(path).relative_to(ROOT)}: {problem}" for problem in problems(
            nbformat.read(path, as_version=4), catalog)]
    if found:
        print("translations: not built, the catalogs are not complete (translate, then build again):",
              *found[:20], sep="\n  ", file=sys.stderr)
        return 1
    table = timings.load()
    for path in paths:
        notebook = build(path, read_catalog(catalog_path(path)), table)
        edition_path(path).parent.mkdir(exist_ok=True)
        nbformat.write(notebook, edition_path(path))
        waiting = sum(1 for cell in notebook.cells if cell.cell_type == "code" and cell.execution_count is None)
        note = f"; {waiting} code cells to run (./course.sh run-notebooks --edition ko)" if waiting else ""
        print(f"{edition_path(path).relative_to(ROOT)}: built{note}")
    timings.write_readme_block(*KOREAN_MAP, korean_map())
    print("README.md: the Korean course map rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
