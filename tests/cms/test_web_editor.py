"""The web editor at /admin/, driven in Chromium as an editor would use it, against the local
backend (decap-server in Git mode) started by ``uchastvai.editors.editor`` on a copy of the content.

Each item is created entirely through the editor; the files it writes must pass the site's
check (the report page the editor sees), build, and show on the expected pages.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from tests.cms.decap import add, choose, control, fill, publish, upload
from tests.conftest import ROOT
from uchastvai.content.slugs import slugify
from uchastvai.editors import cms

SHOTS = ROOT / "docs" / "redaktori" / "snimki"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Editor:
    repo: Path
    output: Path
    url: str

    @property
    def content(self) -> Path:
        return self.repo / "content"

    def wait_for(self, relative: str, contains: str = "", seconds: float = 90) -> str:
        """Wait until the preview has rebuilt a page (after a save); return its text."""
        path = self.output / relative
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if path.is_file():
                text = path.read_text(encoding="utf-8")
                if contains in text:
                    return text
            time.sleep(0.5)
        raise AssertionError(f"{relative} was not rebuilt with {contains!r}")

    def report(self) -> BeautifulSoup:
        """The check's report page, written right after each rebuild."""
        text = self.wait_for(f"{cms.REPORT}/index.html", "</pre>")
        return BeautifulSoup(text, "html.parser")


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Editor]:
    """``uchastvai.editors.editor`` on a Git clone of a copy of the sample content (never content/ itself)."""
    base = tmp_path_factory.mktemp("editor")
    repo = base / "repo"
    shutil.copytree(ROOT / "content", repo / "content")
    git = ["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.invalid"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "Sample content"], check=True)
    port, proxy_port = free_port(), free_port()
    output = base / "output"
    log = (base / "editor.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uchastvai.editors.editor",
            str(repo),
            str(output),
            str(port),
            str(proxy_port),
            "2026-11-25T12:00",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while not (output / cms.REPORT / "index.html").is_file():
            assert process.poll() is None, (base / "editor.log").read_text(encoding="utf-8")
            assert time.monotonic() < deadline, "the editor did not start"
            time.sleep(0.3)
        yield Editor(repo, output, f"http://127.0.0.1:{port}")
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture
def admin(editor: Editor, browser: Any) -> Iterator[Any]:
    """A logged-in editor page; every request it makes is recorded."""
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="bg-BG")
    page.set_default_timeout(15000)
    page.requests = []
    page.blocked = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on(
        "console",
        lambda message: page.blocked.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.goto(f"{editor.url}/admin/")
    page.get_by_role("button", name="Вход").click()
    page.get_by_text("Обществени консултации").first.wait_for()
    yield page
    assert page.blocked == [], "the editor works under its Content-Security-Policy"
    page.close()


def new_entry(page: Any, editor: Editor, collection: str) -> None:
    page.goto(f"{editor.url}/admin/#/collections/{collection}/new")
    control(page, "Заглавие").wait_for()


def saved(editor: Editor, folder: str, name: str, seconds: float = 30) -> str:
    path = editor.content / folder / name
    deadline = time.monotonic() + seconds
    while not path.is_file():
        assert time.monotonic() < deadline, f"{folder}/{name} was not written"
        time.sleep(0.3)
    return path.read_text(encoding="utf-8")


def shot(page: Any, name: str) -> None:
    """Screenshots for the guide, made by the same steps it describes.

    ``UCHASTVAI_GUIDE_SCREENSHOTS=1`` writes them into docs/redaktori/snimki/ (then commit them);
    otherwise into the test's folder, so that a test run leaves the working tree clean.
    """
    folder = SHOTS if os.environ.get("UCHASTVAI_GUIDE_SCREENSHOTS") == "1" else Path(tempfile.gettempdir())
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name))


def assert_check_passed(editor: Editor, name: str) -> None:
    report = editor.report().select_one("pre.check-report")
    assert report["data-state"] == "ok", report.get_text()
    assert "Грешка" not in report.get_text()


# --------------------------------------------------------------------------- the configuration


def test_admin_page_uses_only_the_bundled_editor_and_the_public_pages_do_not(editor: Editor, admin: Any) -> None:
    admin.goto(f"{editor.url}/admin/#/collections/consultations")
    admin.get_by_text("2026-029").first.wait_for()
    shot(admin, "01-spisak.png")
    foreign = [url for url in admin.requests if not url.startswith((editor.url, "data:", "blob:"))]
    proxy = [url for url in foreign if re.match(r"^http://127\.0\.0\.1:\d+/api/v1$", url)]
    assert proxy, "the editor talks to the local proxy"
    assert sorted(set(foreign) - set(proxy)) == []
    for page in editor.output.rglob("*.html"):
        if cms.ADMIN not in page.relative_to(editor.output).parts:
            assert "decap-cms" not in page.read_text(encoding="utf-8"), page


