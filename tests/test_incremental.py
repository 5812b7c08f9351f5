"""Rebuilds that reuse earlier output give exactly what a build from an empty folder gives.

Each step changes the sample content (or the clock, the theme, a document) the way an
editor would, rebuilds into the same output (which renders only what changed) and
compares every file with a build of the same content into a new, empty folder.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from pelican import signals

from tests.conftest import BUILD_TIME, ROOT, SETTINGS, isolated
from uchastvai.build import BuildResult, build, spare_of
from uchastvai.outputs import parallel
from uchastvai.outputs.incremental import RECORDS_FOLDER, ReusingWriter


def differences(first: Path, second: Path) -> list[str]:
    """Files only in one tree or with different bytes, and folders only in one tree (an empty
    folder left behind answers 403 instead of 404 on a real server)."""
    files = [{p.relative_to(t).as_posix(): p for p in t.rglob("*") if p.is_file()} for t in (first, second)]
    folders = [{p.relative_to(t).as_posix() + "/" for p in t.rglob("*") if p.is_dir()} for t in (first, second)]
    names = set(files[0]) | set(files[1])
    return sorted(
        [
            name
            for name in names
            if name not in files[0]
            or name not in files[1]
            or files[0][name].read_bytes() != files[1][name].read_bytes()
        ]
        + list(folders[0] ^ folders[1])
    )


class Site:
    """A copy of the sample content and theme, rebuilt in place and compared with cold builds."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.content = folder / "content"
        self.theme = folder / "theme"
        shutil.copytree(ROOT / "content", self.content)
        shutil.copytree(ROOT / "theme", self.theme)
        self.output = folder / "output"
        self.cold_builds = 0

    def settings(self, output: Path, **extra: Any) -> dict[str, Any]:
        return isolated(self.content, output, THEME=str(self.theme), **extra)

    def rebuild(self, build_time: Any = BUILD_TIME) -> BuildResult:
        return build(SETTINGS, self.output, build_time=build_time, extra_settings=self.settings(self.output))

    def cold(self, build_time: Any = BUILD_TIME) -> Path:
        self.cold_builds += 1
        output = self.folder / f"cold-{self.cold_builds}" / "output"
        build(SETTINGS, output, build_time=build_time, extra_settings=self.settings(output, REUSE_OUTPUT=False))
        return output

    def check(self, build_time: Any = BUILD_TIME) -> dict[str, int]:
        """Rebuild, build cold, and require the same files with the same bytes."""
        result = self.rebuild(build_time)
        assert differences(self.output, self.cold(build_time)) == []
        assert result.reuse is not None
        return result.reuse


@pytest.fixture(scope="module", autouse=True)
def pages_rendered_on_both_cores() -> Iterator[None]:
    """Rebuilds render their item pages half in a forked child even for the small sample
    site (and under the test runner's threads); the cold builds they are compared with
    render every page in one process."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parallel, "MINIMUM_TASKS", 2)
        patch.setattr(parallel, "can_fork", lambda: True)
        yield


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = Site(tmp_path_factory.mktemp("incremental"))
    site.rebuild()
    site.rebuild()  # now there is a spare as well as the live output
    return site


def news_file(site: Site) -> Path:
    return sorted((site.content / "news").glob("*.md"))[0]


def test_nothing_changed_renders_nothing(site: Site) -> None:
    reuse = site.check()
    assert reuse["rendered"] == 0 and reuse["unkeyed"] == 0
    assert reuse["kept"] > 50


def test_an_edited_item_renders_its_page_and_what_shows_it(site: Site) -> None:
    path = news_file(site)
    path.write_text(path.read_text(encoding="utf-8") + "\nЕдно ново изречение за проверка.\n", encoding="utf-8")
    reuse = site.check()
    assert 0 < reuse["rendered"] < reuse["kept"]
    assert any("Едно ново изречение" in p.read_text(encoding="utf-8") for p in (site.output / "novini").rglob("*.html"))


def test_a_title_change_reaches_the_pages_that_link_the_item(site: Site) -> None:
    path = news_file(site)
    text = path.read_text(encoding="utf-8").replace("title: Завършен е", "title: Вече е завършен", 1)
    path.write_text(text, encoding="utf-8")
    site.check()
    assert "Вече е завършен" in (site.output / "novini" / "index.html").read_text(encoding="utf-8")


def test_an_added_item_appears_and_a_deleted_one_disappears(site: Site) -> None:
    source = news_file(site)
    added = source.with_name("2026-11-24-oshte-edna-novina.md")
    added.write_text(
        source.read_text(encoding="utf-8").replace("title: ", "title: Още една новина – ", 1), encoding="utf-8"
    )
    site.check()
    added.unlink()
    reuse = site.check()
    assert reuse["removed"] > 0


def test_a_problem_in_a_text_is_reported_by_every_rebuild_until_it_is_fixed(site: Site) -> None:
    """Checks of an item's text are kept between builds: never at the cost of a warning."""
    path = news_file(site)
    original = path.read_text(encoding="utf-8")
    path.write_text(original + "\n![](images/gerb.svg)\n", encoding="utf-8")
    for _ in range(2):  # the second rebuild finds the check's answer kept
        codes = [problem.code for problem in site.rebuild().warnings]
        assert codes.count("image_without_alt") == 1
    path.write_text(original + "\n![Гербът на общината](images/gerb.svg)\n", encoding="utf-8")
    assert "image_without_alt" not in [problem.code for problem in site.rebuild().warnings]
    path.write_text(original, encoding="utf-8")
    site.check()


