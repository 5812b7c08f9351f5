"""Every kind of editor mistake gets its exact Bulgarian message (tests/broken/, one defect per file).

All broken files are built together with a small valid site, as an editor would
meet them: one report listing every problem of every file, and no output written.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, build_site
from uchastvai.plugin import ContentInvalid

BROKEN = Path(__file__).parent / "broken"

EXPECTED: dict[str, list[str]] = {
    "consultations/broken-indentation.md": [
        "Грешка, ред 10: заглавната част не може да бъде прочетена от този ред нататък; проверете отстъпите, двоеточията и кавичките.",
    ],
    "consultations/budget-hearing-announced-too-late.md": [
        "Грешка, ред 14, поле „Обществени обсъждания › № 1 › Начало“ (hearings.0.start): обсъждането е обявено 4 дни преди провеждането му; обсъждане на бюджета трябва да се обяви поне 7 дни предварително (ЗПФ, чл. 84).",
    ],
    "consultations/closes-before-opens.md": [
        "Грешка, ред 12, поле „Предложения до“ (closes): „2026-11-01“ не може да бъде преди 2026-11-10.",
    ],
    "consultations/contact-without-email-or-phone.md": [
        "Грешка, ред 9, поле „Лица за контакт › № 1“ (contacts.0): за контакта няма нито имейл, нито телефон; посочете поне едно от двете.",
    ],
    "consultations/date-in-bulgarian-order.md": [
        "Грешка, ред 12, поле „Предложения до“ (closes): намерено „10.12.2026“; очаква се дата във вида ГГГГ-ММ-ДД, напр. 2026-03-15.",
    ],
    "consultations/date-that-does-not-exist.md": [
        "Грешка, ред 11, поле „Дата на публикуване“ (opens): намерено „2026-02-30“; такава дата не съществува в календара.",
    ],
    "consultations/document-file-missing.md": [
        "Грешка, ред 18, поле „Документи › № 1 › Файл“ (documents.0.file): файлът „documents/2026-116/proekt.pdf“ не съществува в content/.",
    ],
    "consultations/field-written-twice.md": [
        "Грешка, ред 8: полето unit е записано два пъти; оставете едно.",
    ],
    "consultations/hearing-time-in-words.md": [
        "Грешка, ред 14, поле „Обществени обсъждания › № 1 › Начало“ (hearings.0.start): намерено „2026-12-03 6 вечерта“; очакват се дата и час във вида ГГГГ-ММ-ДД ЧЧ:ММ, напр. 2026-03-14 18:00.",
    ],
    "consultations/id-without-three-digits.md": [
        "Грешка, ред 2, поле „Номер“ (id): намерено „2026-14“; очакват се година и номер, напр. 2026-014.",
    ],
    "consultations/invalid-email.md": [
        "Грешка, ред 14, поле „Начини за подаване на предложения › По имейл“ (respond.email): намерено „konsultatsii(at)primerno.example“; очаква се имейл адрес, напр. name@example.bg.",
    ],
    "consultations/missing-title.md": [
        "Грешка, поле „Заглавие“ (title): липсва задължително поле.",
    ],
    "consultations/misspelt-field.md": [
        "Грешка, ред 13, поле „deadline“ (deadline): непознато поле deadline; проверете изписването (имената на полетата са в образеца).",
    ],
    "consultations/more-accepted-than-received.md": [
        "Грешка, ред 15, поле „Резултат“ (outcome): приетите предложения са повече от постъпилите.",
    ],
    "consultations/no-front-matter.md": [
        "Грешка, ред 1: файлът няма заглавна част (front matter): трябва да започва с ред --- , след него полетата и още един ред ---.",
    ],
    "consultations/number-used-twice.md": [
        "Грешка, ред 2, поле „Номер“ (id): „2026-001“ се използва и в content/consultations/2026-001-naredba.md; номерата и кодовете трябва да са уникални.",
    ],
    "consultations/period-of-13-days.md": [
        "Грешка, ред 12, поле „Предложения до“ (closes): срокът за предложения е 13 дни; законът изисква поне 14 дни, по правило 30 (ЗНА, чл. 26, ал. 4).",
    ],
    "consultations/report-date-without-report.md": [
        "Грешка, ред 18, поле „Резултат › Справката е публикувана на“ (outcome.report_date): попълнено е полето report_date, но не е приложен документ от вид report (справка).",
    ],
    "consultations/short-period-without-reason.md": [
        "Грешка, ред 12, поле „Предложения до“ (closes): срокът за предложения е 20 дни; при срок под 30 дни причините трябва да се посочат в short_period_reason (ЗНА, чл. 26, ал. 4).",
    ],
    "consultations/unknown-kind.md": [
        "Грешка, ред 5, поле „Вид“ (kind): намерено „naredba“; очаква се една от стойностите: regulation, budget, strategy, other.",
    ],
    "consultations/without-impact-assessment.md": [
        "Предупреждение, ред 15, поле „Документи“ (documents): не е приложен документ от вид impact_assessment (предварителна оценка на въздействието) (ЗНА, чл. 26, ал. 3).",
    ],
    "ideas/accepted-unknown-project.md": [
        "Грешка, ред 9, поле „Произтекъл проект“ (project): не съществува проект с код „BG16FFPR003-2.001-9999-C01“.",
    ],
    "ideas/number-without-prefix.md": [
        "Грешка, ред 2, поле „Номер“ (id): намерено „2026-013“; очакват се И-, година и номер, напр. И-2026-003.",
    ],
    "ideas/rejected-without-reason.md": [
        "Грешка, ред 8, поле „Състояние“ (state): идеята е отхвърлена; посочете причината в rejection_reason.",
    ],
    "news/link-to-missing-document.md": [
        "Грешка, ред 6: текстът съдържа връзка към „/documents/2026-001/proekt-v2.pdf“, която не съществува; проверете името на файла след {static} или {filename}.",
    ],
    "news/related-to-unknown-item.md": [
        "Грешка, ред 6, поле „Свързани › № 1“ (related.0): не съществува консултация или проект с номер или код „2026-999“.",
    ],
    "news/without-date.md": [
        "Грешка, поле „Дата“ (date): липсва задължително поле.",
    ],
    "pages/image-without-alt.md": [
        "Грешка, ред 6, поле „Изображения › № 1 › Алтернативен текст“ (images.0.alt): липсва задължително поле.",
    ],
    "pages/slug-with-capitals-and-spaces.md": [
        "Грешка, ред 4, поле „Адрес (slug)“ (slug): намерено „Za Nas“; очакват се малки латински букви, цифри и тирета, напр. budzhet-2027.",
    ],
    "projects/amount-with-comma-thousands.md": [
        "Грешка, ред 16, поле „Бюджет › Обща стойност“ (budget.total): намерено „500,000.00“; очаква се сума, напр. 179740.00 или 179 740,00.",
    ],
    "projects/code-not-in-isun-format.md": [
        "Грешка, ред 2, поле „Код на проекта“ (code): намерено „BG16FFPR003-2.1-101“; очаква се код във формата на ИСУН, напр. BG16RFOP001-8.006-0008-C01.",
    ],
    "projects/end-before-start.md": [
        "Грешка, ред 13, поле „Край“ (end): „2025-01-31“ не може да бъде преди 2025-04-01.",
    ],
    "projects/money-off-by-a-cent.md": [
        "Грешка, ред 16, поле „Бюджет › Обща стойност“ (budget.total): БФП (ЕС 400\xa0000,00 + национално финансиране 50\xa0000,00) + собствено съфинансиране 50\xa0000,01 = 500\xa0000,01, но общата стойност е 500\xa0000,00.",
    ],
    "projects/paid-more-than-total.md": [
        "Грешка, ред 20, поле „Бюджет › Изплатено до момента“ (budget.paid): изплатеното до момента 500\xa0000,50 е повече от общата стойност 500\xa0000,00.",
    ],
    "belezhki/spisak.txt": [
        "Предупреждение: файлът е в content/belezhki/, която сайтът не чете, затова не се публикува; преместете го в една от папките в content/: consultations, projects, ideas, news, pages, documents, images.",
    ],
    "chernova/2026-160-naredba.md": [
        "Предупреждение: файлът е в content/chernova/, която сайтът не чете, затова не се публикува; по полетата му личи къде е мястото му: преместете го в content/consultations/.",
    ],
    "consultations/control-characters.md": [
        "Предупреждение, ред 3: от този ред е премахнат невидим управляващ знак (U+000B); проверете текста там.",
        "Предупреждение, ред 26: от този ред е премахнат невидим управляващ знак (U+0000); проверете текста там.",
    ],
    "consultations/hearing-after-the-period.md": [
        "Предупреждение, ред 16, поле „Обществени обсъждания › № 1 › Начало“ (hearings.0.start): обсъждането на 2026-12-15 18:00 е извън срока за предложения (2026-11-10 – 2026-12-10); проведете го, докато се приемат предложения (ЗНА, чл. 26, ал. 4).",
    ],
    "consultations/misspelt-closes.md": [
        "Грешка, поле „Предложения до“ (closes): липсва задължително поле.",
        "Грешка, ред 12, поле „closses“ (closses): непознато поле closses; вероятно имате предвид closes.",
    ],
    "consultations/saved-in-windows-1251.md": [
        "Грешка, ред 3: файлът не е записан в UTF-8, вероятно е в Windows-1251, затова не може да бъде прочетен; в Notepad изберете File › Save As (Файл › Запиши като), за Encoding (Кодиране) изберете UTF-8 и запишете; в Word изберете File › Save As, тип Plain Text (Обикновен текст), после кодиране Unicode (UTF-8), и запазете името да завършва на .md.",
    ],
    "news/consultation-in-the-news-folder.md": [
        "Грешка, ред 1: полетата в този файл са на друг вид съдържание (обществена консултация), затова от тази папка той не се публикува; преместете го в content/consultations/.",
    ],
    "news/saved-as-text.md.txt": [
        "Предупреждение: името „saved-as-text.md.txt“ има излишно окончание (Windows често го скрива), затова сайтът не чете файла; преименувайте го на „saved-as-text.md“.",
    ],
    "news/template-text-left-in.md": [
        "Грешка, ред 3, поле „Резюме“ (summary): „Едно-две изречения за гражданите.“ е примерна стойност от образеца; преди публикуване запишете истинската (или оставете draft: yes).",
        "Грешка, ред 6: „Тук напишете пълния текст. Заглавията започват с ##, а списъците с - .“ е текст от образеца за нов файл; заменете го преди публикуване (или оставете draft: yes).",
    ],
    "news/written-in-word.docx": [
        "Предупреждение: „written-in-word.docx“ е документ на Word или LibreOffice, който сайтът не може да публикува като страница; създайте нов файл с ./dev.sh new и копирайте текста в него, а ако документът е за изтегляне, преместете го в content/documents/ и го впишете в documents: на материала.",
    ],
    "pages/alias-of-another-page.md": [
        "Грешка, ред 5, поле „Стари адреси › № 1“ (aliases.0): старият адрес „za-platformata“ е и адрес на content/pages/za-platformata.md; махнете го от aliases или променете другия.",
    ],
    "pages/alias-outside-the-site.md": [
        "Грешка, ред 5, поле „Стари адреси › № 1“ (aliases.0): „../../index“ не е адрес в този сайт; запишете предишен адрес (slug), напр. budzhet-2027, без / и .. в него.",
    ],
    "pages/body-image-without-alt.md": [
        "Предупреждение, ред 7: изображението „gerb.svg“ в текста няма алтернативен текст; опишете го в квадратните скоби: ![описание](файл) (WCAG 2.1, критерий 1.1.1).",
    ],
    "pages/notes-for-the-page.txt": [
        "Предупреждение: „notes-for-the-page.txt“ е файл .txt, който сайтът не чете; преименувайте го на „notes-for-the-page.md“ (с полетата между два реда --- в началото).",
    ],
    "pages/title-that-is-a-section.md": [
        "Грешка, ред 2, поле „Заглавие“ (title): адресът „novini/“ е папка на самия сайт; задайте друг slug.",
    ],
    "news/slug-of-a-list-page.md": [
        "Грешка, ред 5, поле „Адрес (slug)“ (slug): адресът „novini/page/“ е папка на самия сайт; задайте друг slug.",
    ],
    "pages/image-that-is-not-an-image.md": [
        "Грешка, ред 6, поле „Изображения › № 1 › Файл с изображение“ (images.0.file): изображението „images/povredena-snimka.jpg“ не може да бъде отворено; запишете го отново като JPEG или PNG.",
    ],
    "pages/slug-outside-the-site.md": [
        "Грешка, ред 4, поле „Адрес (slug)“ (slug): намерено „../../etc“; очакват се малки латински букви, цифри и тирета, напр. budzhet-2027.",
    ],
    "projects/code-of-2014-2020-under-2021-2027.md": [
        "Грешка, ред 6, поле „Програмен период“ (period): кодът BG16RFOP001-1.001-0131-C01 е на програма от периода 2014-2020, а програмният период е 2021-2027; емблемата на ЕС и текстът за финансирането на страницата зависят от периода (Рег. (ЕС) 1303/2013, Приложение XII; Рег. (ЕС) 2021/1060, чл. 47 и 50).",
    ],
    "projects/code-without-contract-suffix.md": [
        "Грешка, ред 2, поле „Код на проекта“ (code): намерено „BG16FFPR003-2.001-0130“; кодът на проект с договор завършва с номера на договора от ИСУН, напр. -C01 (BG16RFOP001-8.006-0008-C01).",
    ],
    "projects/indicator-ten-times-the-target.md": [
        "Предупреждение, ред 25, поле „Индикатори › № 1 › Постигнато“ (indicators.0.achieved): постигнатата стойност 120.5 е над десет пъти по-голяма от целевата 12; проверете за грешка при писане (излишна нула?).",
    ],
    "projects/zero-total.md": [
        "Грешка, ред 16, поле „Бюджет › Обща стойност“ (budget.total): сумата е 0,00 както в образеца за нов файл; преди публикуване запишете сумата по договора (или оставете draft: yes).",
    ],
    "projects/unknown-programme-period.md": [
        "Грешка, ред 6, поле „Програмен период“ (period): намерено „2021-2028“; очаква се една от стойностите: 2007-2013, 2014-2020, 2021-2027, national.",
    ],
}


# Files that broken items link to (a damaged image): copied with the corpus, not themselves content.
LINKED = BROKEN / "images"


def broken_files() -> list[Path]:
    """Every file of the corpus: Markdown, and the files an editor might leave beside it."""
    return sorted(path for path in BROKEN.rglob("*") if path.is_file() and LINKED not in path.parents)


@pytest.fixture(scope="module")
def failed_build(tmp_path_factory: pytest.TempPathFactory) -> ContentInvalid:
    """The small site plus every broken file; the build must stop with a report."""
    folder = tmp_path_factory.mktemp("broken")
    content = folder / "content"
    shutil.copytree(FIXTURES / "site" / "content", content)
    for broken in broken_files() + sorted(LINKED.rglob("*")):
        (content / broken.relative_to(BROKEN)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(broken, content / broken.relative_to(BROKEN))
    with pytest.raises(ContentInvalid) as stopped:
        build_site(content, folder / "output")
    assert not (folder / "output").exists()
    return stopped.value


def problems_by_file(failure: ContentInvalid) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in sorted(failure.problems, key=lambda p: (p.line or 0, p.code)):
        found.setdefault(problem.source.removeprefix("content/"), []).append(problem.render())
    return found


def test_the_corpus_has_at_least_25_files_each_with_an_expectation() -> None:
    files = sorted(str(path.relative_to(BROKEN)) for path in broken_files())
    assert len(files) >= 25
    assert files == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_broken_file_gets_its_exact_message(failed_build: ContentInvalid, name: str) -> None:
    assert sorted(problems_by_file(failed_build).get(name, [])) == sorted(EXPECTED[name])


def test_the_valid_files_beside_them_have_no_problem(failed_build: ContentInvalid) -> None:
    assert set(problems_by_file(failed_build)) == set(EXPECTED)


def test_the_report_lists_everything_at_once_with_a_summary(failed_build: ContentInvalid) -> None:
    first_line = failed_build.report.splitlines()[0]
    assert first_line == "Проверка на съдържанието: 49 грешки, 11 предупреждения в 57 файла."
    for name, messages in EXPECTED.items():
        assert f"content/{name}" in failed_build.report
        for message in messages:
            assert message in failed_build.report