# --------------------------------------------------------------------------- creating items


def test_a_consultation_with_two_documents_and_a_hearing(editor: Editor, admin: Any, tmp_path: Path) -> None:
    # Different contents: Decap tells the files of one entry apart by their contents.
    (tmp_path / "proekt-naredba-zeleni-ploshti.pdf").write_bytes(PDF + b"%proekt\n")
    (tmp_path / "motivi-zeleni-ploshti.pdf").write_bytes(PDF + b"%motivi\n")
    new_entry(admin, editor, "consultations")
    fill(admin, "Заглавие", "Наредба за зелените площи")
    fill(admin, "Резюме", "Нови правила за поддръжката на парковете и градинките.")
    fill(admin, "Номер", "2026-041")
    choose(admin, "Вид", "Наредба или друг нормативен акт")
    fill(admin, "Засегнат акт", "Наредба за зелените площи")
    fill(admin, "Отговорно звено", "Дирекция „Устройство на територията“")
    contact = add(admin, "Лица за контакт")
    fill(contact, "Име", "Мария Петрова")
    fill(contact, "Имейл", "m.petrova@asenovgrad.example")
    fill(admin, "Дата на публикуване", "2026-11-20")
    fill(admin, "Предложения до", "2026-12-20")
    fill(admin, "По имейл", "obshtina@asenovgrad.example")
    for kind, title, file in (
        ("Проект на акт", "Проект на наредбата", "proekt-naredba-zeleni-ploshti.pdf"),
        ("Мотиви / доклад", "Мотиви към проекта", "motivi-zeleni-ploshti.pdf"),
    ):
        document = add(admin, "Документи")
        choose(document, "Вид на документа", kind)
        fill(document, "Заглавие на документа", title)
        upload(document, "Файл", tmp_path / file)
    hearing = add(admin, "Обществени обсъждания")
    fill(hearing, "Начало", "2026-12-03T18:00")
    fill(hearing, "Място", "Заседателна зала на Общината")
    fill(hearing, "Адрес", "бул. „България“ № 19")
    shot(admin, "02-nova-konsultatsia.png")
    publish(admin)

    text = saved(editor, "consultations", "2026-041.md")
    assert "documents/proekt-naredba-zeleni-ploshti.pdf" in text
    assert (editor.content / "documents" / "motivi-zeleni-ploshti.pdf").read_bytes() == PDF + b"%motivi\n"
    assert '""' not in text and "[]" not in text, "empty fields are left out of the file"
    page = editor.wait_for(f"konsultatsii/{slugify('Наредба за зелените площи')}/index.html")
    assert_check_passed(editor, "2026-041")
    soup = BeautifulSoup(page, "html.parser")
    assert "Проект на наредбата" in soup.get_text() and "Мотиви към проекта" in soup.get_text()
    assert soup.select_one("a[href$='/documents/proekt-naredba-zeleni-ploshti.pdf']")
    assert "Заседателна зала на Общината" in soup.get_text()
    assert "Наредба за зелените площи" in editor.wait_for("konsultatsii/index.html")
    log = subprocess.run(
        ["git", "-C", str(editor.repo), "log", "--format=%s"], check=True, capture_output=True, encoding="utf-8"
    )
    assert "2026-041" in log.stdout, "every save is a commit"

    # Correct it: the summary changes on the page, the address stays.
    admin.goto(f"{editor.url}/admin/#/collections/consultations/entries/2026-041")
    fill(admin, "Резюме", "Поправено резюме: нови правила за парковете.")
    publish(admin)
    editor.wait_for(f"konsultatsii/{slugify('Наредба за зелените площи')}/index.html", "Поправено резюме")


def test_a_2021_2027_project_with_milestones(editor: Editor, admin: Any) -> None:
    new_entry(admin, editor, "projects")
    fill(admin, "Заглавие", "Енергийно обновяване на детска градина „Славейче“")
    fill(admin, "Резюме", "Топлоизолация, нова дограма и слънчеви панели.")
    fill(admin, "Код на проекта", "BG16FFPR002-4.001-0077-C01")
    fill(admin, "Програма", "Програма „Развитие на регионите“ 2021-2027")
    choose(admin, "Програмен период", "2021-2027")
    choose(admin, "Фонд", "Европейски фонд за регионално развитие")
    fill(admin, "Бенефициент", "Община Асеновград")
    fill(admin, "Номер на договора", "BG16FFPR002-4.001-0077-C01")
    fill(admin, "Дата на договора", "2026-06-15")
    fill(admin, "Начало", "2026-07-01")
    fill(admin, "Край", "2027-12-31")
    for label, value in (
        ("Валута", "EUR"),
        ("Обща стойност", "850000.00"),
        ("БФП: дял от ЕС", "722500.00"),
        ("БФП: национален дял", "127500.00"),
        ("Собствено съфинансиране", "0"),
        ("Изплатено до момента", "170000.00"),
    ):
        fill(admin, label, value)
    for date, title in (("2026-07-01", "Започване на строителството"), ("2027-10-31", "Въвеждане в експлоатация")):
        milestone = add(admin, "Етапи")
        fill(milestone, "Дата", date)
        fill(milestone, "Етап", title)
    fill(admin, "Последна актуализация", "2026-11-20")
    publish(admin)

    text = saved(editor, "projects", "bg16ffpr002-4-001-0077-c01.md")
    assert "period: 2021-2027" in text
    page = editor.wait_for(f"proekti/{slugify('Енергийно обновяване на детска градина „Славейче“')}/index.html")
    assert_check_passed(editor, "bg16ffpr002")
    assert "Въвеждане в експлоатация" in page and "Започване на строителството" in page


