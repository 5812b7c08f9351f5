"""Slugs follow the official transliteration (Закон за транслитерацията)."""

import pytest

from uchastvai.slugs import slugify, transliterate


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
    slug = slugify("Наредба за изменение и допълнение на Наредбата за определянето и администрирането на местните такси")
    assert len(slug) <= 80
    assert not slug.endswith("-")
    assert slug.startswith("naredba-za-izmenenie-i-dopalnenie")


def test_text_without_letters_still_gives_a_slug() -> None:
    assert slugify("„“ – !") == "item"
