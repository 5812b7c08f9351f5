"""Smoke test of the benchmark at 1,000 items: the synthetic corpus builds, strictly, and
every item, list and document is there. Not timed: figures come from ``python -m bench.run``."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from bench import corpus
from bench.run import PAGE_LIMIT, tree_digest
from tests.conftest import BUILD_TIME, build_site
from uchastvai.outputs import parallel

ITEMS = 1000
CACHE_ON = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The 1k corpus built once, with the content cache on and strict validation."""
    folder = tmp_path_factory.mktemp("bench")
    corpus.generate(ITEMS, seed=8, ours=folder / "content")
    output = build_site(folder / "content", folder / "output", STRICT_VALIDATION=True, **CACHE_ON)
    return folder / "content", output


def test_the_corpus_is_the_same_for_the_same_seed(tmp_path: Path) -> None:
    corpus.generate(60, seed=3, ours=tmp_path / "a", vanilla=tmp_path / "va")
    corpus.generate(60, seed=3, ours=tmp_path / "b", vanilla=tmp_path / "vb")
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    assert tree_digest(tmp_path / "va") == tree_digest(tmp_path / "vb")


def test_the_corpus_mixes_every_type_over_several_years() -> None:
    items = corpus.generate_items(ITEMS, seed=8)
    types = {item.model.type_name for item in items}
    assert types == {"consultation", "project", "idea", "news"}
    years = {item.data["opens"][:4] for item in items if item.model.type_name == "consultation"}
    assert len(years) >= 2


def test_every_generated_item_gets_its_page(site: tuple[Path, Path]) -> None:
    _, output = site
    for item in corpus.generate_items(ITEMS, seed=8):
        assert (output / item.model.section / item.slug / "index.html").is_file(), item.slug


def test_referenced_documents_and_images_are_published(site: tuple[Path, Path]) -> None:
    content, output = site
    published = [path.relative_to(content) for path in (content / "documents").rglob("*.pdf")]
    published += [path.relative_to(content) for path in (content / "images").rglob("*.svg")]
    assert len(published) > ITEMS
    assert all((output / path).is_file() for path in published)


def test_section_lists_exist_and_no_page_is_heavier_than_the_target(site: tuple[Path, Path]) -> None:
    _, output = site
    for section in ("konsultatsii", "proekti", "idei", "novini"):
        assert (output / section / "index.html").is_file()
    # The kiosk pages too: their slides are bounded (DISPLAY_GROUP_LIMITS) at any size of the archive.
    assert (output / "display" / "index.html").is_file()
    assert (output / "display" / "portrait" / "index.html").is_file()
    heavy = [p for p in output.rglob("*.html") if p.stat().st_size > PAGE_LIMIT]
    assert heavy == []


def test_long_section_lists_are_split_into_linked_pages(site: tuple[Path, Path]) -> None:
    _, output = site
    news = corpus.counts_for(ITEMS)["news"]
    pages = -(-news // 50)  # SECTION_PAGE_SIZE in pelicanconf.py
    assert (output / "novini" / "page" / str(pages) / "index.html").is_file()
    assert not (output / "novini" / "page" / str(pages + 1)).exists()
    first = (output / "novini" / "index.html").read_text(encoding="utf-8")
    assert 'rel="next" href="http://127.0.0.1:8000/novini/page/2/"' in first
    assert first.count('<li class="card ') == 50


def test_a_rebuild_from_the_cache_gives_the_same_bytes(site: tuple[Path, Path], tmp_path: Path) -> None:
    content, output = site
    cache = output.parent / f"{output.name}-cache"  # tests.conftest.isolated
    assert any(cache.iterdir()), "the first build left no cache"
    again = build_site(content, tmp_path / "output", CACHE_PATH=str(cache), **CACHE_ON)
    assert tree_digest(again) == tree_digest(output)
    shutil.rmtree(again)


def test_year_and_area_lists_are_split_into_linked_pages(site: tuple[Path, Path]) -> None:
    _, output = site
    news = corpus.counts_for(ITEMS)["news"]
    years = sorted((output / "novini" / "godina").iterdir())
    assert 1 < len(years) < news // 50  # a few years, so at least one has more than a page of news
    cards = 0
    for year in years:
        pages = [year / "index.html", *sorted((year / "page").glob("*/index.html"))]
        counts = [page.read_text(encoding="utf-8").count('<li class="card ') for page in pages]
        assert all(count == 50 for count in counts[:-1]) and 0 < counts[-1] <= 50
        cards += sum(counts)
    assert cards == news
    busiest = max(years, key=lambda year: len(list(year.glob("page/*"))))
    first = (busiest / "index.html").read_text(encoding="utf-8")
    assert f'rel="next" href="http://127.0.0.1:8000/novini/godina/{busiest.name}/page/2/"' in first
    areas = list((output / "proekti" / "mesto").glob("*/index.html"))
    assert areas and all(path.read_text(encoding="utf-8").count('<li class="card ') <= 50 for path in areas)


def test_rebuilds_that_reuse_output_equal_a_cold_build(
    site: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The benchmark's rebuilds (nothing changed, one item edited, one added, the next day),
    each rendering only what changed (the item pages half in a forked child, as on a
    server), end byte for byte where a build from nothing, in one process, ends."""
    monkeypatch.setattr(parallel, "can_fork", lambda: True)  # the test runner's threads would prevent it
    content = tmp_path / "content"
    shutil.copytree(site[0], content)
    output, cache = tmp_path / "output", {"CACHE_PATH": str(tmp_path / "cache"), **CACHE_ON}
    build_site(content, output, **cache)
    build_site(content, output, **cache)
    corpus.edit_one(content)
    build_site(content, output, **cache)
    corpus.add_one(content)
    build_site(content, output, **cache)
    next_day = BUILD_TIME + timedelta(days=1)
    build_site(content, output, next_day, **cache)
    cold = build_site(content, tmp_path / "cold", next_day, REUSE_OUTPUT=False, CACHE_PATH=str(tmp_path / "c2"))
    assert tree_digest(output) == tree_digest(cold)