def test_the_next_day_and_a_week_later(site: Site) -> None:
    reuse = site.check(BUILD_TIME + timedelta(days=1))
    # Countdowns and progress moved, so their pages are new, but not the words Pagefind indexes.
    assert reuse["rendered"] > 0 and reuse["folders reused"] == 1
    site.check(BUILD_TIME + timedelta(days=7))
    site.check()


def test_a_consultation_that_closes_overnight_keeps_the_search_index(site: Site) -> None:
    site.check(BUILD_TIME + timedelta(days=9))  # the last day of „Паркиране в централната градска част“
    reuse = site.check(BUILD_TIME + timedelta(days=10))
    # Its state, deadline and „how to send a proposal“ changed: no word Pagefind indexes.
    assert reuse["rendered"] > 0 and reuse["folders reused"] == 1
    site.check()


def test_a_template_change_renders_every_page_again(site: Site) -> None:
    base = site.theme / "templates" / "base.html"
    base.write_text(
        base.read_text(encoding="utf-8").replace("</footer>", "<!-- changed --></footer>"), encoding="utf-8"
    )
    reuse = site.check()
    assert reuse["kept"] == 0 or reuse["rendered"] > 50


def test_every_page_is_announced_once_when_half_are_rendered_by_the_child(site: Site, tmp_path: Path) -> None:
    """``content_written`` reaches a plugin once per file, though a forked child renders half
    of the pages (a plugin acting on written files, such as a minifier, must act once)."""
    announced = tmp_path / "announced.txt"

    def note(path: str, **_: Any) -> None:
        with announced.open("a", encoding="utf-8") as log:  # appended by whichever process sends it
            log.write(f"{os.getpid()} {path}\n")

    base = site.theme / "templates" / "base.html"
    original = base.read_text(encoding="utf-8")
    base.write_text(original.replace("</footer>", "<!-- once --></footer>"), encoding="utf-8")
    signals.content_written.connect(note)
    try:
        reuse = site.rebuild().reuse
    finally:
        signals.content_written.disconnect(note)
        base.write_text(original, encoding="utf-8")
    assert reuse is not None and reuse["rendered"] > 50
    lines = announced.read_text(encoding="utf-8").splitlines()
    paths = [line.split(" ", 1)[1] for line in lines]
    assert {line.split(" ", 1)[0] for line in lines} == {str(os.getpid())}
    assert len(paths) == len(set(paths)) and any(p.endswith("/index.html") for p in paths)
    site.check()


def test_a_document_replaced_by_an_older_file_is_copied(site: Site) -> None:
    document = next(p for p in (site.content / "documents").rglob("*") if p.is_file())
    stat = document.stat()
    document.write_bytes(document.read_bytes() + b"\n% replaced\n")
    os.utime(document, ns=(stat.st_atime_ns, stat.st_mtime_ns - 10**9))  # older than the copy
    site.check()


