"""Prompt versions in the blob store: seeding, sandboxed rendering, preconditions."""

from __future__ import annotations

import threading

import pytest

from shared.adapters.folder_blobs import FolderBlobStore
from shared.errors import InvalidInput, NotFound, PreconditionFailed
from shared.prompts.renderer import render
from shared.prompts.store import PromptStore
from shared.prompts.variables import VARIABLES, sample_context


@pytest.fixture
def store(tmp_path) -> PromptStore:
    return PromptStore(FolderBlobStore(tmp_path / "blobs"))


def test_defaults_are_seeded_once_and_render_in_both_languages(store) -> None:
    assert store.seed_defaults() == ["analysis-en", "analysis-ru"]
    assert store.seed_defaults() == []
    en, ru = store.active("analysis-en"), store.active("analysis-ru")
    assert en.version == ru.version == 1 and ru.language == "ru"
    assert "Write the analysis in English" in render(en.template, sample_context("en"))
    assert "по-русски" in render(ru.template, sample_context("ru"))
    assert set(sample_context()) == set(VARIABLES)


def test_first_use_seeds_the_default(store) -> None:
    assert store.active("analysis-ru").version == 1


@pytest.mark.parametrize("template", [
    "{{ symbol.__class__.__mro__ }}",
    "{{ ''.__class__.__subclasses__() }}",
    "{{ undefined_variable }}",
    "{% for x in %}",
])
def test_rendering_is_sandboxed_and_strict(store, template) -> None:
    with pytest.raises(InvalidInput):
        store.create("custom", system="s", template=template, language="en", author="a")


def test_create_activate_and_roll_back(store) -> None:
    store.seed_defaults()
    v2 = store.create("analysis-en", system="s2", template="{{ symbol }} v2", language="en",
                      author="ann", note="shorter")
    assert v2.version == 2 and store.active("analysis-en").version == 1  # not active yet
    pointer = store.activate("analysis-en", 2, author="ann")
    assert store.active("analysis-en").system == "s2" and pointer.previous == [1]
    back = store.rollback("analysis-en", author="bob", if_generation_match=pointer.generation)
    assert back.version == 1 and store.active("analysis-en").version == 1
    with pytest.raises(NotFound):
        store.rollback("analysis-en", author="bob")
    assert store.versions("analysis-en") == [1, 2] and "analysis-en" in store.names()


def test_a_stale_editor_loses_and_nothing_is_overwritten(store) -> None:
    store.seed_defaults()
    store.create("analysis-en", system="s", template="{{ price|num }}", language="en",
                 author="a")
    seen = store.pointer("analysis-en")
    assert seen is not None
    store.activate("analysis-en", 2, author="a", if_generation_match=seen.generation)
    with pytest.raises(PreconditionFailed):
        store.activate("analysis-en", 1, author="b", if_generation_match=seen.generation)
    assert store.active("analysis-en").version == 2


def test_racing_creators_cannot_both_write_the_same_version(store) -> None:
    results: list[object] = []
    barrier = threading.Barrier(4)

    def create() -> None:
        barrier.wait()
        try:
            results.append(store.create("race", system="s", template="{{ symbol }}",
                                        language="en", author="x").version)
        except PreconditionFailed as exc:
            results.append(exc)

    threads = [threading.Thread(target=create) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    versions = [r for r in results if isinstance(r, int)]
    assert len(versions) == len(set(versions)) and store.versions("race") == sorted(versions)


def test_admin_use_cases(tmp_path) -> None:
    from shared.services import prompts

    blobs = FolderBlobStore(tmp_path / "b")
    assert {p["name"] for p in prompts.list_prompts(blobs)} == {"analysis-en", "analysis-ru"}
    created = prompts.create_version(blobs, "analysis-en", system="s", template="{{ symbol }}",
                                     language="en", author="adm")
    seen = prompts.read_prompt(blobs, "analysis-en")["active"]["generation"]
    prompts.activate(blobs, "analysis-en", created["version"], author="adm",
                     if_generation_match=seen)
    with pytest.raises(PreconditionFailed):
        prompts.rollback(blobs, "analysis-en", author="adm", if_generation_match=seen)
    assert prompts.preview("{{ symbol }} {{ price|num }}") == "BTC/USDT 100"
    with pytest.raises(InvalidInput):
        prompts.create_version(blobs, "analysis-en", system="s", template="x", language="de",
                               author="adm")
