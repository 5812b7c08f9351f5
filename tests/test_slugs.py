"""Slugs follow the official transliteration (Закон за транслитерацията)."""

import pytest

from uchastvai.content.slugs import item_slug, slugify, transliterate


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Асеновград", "asenovgrad"),
        ("Бачково", "bachkovo"),
        ("Горни Воден", "gorni-voden"),
        ("Катуница", "katunitsa"),
        ("„Общинска програма за опазване на околната среда“", "obshtinska-programa-za-opazvane-na-okolnata-sreda"),
        ("Нареченски бани", "narechenski-bani"),
        ("Щръклево", "shtraklevo"),
        ("Жълт юлски ябълков чай", "zhalt-yulski-yabalkov-chay"),
        ("Бюджет 2027", "byudzhet-2027"),
    ],
)
def test_real_names_become_official_latin_slugs(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_word_final_ia_becomes_ia_but_not_inside_a_word() -> None:
    assert transliterate("София") == "Sofia"
    assert transliterate("Мария Илиева") == "Maria Ilieva"
    assert transliterate("Ияна") == "Iyana"


def test_transliteration_keeps_case() -> None:
    assert transliterate("Шумен ЩИТ") == "Shumen SHTIT"


def test_long_titles_are_cut_at_a_word_boundary() -> None:
    slug = slugify(
        "Наредба за изменение и допълнение на Наредбата за определянето и администрирането на местните такси"
    )
    assert len(slug) <= 80
    assert not slug.endswith("-")
    assert slug.startswith("naredba-za-izmenenie-i-dopalnenie")


def test_text_without_letters_still_gives_a_slug() -> None:
    assert slugify("„“ – !") == "item"


def test_dashes_between_numbers_separate_words() -> None:
    assert slugify("План за интегрирано развитие 2021–2027") == "plan-za-integrirano-razvitie-2021-2027"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Бачко\u0300во", "bachkovo"),  # a stress mark does not split the word
        ("Бачково", "bachkovo"),
        ("Бачкое\u0306во", "bachkoevo"),  # a stray breve is dropped, the letters stay
        ("Йордан и Йо\u0301рдан", "yordan-i-yordan"),  # й keeps its own letter; é-like marks go
        ("Тя ѝ каза", "tya-i-kaza"),  # ѝ (U+045D) is и with a grave
        ("Caf\u00e9 „Център“", "cafe-tsentar"),
    ],
)
def test_combining_marks_never_split_or_drop_letters(title: str, slug: str) -> None:
    assert slugify(title) == slug


@pytest.mark.parametrize("title", ["🌳🌳🌳", "Ελιά", "«»", "   "])
def test_a_title_without_latin_or_cyrillic_letters_takes_the_items_number(title: str) -> None:
    assert item_slug(title, "И-2026-014") == "i-2026-014"
    assert item_slug(title, "BG16RFOP001-8.006-0008-C01") == "bg16rfop001-8-006-0008-c01"
    assert item_slug("Парк", "2026-014") == "park"
