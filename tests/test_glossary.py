"""Each key term is written once as **term** (한국어); the glossary lists exactly those."""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HANGUL = "\uac00-\ud7a3"
TERM = re.compile(rf"\*\*([^*]+?)\*\*\s*\(([^)]*[{HANGUL}][^)]*)\)")
ROW = re.compile(r"^\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|$", re.M)


def notebook_terms():
    found = {}
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell["cell_type"] != "markdown":
                continue
            text = "".join(cell["source"])
            for english, korean in TERM.findall(text):
                english = " ".join(english.split()).lower()
                found.setdefault(english, (korean.strip(), path.name[:2]))
    return found


def glossary_rows():
    text = (ROOT / "notebooks" / "glossary.md").read_text(encoding="utf-8")
    rows = ROW.findall(text)[2:]  # skip header and separator
    return {english.lower(): (korean, first) for english, korean, first in rows}


def test_notebooks_introduce_terms():
    assert len(notebook_terms()) >= 20


def test_every_term_is_in_the_glossary_with_the_same_korean():
    glossary = glossary_rows()
    for english, (korean, notebook) in notebook_terms().items():
        assert english in glossary, f"glossary.md lacks '{english}' ({korean}), introduced in notebook {notebook}"
        assert glossary[english][0] == korean, f"'{english}': notebook says {korean}, glossary {glossary[english][0]}"
        assert glossary[english][1] == notebook, f"'{english}' is first met in {notebook}"


def test_glossary_lists_only_terms_the_notebooks_use():
    unused = set(glossary_rows()) - set(notebook_terms())
    assert not unused, f"glossary.md lists terms no notebook introduces: {sorted(unused)}"
