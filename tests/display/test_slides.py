"""The slide model: what each slide says, in which order, and the default slide."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.display.conftest import build_small
from uchastvai.display.config import read_config
from uchastvai.display.slides import REQUIRED_LINES, SUMMARY_LIMIT, TITLE_LIMIT, shorten


def slides_of(output: Path) -> list[dict]:
    return json.loads((output / "display" / "slides.json").read_text(encoding="utf-8"))["slides"]


def test_shorten_cuts_at_a_word_and_marks_the_cut() -> None:
    text = "Промени в правилата за поставяне на павилиони и преместваеми обекти"
    short = shorten(text, 40)
    assert len(short) <= 40
    assert short.endswith("…")
    assert text.startswith(short[:-1])
    assert shorten("  кратко   заглавие ", 40) == "кратко заглавие"
    river = "Благоустрояване на крайречните пространства на р. Асеница в Асеновград"
    assert shorten(river, 52) == "Благоустрояване на крайречните пространства…"  # not „… на р.…“


def test_durations_outside_12_to_30_seconds_are_clamped() -> None:
    config = read_config({"DISPLAY_DURATIONS": {"news": 5, "project": 45, "hearing": 14}})
    assert config.duration("news") == 12
    assert config.duration("project") == 30
    assert config.duration("hearing") == 14


def test_unknown_slide_group_is_an_error() -> None:
    with pytest.raises(ValueError, match="banners"):
        read_config({"DISPLAY_SLIDE_ORDER": ["news", "banners"]})


def test_sample_slides_follow_the_configured_order(sample_site: Path) -> None:
    kinds = [slide["kind"] for slide in slides_of(sample_site)]
    groups = ["consultation", "hearing", "project", "news", "ideas"]
    assert sorted(set(kinds), key=groups.index) == groups
    assert kinds == sorted(kinds, key=groups.index)


def test_open_consultations_show_their_countdown_and_how_to_respond(sample_site: Path) -> None:
    slides = {slide["key"]: slide for slide in slides_of(sample_site)}
    budget = slides["konsultatsia-2026-030"]
    assert budget["highlight"] == "остават 21 от 30 дни"
    assert budget["kicker"] == "Обществена консултация № 2026-030"
    assert "Пишете на: budzhet@asenovgrad.example" in budget["lines"]
    assert budget["url"].endswith("/konsultatsii/proekt-na-byudzhet-na-obshtina-asenovgrad-za-2027-godina/")


def test_hearings_show_day_time_and_place(sample_site: Path) -> None:
    hearing = next(s for s in slides_of(sample_site) if s["key"] == "obsazhdane-2026-030-20261208-1730")
    assert hearing["highlight"] == "вт, 8 декември 2026, 17:30 ч."
    assert hearing["lines"][0] == "Заседателна зала на Общински съвет – Асеновград"
    assert hearing["id"].endswith(":consultation/2026-030/hearing/2026-12-08T17:30")


def test_project_progress_is_labelled_and_carries_the_eu_block_of_its_period(sample_site: Path) -> None:
    project = next(s for s in slides_of(sample_site) if s["kind"] == "project")
    labels = [bar["label"] for bar in project["progress"]]
    assert labels == ["По изминалото време", "По изплатените средства", "По изпълнените етапи"]
    assert all(0 <= bar["percent"] <= 100 for bar in project["progress"])
    assert project["eu"]["period"] == "2021-2027"
    assert project["eu"]["statement"] == "Съфинансирано от Европейския съюз"


def test_titles_and_summaries_fit_the_player_limits(sample_site: Path) -> None:
    for slide in slides_of(sample_site):
        assert 0 < len(slide["title"]) <= TITLE_LIMIT
        assert 0 < len(slide["summary"]) <= SUMMARY_LIMIT
        assert "<" not in slide["title"] + slide["summary"]


def test_a_site_with_nothing_to_show_gets_the_default_slide(small_content: Path, tmp_path: Path) -> None:
    for folder in ("consultations", "projects", "news", "ideas"):
        for source in (small_content / folder).glob("*.md"):
            source.unlink()
    output = build_small(small_content, tmp_path / "out")
    (slide,) = slides_of(output)
    assert slide["kind"] == "default"
    assert slide["kicker"] == "Община Примерно"
    assert slide["highlight"] == "uchastvai.primerno.example"
    assert slide["url"] == "https://uchastvai.primerno.example/"


def test_nothing_of_the_first_municipality_leaks_into_another(small_content: Path, tmp_path: Path) -> None:
    output = build_small(small_content, tmp_path / "out")
    published = "".join(
        p.read_text(encoding="utf-8") for p in (output / "display").rglob("*") if p.suffix in {".html", ".json", ".xml"}
    )
    assert "Асеновград" not in published
    assert "Община Примерно" in published


def test_every_kind_declares_its_required_lines_and_each_slide_carries_them(sample_site: Path) -> None:
    highlights = {"hearing": "time", "default": "site"}  # the highlight is the required time / address
    for slide in slides_of(sample_site):
        assert slide["required"] == list(REQUIRED_LINES[slide["kind"]])
        present = {"title", *slide["line_roles"]}
        present |= {"progress"} if slide["progress"] else set()
        present |= {"eu"} if slide["eu"] else set()
        present |= {highlights[slide["kind"]]} if slide["kind"] in highlights and slide["highlight"] else set()
        assert set(slide["required"]) <= present, slide["key"]
    budget = next(s for s in slides_of(sample_site) if s["key"] == "konsultatsia-2026-030")
    roles = dict(zip(budget["line_roles"], budget["lines"], strict=True))
    assert roles["email"] == "Пишете на: budzhet@asenovgrad.example"
    assert (
        roles["post"]
        == "По пощата: Община Асеновград, гр. Асеновград 4230, бул. „България“ № 19 (с надпис „Бюджет 2027“)"
    )
    assert roles["deadline"].startswith("Предложения до ")


def test_each_group_is_bounded_and_projects_keep_the_most_recently_active(small_content: Path, tmp_path: Path) -> None:
    park = (small_content / "projects" / "park.md").read_text(encoding="utf-8")
    for number, updated in ((2, "2026-10-01"), (3, "2026-11-20"), (4, "2026-06-01")):
        code = f"BG16FFPR003-2.001-000{number}-C01"
        text = park.replace("BG16FFPR003-2.001-0001-C01", code).replace(
            "Обновяване на централния парк", f"Парк {number}"
        )
        text = text.replace("updated: 2026-11-01", f"updated: {updated}")
        (small_content / "projects" / f"park{number}.md").write_text(text, encoding="utf-8")
    output = build_small(small_content, tmp_path / "out", DISPLAY_GROUP_LIMITS={"projects": 2})
    projects = [s for s in slides_of(output) if s["kind"] == "project"]
    assert [s["title"] for s in projects] == ["Парк 3", "Обновяване на централния парк"]  # 20 Nov, 1 Nov


def test_unknown_group_in_the_limits_is_an_error() -> None:
    with pytest.raises(ValueError, match="banners"):
        read_config({"DISPLAY_GROUP_LIMITS": {"banners": 3}})


def test_news_leave_the_displays_after_the_configured_days(small_content: Path, tmp_path: Path) -> None:
    from datetime import datetime

    from uchastvai.core.dates import SOFIA

    moment = datetime(2026, 11, 20, 12, 0, tzinfo=SOFIA)  # the news is of 10 November
    kept = build_small(small_content, tmp_path / "a", build_time=moment, DISPLAY_NEWS_DAYS=11)
    gone = build_small(small_content, tmp_path / "b", build_time=moment, DISPLAY_NEWS_DAYS=10)
    assert [s["kind"] for s in slides_of(kept)].count("news") == 1
    assert [s["kind"] for s in slides_of(gone)].count("news") == 0


def test_a_large_archive_keeps_the_rotation_and_the_kiosk_page_small(small_content: Path, tmp_path: Path) -> None:
    """Every group full to its bound, with the longest titles: each kiosk page stays under 200 KB."""
    long_title = "Проект на Наредба за изменение и допълнение на Наредбата за зелената система на града"
    consultation = (small_content / "consultations" / "2026-001-naredba.md").read_text(encoding="utf-8")
    park = (small_content / "projects" / "park.md").read_text(encoding="utf-8")
    news = (small_content / "news" / "otkrivane.md").read_text(encoding="utf-8")
    for n in range(101, 121):
        title = f"{n} {long_title}"  # unique addresses
        text = consultation.replace("id: 2026-001", f"id: 2026-{n}").replace(
            "Проект на Наредба за зелената система", title
        )
        text = text.replace("start: 2026-12-03 18:00", f"start: 2026-12-{n - 100:02d} 18:00")
        text = text.replace("end: 2026-12-03 20:00", f"end: 2026-12-{n - 100:02d} 20:00")
        (small_content / "consultations" / f"2026-{n}-naredba.md").write_text(text, encoding="utf-8")
        code = f"BG16FFPR003-2.001-0{n}-C01"
        (small_content / "projects" / f"park{n}.md").write_text(
            park.replace("BG16FFPR003-2.001-0001-C01", code).replace("Обновяване на централния парк", title),
            encoding="utf-8",
        )
        (small_content / "news" / f"novina{n}.md").write_text(
            news.replace("date: 2026-11-10", f"date: 2026-11-{n - 100:02d}").replace("Започна", f"{n} Започна"),
            encoding="utf-8",
        )
    output = build_small(small_content, tmp_path / "out")
    kinds = [s["kind"] for s in slides_of(output)]
    counts = {kind: kinds.count(kind) for kind in set(kinds)}
    assert counts == {"consultation": 12, "hearing": 3, "project": 12, "news": 3, "ideas": 1}
    for page in ("display/index.html", "display/portrait/index.html"):
        assert (output / page).stat().st_size < 200_000, page