def test_lost_records_mean_everything_is_rendered_again(site: Site) -> None:
    for records in site.folder.glob(f"**/{RECORDS_FOLDER}"):
        shutil.rmtree(records)
    reuse = site.check()
    assert reuse["kept"] == 0 and reuse["copied"] == 0
    assert spare_of(site.output).is_dir()


def test_links_between_items_follow_the_linked_item(site: Site) -> None:
    """A ``{filename}`` link shows the other item's address: renaming that item changes this page."""
    linking = site.content / "news" / "2026-11-10-vanshnite-displei-pokazvat-konsultatsiite.md"
    linked = site.content / "news" / "2026-11-02-startira-platformata-uchastvay.md"
    linking.write_text(
        linking.read_text(encoding="utf-8") + f"\nВижте и [началото]({{filename}}{linked.name}).\n", encoding="utf-8"
    )
    site.check()
    text = linked.read_text(encoding="utf-8").replace("title: Стартира „Участвай“", "title: Започна „Участвай“", 1)
    linked.write_text(text, encoding="utf-8")
    site.check()


def test_an_attached_document_lands_where_a_cold_build_puts_it(site: Site) -> None:
    path = site.content / "news" / "2026-11-16-zapochva-obsazhdaneto-na-byudzhet-2027.md"
    path.write_text(
        path.read_text(encoding="utf-8") + "\n[Доклад]({attach}../documents/2026-012/doklad-piro-aktualizatsia.pdf)\n",
        encoding="utf-8",
    )
    site.check()
    site.check()


def test_smaller_copies_of_photos_survive_every_rebuild(site: Site) -> None:
    from PIL import Image

    photo = site.content / "images" / "snimka-za-proverka.png"
    Image.new("RGB", (1600, 900), (40, 120, 200)).save(photo)
    for _ in range(3):
        site.check()
    assert list(site.output.joinpath("images").rglob("*.webp"))


def test_an_output_keyed_by_the_item_as_read_ignores_the_facts_of_the_day(tmp_path: Path) -> None:
    """An item's own feed and calendar show no fact derived on the build day: keyed by
    ``AsRead``, they are not made again each night, but still when the file changes."""
    from types import SimpleNamespace

    from uchastvai.outputs.incremental import AsRead, Fingerprints

    source = tmp_path / "item.md"
    source.write_text("---\ntitle: x\n---\n", encoding="utf-8")

    def content(facts: str, summary: str = "Кратко") -> Any:
        item = {"title": "Заглавие", "summary": summary}
        return SimpleNamespace(
            item=item, facts=facts, url="proekti/p/", source_path=str(source), _content="", metadata={}
        )

    def key(value: Any) -> str:
        return Fingerprints().of(["feed", value])

    today, tomorrow = content("5 от 960 дни"), content("6 от 960 дни")
    assert key(AsRead(today)) == key(AsRead(tomorrow))
    assert key(today) != key(tomorrow)  # the page shows the facts: it is made again
    assert key(AsRead(today)) != key(AsRead(content("5 от 960 дни", summary="Друго")))


def test_pages_rendered_later_see_the_context_as_it_was_when_they_were_written() -> None:
    """Deferred item pages share one copy of the context while it holds the same values; a
    value changed (or added) between two pages gives the later page a copy of its own."""
    writer = ReusingWriter.__new__(ReusingWriter)  # only the snapshot logic, without a build
    writer.outputs = SimpleNamespace(deferred=[])  # type: ignore[assignment]
    context: dict[str, Any] = {"SITENAME": "Участвай", "articles": [1]}

    def collect() -> dict[str, Any]:
        snapshot = writer._snapshot(context)
        writer.outputs.deferred.append(SimpleNamespace(context=snapshot))  # type: ignore[union-attr]
        return snapshot

    first, second = collect(), collect()
    assert first is second and first == context and first is not context
    context["articles"] = [1, 2]
    third = collect()
    context["extra"] = None
    fourth = collect()
    assert third is not second and third["articles"] == [1, 2] and second["articles"] == [1]
    assert fourth is not third and "extra" in fourth and "extra" not in third