def test_an_idea(editor: Editor, admin: Any) -> None:
    new_entry(admin, editor, "ideas")
    fill(admin, "Заглавие", "Пейки и сянка на спирките в Тополово")
    fill(admin, "Резюме", "Навеси и пейки на трите спирки в селото.")
    fill(admin, "Номер", "И-2026-010")
    fill(admin, "Постъпила на", "2026-11-18")
    fill(admin, "Територия", "Тополово")
    fill(admin, "Категория", "Благоустройство")
    choose(admin, "Състояние", "Постъпила")
    publish(admin)

    text = saved(editor, "ideas", "i-2026-010.md")
    assert "id: И-2026-010" in text and "proposer: гражданин" in text
    page = editor.wait_for(f"idei/{slugify('Пейки и сянка на спирките в Тополово')}/index.html")
    assert_check_passed(editor, "i-2026-010")
    assert "Тополово" in page


def test_a_news_item_with_a_picture(editor: Editor, admin: Any, tmp_path: Path) -> None:
    Image.new("RGB", (64, 48), (40, 120, 60)).save(tmp_path / "spirka-topolovo.png")
    new_entry(admin, editor, "news")
    fill(admin, "Заглавие", "Нови пейки на спирките")
    fill(admin, "Резюме", "Първата спирка вече има навес.")
    fill(admin, "Дата", "2026-11-24")
    picture = add(admin, "Изображения")
    upload(picture, "Файл с изображение", tmp_path / "spirka-topolovo.png")
    fill(picture, "Алтернативен текст", "Нов навес с пейка на спирката в Тополово")
    shot(admin, "03-novina-sas-snimka.png")
    publish(admin)

    text = saved(editor, "news", "2026-11-24.md")
    assert "file: images/spirka-topolovo.png" in text
    page = editor.wait_for(f"novini/{slugify('Нови пейки на спирките')}/index.html")
    assert_check_passed(editor, "2026-11-24")
    soup = BeautifulSoup(page, "html.parser")
    assert soup.select_one("img[alt='Нов навес с пейка на спирката в Тополово']")


def test_a_required_field_left_empty_is_refused(editor: Editor, admin: Any) -> None:
    new_entry(admin, editor, "ideas")
    fill(admin, "Резюме", "Без заглавие.")
    before = sorted(path.name for path in (editor.content / "ideas").iterdir())
    admin.get_by_role("button", name="Публикувай").first.click()
    admin.get_by_text("Публикувай сега", exact=True).click()
    admin.get_by_text("пропуснахте задължително поле").wait_for()
    shot(admin, "04-zadalzhitelno-pole.png")
    errors = admin.locator("[aria-label^='поле „'] li").all_inner_texts()
    assert "ЗАГЛАВИЕ Е ЗАДЪЛЖИТЕЛНО." in [error.upper() for error in errors], errors
    assert sorted(path.name for path in (editor.content / "ideas").iterdir()) == before


def test_a_hand_written_file_keeps_its_values_when_saved_from_the_editor(editor: Editor, admin: Any) -> None:
    """yes/no, amounts and dates written by hand come back as they were; only the change differs."""
    name = "blagoustroyavane-kraerechni-prostranstva-asenitsa"
    before = (editor.content / "projects" / f"{name}.md").read_text(encoding="utf-8")
    admin.goto(f"{editor.url}/admin/#/collections/projects/entries/{name}")
    control(admin, "Резюме").wait_for()
    fill(admin, "Резюме", "Обновени алеи, осветление и площадки по двата бряга на реката.")
    publish(admin)

    page = editor.wait_for(
        f"proekti/{slugify('Благоустрояване на крайречните пространства на р. Асеница в Асеновград')}/index.html",
        "Обновени алеи, осветление",
    )
    after = (editor.content / "projects" / f"{name}.md").read_text(encoding="utf-8")
    assert after.count("done: yes") == before.count("done: yes") == 4
    assert after.count("done: no") == before.count("done: no") == 3
    assert "sample: yes" in after
    assert_check_passed(editor, name)
    assert "Обновени алеи" in page
