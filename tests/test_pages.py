"""The built sample site: each type's page shows its fields, lists filter by state."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import read_html, text_of

NBSP = "\u00a0"
SEED = "proekti/tehnicheska-pomosht-za-obshtina-asenovgrad"


def page_text(site: Path, url: str) -> str:
    return text_of(read_html(site, url))


def test_the_seed_project_shows_its_code_and_money_eur_first(sample_site: Path) -> None:
    text = page_text(sample_site, SEED)
    assert "BG16RFOP001-8.006-0008-C01" in text
    assert f"91{NBSP}899,60{NBSP}€" in text
    assert f"179{NBSP}740,00{NBSP}лв." in text
    assert text.index(f"91{NBSP}899,60{NBSP}€") < text.index(f"179{NBSP}740,00{NBSP}лв.")
    assert "Оперативна програма „Региони в растеж“ 2014-2020" in text
    assert "Европейски фонд за регионално развитие" in text


def test_a_project_page_shows_progress_labelled_by_basis(sample_site: Path) -> None:
    soup = read_html(sample_site, SEED)
    labels = [label.get_text(" ", strip=True) for label in soup.select("progress")]
    assert len(labels) == 3
    text = text_of(soup)
    for basis in ("По изминалото време", "По изплатените средства", "По изпълнените етапи"):
        assert basis in text


def test_a_consultation_page_shows_state_countdown_and_how_to_respond(sample_site: Path) -> None:
    text = page_text(sample_site, "konsultatsii/proekt-na-byudzhet-na-obshtina-asenovgrad-za-2027-godina")
    assert "2026-030" in text
    assert "Открита за предложения" in text
    assert "остават 21 от 30 дни" in text
    assert "По имейл" in text
    assert "Обществени обсъждания" in text
    assert "вт, 8 декември 2026, 17:30 ч." in text
    assert "Проект на акт" in text


def test_a_decided_consultation_shows_outcome_and_decision(sample_site: Path) -> None:
    url = "konsultatsii/aktualizatsia-na-plana-za-integrirano-razvitie-na-obshtina-asenovgrad-2021-2027"
    text = page_text(sample_site, url)
    assert "Прието решение" in text
    assert "№ 812" in text
    assert "Постъпили предложения" in text


def test_idea_news_and_pages_render_their_fields(sample_site: Path) -> None:
    ideas = page_text(sample_site, "idei")
    assert "И-2026-001" in ideas
    news = page_text(sample_site, "novini")
    assert "Покана за публично обсъждане на бюджета – 8 декември, 17:30 ч." in news
    assert news.index("Покана за публично обсъждане") < news.index("Стартира „Участвай“")  # newest first
    idea = page_text(sample_site, "idei/parking-na-myastoto-na-gradinkata-mezhdu-blokovete-v-kv-zapad")
    assert "Отхвърлена" in idea
    assert "Причина за отхвърляне" in idea
    about = page_text(sample_site, "za-platformata")
    assert "Примерно съдържание." in about
    accessibility = page_text(sample_site, "dostapnost")
    assert "Министерството на електронното управление" in accessibility


def test_every_consultation_state_has_a_filter_page(sample_site: Path) -> None:
    folders = {p.name for p in (sample_site / "konsultatsii").iterdir() if p.is_dir()}
    for state_slug in ("predstoyashti", "otvoreni", "zatvoreni", "sas-spravka", "s-reshenie", "ottegleni"):
        assert state_slug in folders
    open_list = page_text(sample_site, "konsultatsii/otvoreni")
    assert "2026-030" in open_list
    assert "2026-033" not in open_list


def test_the_home_page_shows_what_is_open_now_and_the_next_hearing(sample_site: Path) -> None:
    soup = read_html(sample_site, "index.html")
    open_section = soup.find(id="open-heading").parent
    assert len(open_section.select("li.card")) == 3
    hearings = soup.find(id="hearings-heading").parent.get_text(" ")
    assert "17:30" in hearings
    assert soup.html["lang"] == "bg"
