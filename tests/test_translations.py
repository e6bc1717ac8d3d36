"""The Korean edition's catalogs (scripts/translations.py): every catalog complete, and a change in English found."""

from __future__ import annotations

import copy

import nbformat
import pytest

pytest.importorskip("babel", reason="Babel comes with requirements-dev.txt (Colab's versions test the notebooks)")
from scripts import translations  # noqa: E402 - needs Babel

CATALOGS = sorted(translations.CATALOGS.glob("*.po"))


def test_paragraphs_keep_code_blocks_whole_and_leave_out_the_time_lines():
    text = "First line\nstill first.\n\n```python\nx = 1\n\ny = 2\n```\n\n⏱ This cell takes about 5 s.\n\nLast."
    assert translations.paragraphs(text) == ["First line\nstill first.", "```python\nx = 1\n\ny = 2\n```", "Last."]


def _translated(notebook):
    catalog = translations.update(notebook, "00_welcome", None)
    for message in catalog:
        if message.id:
            message.string = "번역: " + message.id
    return catalog


def test_a_changed_english_paragraph_makes_its_translation_fuzzy(tmp_path):
    notebook = nbformat.read(translations.chosen(["00"])[0], as_version=4)
    path = tmp_path / "00_welcome.po"
    translations.write_catalog(_translated(notebook), path)
    assert translations.problems(notebook, translations.read_catalog(path)) == []
    changed = copy.deepcopy(notebook)
    changed.cells[0].source = changed.cells[0].source.replace("Welcome", "Hello", 1)
    changed.cells[0].source += "\n\nA new paragraph."
    merged = translations.update(changed, "00_welcome", translations.read_catalog(path))
    translations.write_catalog(merged, path)  # what a translator opens: the old translation, marked fuzzy
    found = translations.problems(changed, translations.read_catalog(path))
    assert len(found) == 2 and "changed in English" in found[0] and "not translated yet" in found[1]
    assert translations.share(changed, translations.read_catalog(path)) == pytest.approx(
        1 - 2 / len(translations.units(changed)))


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.stem)
def test_every_catalog_is_complete_for_the_english_text_as_it_is(path):
    notebook = nbformat.read(translations.NOTEBOOKS / f"{path.stem}.ipynb", as_version=4)
    found = translations.problems(notebook, translations.read_catalog(path))
    assert not found, f"{path.name}: " + "; ".join(found[:5])


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.stem)
def test_every_catalog_uses_the_glossarys_korean_terms(path):
    found = translations.term_problems(translations.read_catalog(path))
    assert not found, f"{path.name}: " + "; ".join(found[:5])


def test_a_translation_without_the_glossary_term_is_named_unless_waived():
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="ko")
    catalog.add("Supervised learning needs labels.", "정답이 붙은 데이터가 필요합니다.", context="a")
    catalog.add("We won by a wide margin.", "큰 차이로 이겼습니다.", context="b",
                user_comments=["not the term: margin"])
    catalog.add("Each example has a label.", "각 샘플에는 레이블이 있습니다.", context="c")
    found = translations.term_problems(catalog)
    assert found == ["cell a: 'supervised learning' is in the English but none of 지도학습 is in the Korean",
                     "cell a: 'label' is in the English but none of 레이블 is in the Korean"]
