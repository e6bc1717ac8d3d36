"""The Korean edition's catalogs (scripts/translations.py): every catalog complete, and a change in English found."""

from __future__ import annotations

import copy
import re

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

    # The translator sees the earlier English, however often the catalog is merged again, until it is retranslated
    translations.write_catalog(translations.update(changed, "00_welcome", translations.read_catalog(path)), path)
    assert re.search(r'^#\| msgid ".*Welcome', path.read_text(encoding="utf-8"), re.M)
    assert not re.search(r"^# \|", path.read_text(encoding="utf-8"), re.M)
    catalog = translations.read_catalog(path)
    for message in catalog:
        message.flags.discard("fuzzy")
    translations.write_catalog(catalog, path)
    assert not re.search(r"^# ?\|", path.read_text(encoding="utf-8"), re.M)


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


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.stem)
def test_every_catalog_keeps_code_math_links_and_numbers_and_introduces_its_terms(path):
    catalog = translations.read_catalog(path)
    found = translations.fidelity_problems(catalog) + translations.introduction_problems(catalog, path.stem[:2])
    assert not found, f"{path.name}: " + "; ".join(found[:5])


def test_a_lost_number_or_code_span_and_a_missing_introduction_are_named():
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="ko")
    catalog.add("Call `fit` for 10 epochs at $\\eta = 0.1$.", "에포크 동안 `fit`을 부릅니다 ($\\eta = 0.1$).",
                context="a")
    catalog.add("A **perceptron** (퍼셉트론) learns.", "퍼셉트론이 배웁니다.", context="b")
    assert translations.fidelity_problems(catalog) == ["cell a: the Korean lacks '10' of the English"]
    assert translations.introduction_problems(catalog, "01")[0].startswith("'perceptron' is first met here")


def test_the_runtime_catalog_translates_every_sentence_course_utils_shows():
    catalog = translations.read_catalog(translations.RUNTIME_CATALOG)
    found = translations.runtime_problems(catalog) + translations.term_problems(catalog)
    assert not found, f"{translations.RUNTIME_CATALOG.name}: " + "; ".join(found[:5])


def test_a_new_sentence_and_a_lost_field_in_the_runtime_catalog_are_named():
    catalog = translations.runtime_template()
    for message in catalog:
        if message.id:
            message.string = "번역 " + message.id
    assert translations.runtime_problems(catalog) == []
    del catalog["Versions: {versions}"]
    catalog["local"].string = "로컬"
    catalog["Device: GPU ({gpus} found); training uses it."].string = "장치: GPU"
    assert translations.runtime_problems(catalog) == [
        "'Versions: {versions}' is not in the catalog (run the update command)",
        "'Device: GPU ({gpus} found); training uses it.': the translation's fields [] are not the English's "
        "['gpus']"]


ENGLISH = sorted(translations.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.stem)
def test_each_korean_notebook_is_built_from_the_catalogs_as_they_are(english):
    from scripts import timings

    stored = nbformat.read(translations.edition_path(english), as_version=4)
    built = translations.build(english, translations.read_catalog(translations.catalog_path(english)),
                               timings.load())
    assert [(c.cell_type, c.id, c.source) for c in stored.cells] == [(c.cell_type, c.id, c.source)
                                                                      for c in built.cells], (
        f"notebooks/ko/{english.name} is not what the catalogs build: python -m scripts.translations build "
        f"{english.name[:2]}, then ./course.sh run-notebooks --edition ko notebooks/ko/{english.name}")
    assert all(c.execution_count is not None for c in built.cells if c.cell_type == "code"), (
        f"notebooks/ko/{english.name}: code cells without stored outputs; run ./course.sh run-notebooks --edition ko")


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.stem)
def test_the_korean_code_is_the_english_code_but_for_the_setup_line_that_chooses_korean(english):
    from course_utils.config import INSTALL_FAILED

    code = [c.source for c in nbformat.read(english, as_version=4).cells if c.cell_type == "code"]
    korean = [c.source for c in nbformat.read(translations.edition_path(english), as_version=4).cells
              if c.cell_type == "code"]
    assert korean[1:] == code[1:]
    setup = korean[0].replace(translations.EDITION_SETUP_CALL, translations.SETUP_CALL)
    said = translations.INSTALL_FAILED.search(setup)
    import ast

    assert said is not None and ast.literal_eval(f"({said.group(1)})") == translations.read_catalog(
        translations.RUNTIME_CATALOG)[INSTALL_FAILED].string
    english_said = translations.INSTALL_FAILED.search(code[0])
    assert setup[:said.start()] + setup[said.end():] == code[0][:english_said.start()] + code[0][english_said.end():]
    assert translations.EDITION_SETUP_CALL in korean[0]


def test_the_korean_edition_speaks_korean_and_falls_back_to_english_for_a_new_sentence():
    from course_utils import language
    from course_utils.checks import ex01

    previous = language.language()
    try:
        language.set_language("ko")
        ok, message = ex01.nand.feedback(1.0, 1.0, -1.5)
        assert not ok and re.search("[가-힣]", message) and "Not yet" not in message
        assert language.tr("A sentence no catalog has yet: {n}.", n=3) == "A sentence no catalog has yet: 3."
        language.set_language("en")
        assert ex01.nand.feedback(1.0, 1.0, -1.5)[1].startswith("[01.1 NAND] Not yet:")
    finally:
        language.set_language(previous)


def test_the_progress_lines_name_the_metrics_in_korean(keras, capsys):
    from course_utils import language, training

    previous = language.language()
    try:
        language.set_language("ko")
        trials = training.trial_progress(1)
        trials.on_train_begin()
        trials.on_epoch_end(0, {"val_accuracy": 0.5})
        trials.on_train_end()
        epochs = training._epoch_lines()
        epochs.set_params({"epochs": 1})
        epochs.on_train_begin()
        epochs.on_epoch_end(0, {"loss": 0.25, "val_accuracy": 0.5})
    finally:
        language.set_language(previous)
    lines = capsys.readouterr().out.splitlines()
    assert "최고 검증 정확도 0.5000" in lines[0], lines[0]
    assert "손실 0.2500, 검증 정확도 0.5000" in lines[1], lines[1]
    assert not re.search("accuracy|loss", " ".join(lines)), lines


def test_an_unknown_language_is_one_sentence_naming_it():
    from course_utils import language

    with pytest.raises(ValueError, match=r"setup: language='fr' is not a language of the course; use one of en, ko"):
        language.set_language("fr")


def test_the_readme_maps_the_korean_course_and_the_glossary_links_both_editions():
    from scripts import timings

    assert timings.readme_block(*translations.KOREAN_MAP) == translations.korean_map(), (
        "the README's Korean course map is stale: python -m scripts.translations build")
    glossary = (translations.NOTEBOOKS / "glossary.md").read_text(encoding="utf-8")
    for english in ENGLISH:
        assert f"]({english.name})" in glossary and f"](ko/{english.name})" in glossary, english.name


def test_relative_links_reach_one_folder_up_but_the_sibling_notebooks_stay():
    markdown = "[a](../README.md) [b](glossary.md) [c](02_activation_functions.ipynb) [d](https://x.org) [e](#s)"
    assert translations.relinked(markdown) == ("[a](../../README.md) [b](../glossary.md) "
                                               "[c](02_activation_functions.ipynb) [d](https://x.org) [e](#s)")
