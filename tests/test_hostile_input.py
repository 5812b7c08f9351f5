"""Property: whatever text editors write, the site builds and every output stays valid and inert.

Hypothesis puts arbitrary Unicode (markup, quotes, ``</script>``, control characters,
right-to-left marks, combining marks, emoji, very long strings) into every free-text
field of every content type, and into the Markdown bodies. Which fields those are is
read from :mod:`uchastvai.content.schema` (every field declared as ``Text``, in every nested
group and list), so a new field is fuzzed as soon as it is declared; the valid items
below only provide the structure (dates, amounts, codes) around the text, and a test
fails when they leave a declared text field out.

Each example builds a small site in-process (no slide images, no search index) and
checks: the build ends without a traceback; every HTML page parses and contains no
element or attribute that came from the input (the inputs carry ``<x-evil>`` elements
and ``onevil`` attributes); each item's title reaches its page as text; every feed
parses without errors (feedparser, no bozo) and its entries carry no such markup; every
calendar parses (icalendar); every JSON file and the sitemap parse; every item's address
is ASCII, non-empty and its own; every link into the site points at a file that exists.

CI runs a few examples (profile ``ci``). To search longer, choose the ``long`` profile::

    UCHASTVAI_HYPOTHESIS=long .venv/bin/pytest tests/test_hostile_input.py -n 0 -x

(Hypothesis keeps failing examples in ``.hypothesis/`` and tries them first next time.)
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import tempfile
import types
import typing
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree

import feedparser
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from pydantic import BaseModel

from tests.conftest import BUILD_TIME, FIXTURES, SETTINGS, isolated
from uchastvai.build import build
from uchastvai.content import schema
from uchastvai.content.schema import CONTENT_TYPES
from uchastvai.plugin import ContentInvalid

# CI: a dozen sites, no shrinking (each step is a build; the failing example is printed as found).
settings.register_profile(
    "ci",
    max_examples=12,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = os.environ.get("UCHASTVAI_HYPOTHESIS", "ci")

SITEURL = "https://uchastvai.primerno.example"
EVIL_TAG = "x-evil"
EVIL_ATTRIBUTE = "onevil"

# --------------------------------------------------------------------------- what editors might write

PIECES = [
    f"<{EVIL_TAG}>",
    f"</{EVIL_TAG}>",
    f'<b {EVIL_ATTRIBUTE}="1">',
    f"<img src=x {EVIL_ATTRIBUTE}=1>",
    f"<svg><{EVIL_TAG} {EVIL_ATTRIBUTE}='1'/></svg>",
    "<script>alert(1)</script>",
    "</script>",
    "</title>",
    "</textarea>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    '"',
    "'",
    "`",
    "&",
    "&amp;",
    "&lt;",
    "&#x3c;",
    "{{ 7*7 }}",
    "{% endblock %}",
    "%(name)s",
    "%s",
    "{title}",
    "\\",
    "javascript:alert(1)",
    "\u202e",  # right-to-left override
    "\u200f",  # right-to-left mark
    "שלום",
    "مرحبا",
    "\u0301",  # combining acute accent
    "Бачко̀во",
    "\u200b",  # zero-width space
    "\ufeff",
    "😀",
    "\U0001f1e7\U0001f1ec",
    "👩\u200d👩\u200d👧",
    "\x00",
    "\x01",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\r\n",
    "\t",
    "- ",
    ": ",
    "# ",
    "---",
    "И-2026-001",
    "../",
]
_VISIBLE = ("L", "N", "P", "S")


def _visible(text: str) -> bool:
    """Pydantic's ``Text`` needs something left after whitespace and control characters are gone."""
    return any(unicodedata.category(char)[0] in _VISIBLE for char in text)


_any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
_short = st.lists(st.one_of(st.sampled_from(PIECES), _any_text), min_size=1, max_size=8).map("".join)
_long = st.tuples(st.sampled_from([300, 3000]), _short).map(
    lambda pair: ((pair[1] + " Дълъг текст ") * 3000)[: pair[0]]
)
HOSTILE_TEXT = st.one_of(_short, _short, _short, _long).filter(_visible)

# --------------------------------------------------------------------------- valid items around the text

IMAGE = {"file": "images/gerb.svg", "alt": "Герб", "caption": "Подпис"}


def _documents(prefix: str, *kinds: str) -> list[dict[str, str]]:
    return [
        {"type": kind, "title": kind, "url": f"https://primerno.example/{prefix}-{kind}.pdf", "date": "2026-09-01"}
        for kind in kinds
    ]


CONSULTATION: dict[str, Any] = {
    "id": "2026-014",
    "title": "Наредба",
    "summary": "Кратко",
    "kind": "regulation",
    "act": "Наредба за реда",
    "unit": "Дирекция",
    "contacts": [{"name": "Мария", "role": "експерт", "email": "m@primerno.example", "phone": "0700 1 00 00"}],
    "opens": "2026-11-10",
    "closes": "2026-11-30",
    "short_period_reason": "Спешност",
    "respond": {
        "email": "k@primerno.example",
        "post": "Поща",
        "in_person": "Гише",
        "strategy_bg": "https://strategy.bg/x",
    },
    "hearings": [
        {
            "start": "2026-11-27 18:00",
            "end": "2026-11-27 20:00",
            "place": "Зала",
            "address": "ул. Първа",
            "accessibility": "Без стъпала",
            "online": "https://video.primerno.example/a",
            "announced": "2026-11-12",
        }
    ],
    "documents": _documents("a", "draft", "motives", "impact_assessment"),
    "images": [IMAGE],
    "area": "Село",
}
CLOSED = {
    **copy.deepcopy(CONSULTATION),
    "id": "2026-002",
    "opens": "2026-08-01",
    "closes": "2026-09-05",
    "short_period_reason": None,
    "hearings": [],
    "documents": _documents("b", "draft", "motives", "impact_assessment", "report", "decision"),
    "outcome": {
        "proposals_received": "5",
        "proposals_accepted": "2",
        "report_date": "2026-09-10",
        "decision": {"number": "812", "date": "2026-09-25", "url": "https://primerno.example/r/812"},
    },
}
WITHDRAWN = {
    **copy.deepcopy(CONSULTATION),
    "id": "2026-003",
    "opens": "2026-11-01",
    "closes": "2026-12-05",
    "short_period_reason": None,
    "hearings": [],
    "withdrawn": {"date": "2026-11-20", "reason": "Причина"},
}
PROJECT: dict[str, Any] = {
    "code": "BG16RFOP001-8.006-0008-C01",
    "title": "Проект",
    "summary": "Кратко",
    "programme": "ОП „Региони в растеж“ 2014-2020",
    "period": "2014-2020",
    "procedure": "Процедура",
    "fund": "ERDF",
    "beneficiary": "Община",
    "partners": ["Партньор"],
    "contract": {"number": "BG16RFOP001-8.006-0008-C01", "date": "2024-07-01"},
    "start": "2024-07-01",
    "end": "2027-06-30",
    "budget": {
        "currency": "BGN",
        "total": "179740.00",
        "grant_eu": "152779.00",
        "grant_national": "26961.00",
        "own": "0",
        "paid": "100000",
    },
    "locations": [{"name": "Място", "address": "Адрес", "lat": "42.0117", "lon": "24.8722"}],
    "aims": ["Цел"],
    "activities": ["Дейност"],
    "results": ["Резултат"],
    "indicators": [{"name": "Показател", "unit": "бр.", "target": "10", "achieved": "4"}],
    "milestones": [{"date": "2025-06-01", "title": "Етап", "done": "yes"}, {"date": "2027-01-01", "title": "Етап"}],
    "documents": _documents("p", "contract"),
    "images": [IMAGE],
    "updated": "2026-11-01",
    "area": "Село",
}
TERMINATED = {
    **copy.deepcopy(PROJECT),
    "code": "BG16RFOP001-8.006-0009-C01",
    "contract": {"number": "BG16RFOP001-8.006-0009-C01", "date": "2024-07-01"},
    "terminated": {"date": "2026-10-01", "reason": "Причина"},
}
IDEA: dict[str, Any] = {
    "id": "И-2026-001",
    "title": "Идея",
    "summary": "Кратко",
    "proposer": "Иван",
    "received": "2026-09-01",
    "area": "Село",
    "category": "Паркове",
    "estimated_cost": {"amount": "1000.00", "currency": "EUR"},
    "state": "accepted",
    "project": PROJECT["code"],
    "answer": {"text": "Отговор", "date": "2026-10-01"},
    "documents": _documents("i", "other"),
    "images": [IMAGE],
}
REJECTED = {**copy.deepcopy(IDEA), "id": "И-2026-002", "state": "rejected", "project": None, "rejection_reason": "Не"}
NEWS: dict[str, Any] = {
    "title": "Новина",
    "summary": "Кратко",
    "date": "2026-11-10",
    "related": [CONSULTATION["id"]],
    "documents": _documents("n", "other"),
    "images": [IMAGE],
}
PAGE: dict[str, Any] = {
    "title": "Страница",
    "summary": "Кратко",
    "order": "5",
    "documents": _documents("s", "other"),
    "images": [IMAGE],
}

# The first item of each type gets its address from its (arbitrary) title; the others name
# theirs, as two items with the same title must (that is a content error, tested elsewhere).
ITEMS: dict[str, list[dict[str, Any]]] = {
    "consultation": [CONSULTATION, {**CLOSED, "slug": "vtora"}, {**WITHDRAWN, "slug": "treta"}],
    "project": [PROJECT, {**TERMINATED, "slug": "vtori"}],
    "idea": [IDEA, {**REJECTED, "slug": "vtora"}],
    "news": [NEWS, {**copy.deepcopy(NEWS), "date": "2026-11-11", "slug": "vtora"}],
    "page": [PAGE, {**copy.deepcopy(PAGE), "order": "6", "slug": "vtora"}],
}
# Text fields that name other things (a slug, an item, a file) rather than say something.
NOT_PROSE = {"aliases", "related", "project", "file"}

# --------------------------------------------------------------------------- the schema walk


def _annotation(model: type[BaseModel], name: str) -> Any:
    return typing.get_type_hints(model, include_extras=True)[name]


def _without_none(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def is_prose(model: type[BaseModel], name: str) -> bool:
    """A field an editor fills with free text: declared ``Text`` (or a list of it)."""
    if name in NOT_PROSE:
        return False
    annotation = _without_none(_annotation(model, name))
    if typing.get_origin(annotation) is list:
        annotation = _without_none(typing.get_args(annotation)[0])
    return annotation is schema.Text


def prose_paths(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every free-text field of ``model`` and its groups, as paths (lists are not indexed)."""
    for name, info in model.model_fields.items():
        if is_prose(model, name):
            yield (*prefix, name)
        elif (inner := schema.nested_model(info.annotation)) is not None:
            yield from prose_paths(inner, (*prefix, name))


def filled_paths(model: type[BaseModel], data: dict[str, Any], prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """The free-text paths that ``data`` gives a value."""
    found: set[tuple[str, ...]] = set()
    for name, value in data.items():
        if value in (None, [], {}):
            continue
        if is_prose(model, name):
            found.add((*prefix, name))
        elif (inner := schema.nested_model(model.model_fields[name].annotation)) is not None:
            for part in value if isinstance(value, list) else [value]:
                found |= filled_paths(inner, part, (*prefix, name))
    return found


def fill(model: type[BaseModel], data: dict[str, Any], draw: Any, prefix: str = "") -> dict[str, Any]:
    """``data`` with every free-text value replaced by one Hypothesis draws."""
    result: dict[str, Any] = {}
    for name, value in data.items():
        if value is None:
            continue
        path = f"{prefix}{name}"
        if is_prose(model, name):
            result[name] = (
                [draw(HOSTILE_TEXT, label=path) for _ in value]
                if isinstance(value, list)
                else draw(HOSTILE_TEXT, label=path)
            )
        elif (inner := schema.nested_model(model.model_fields[name].annotation)) is not None:
            if isinstance(value, list):
                result[name] = [fill(inner, part, draw, f"{path}.{i}.") for i, part in enumerate(value)]
            else:
                result[name] = fill(inner, value, draw, f"{path}.")
        else:
            result[name] = value
    return result


def test_the_items_give_every_declared_text_field_a_value() -> None:
    """So the property below fuzzes every field the schema declares, including new ones."""
    for type_name, model in CONTENT_TYPES.items():
        declared = set(prose_paths(model))
        filled = set().union(*(filled_paths(model, data) for data in ITEMS[type_name]))
        assert declared - filled == set(), f"add values for these fields of {type_name} to ITEMS"
        assert declared >= {("title",), ("summary",)}


# --------------------------------------------------------------------------- writing and building


def front_matter_file(data: dict[str, Any], body: str) -> str:
    """A content file as an editor's tool would save it: YAML with quoting and escapes where needed."""
    dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return f"---\n{dumped}---\n{body}\n"


def write_site(root: Path, items: dict[str, list[tuple[dict[str, Any], str]]]) -> Path:
    content = root / "content"
    (content / "images").mkdir(parents=True)
    shutil.copy(FIXTURES / "site" / "content" / "images" / "gerb.svg", content / "images" / "gerb.svg")
    for type_name, files in items.items():
        folder = content / CONTENT_TYPES[type_name].folder
        folder.mkdir()
        for number, (data, body) in enumerate(files, start=1):
            (folder / f"item-{number}.md").write_text(front_matter_file(data, body), encoding="utf-8")
    return content


# --------------------------------------------------------------------------- checks of the output


def _control_free(text: str) -> str:
    """Text as a reader could compare it: without control and format characters, whitespace folded."""
    kept = "".join(char for char in text if unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp"))
    return "".join(kept.split())


def check_markup_is_inert(soup: BeautifulSoup, where: str) -> None:
    assert soup.find(EVIL_TAG) is None, where
    assert soup.find(attrs={EVIL_ATTRIBUTE: True}) is None, where
    assert soup.find(["iframe", "object", "embed"]) is None, where
    for script in soup.find_all("script"):
        assert script.get("src") or script.get("type") in ("application/ld+json", "application/json"), where
        if not script.get("src"):
            assert "</script" not in script.get_text().lower(), where
            json.loads(script.get_text())


def check_html(output: Path) -> None:
    for path in output.rglob("*.html"):
        where = str(path.relative_to(output))
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        check_markup_is_inert(soup, where)
        for element in soup.find_all(href=True):
            check_internal_link(output, element["href"], where)


def check_internal_link(output: Path, href: str, where: str) -> None:
    """A link into the site is ASCII, has no empty folder and points at a file of the build."""
    if not href.startswith(f"{SITEURL}/"):
        return
    path = urlsplit(href).path
    assert path.isascii() and "//" not in path, (where, href)
    target = output / path.lstrip("/")
    assert target.is_file() or (target / "index.html").is_file(), (where, href)


def check_feeds(output: Path) -> None:
    xml = [path for path in output.rglob("*.xml") if path.name != "sitemap.xml"]  # the displays' RSS and MRSS
    feeds = [*output.rglob("*.atom"), *output.rglob("*.rss"), *xml]
    assert feeds
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes(), sanitize_html=False)
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        # Atom content of type html, RSS description and content:encoded: HTML that readers render.
        for element in ElementTree.parse(path).getroot().iter():
            if element.tag.endswith(("}content", "description", "}encoded")) and element.text:
                check_markup_is_inert(BeautifulSoup(element.text, "html.parser"), str(path))


def check_data(output: Path) -> None:
    for path in output.rglob("*.ics"):
        calendar = Calendar.from_ical(path.read_bytes())
        assert calendar.to_ical() == Calendar.from_ical(calendar.to_ical()).to_ical(), path
    for path in output.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
    ElementTree.parse(output / "sitemap.xml")


SLUG_URL = re.compile(r"([a-z0-9]+(-[a-z0-9]+)*/)+")


def check_items(output: Path, catalog: Any, expected: dict[str, int]) -> None:
    """Every item is published at an ASCII address of its own, with its title on the page."""
    urls = []
    for type_name, count in expected.items():
        contents = catalog.items(type_name)
        assert len(contents) == count, type_name
        for content in contents:
            assert SLUG_URL.fullmatch(content.url), content.url
            if not content.item.slug:  # made from the title; never the generic fallback (issue 11)
                assert content.url.rstrip("/").rsplit("/", 1)[-1] != "item", content.url
            urls.append(content.url)
            soup = BeautifulSoup((output / content.url / "index.html").read_text(encoding="utf-8"), "html.parser")
            assert _control_free(soup.h1.get_text()) == _control_free(content.item.title), content.url
    assert len(urls) == len(set(urls)), sorted(urls)


# --------------------------------------------------------------------------- the property


@settings(settings.get_profile(PROFILE))
@given(data=st.data())
def test_any_text_builds_a_valid_inert_site(data: st.DataObject) -> None:
    items = {
        type_name: [
            (fill(CONTENT_TYPES[type_name], base, data.draw), data.draw(HOSTILE_TEXT, label=f"{type_name} body"))
            for base in bases
        ]
        for type_name, bases in ITEMS.items()
    }
    with tempfile.TemporaryDirectory(prefix="hostile-") as folder:
        root = Path(folder)
        content = write_site(root, items)
        output = root / "output"
        overrides = isolated(content, output, SITEURL=SITEURL, SEARCH_ENABLED=False, MARKDOWN_PROCESSES=0)
        try:
            result = build(SETTINGS, output, build_time=BUILD_TIME, extra_settings=overrides)
        except ContentInvalid as invalid:
            raise AssertionError(f"valid items were refused:\n{invalid.report}") from None
        check_items(output, result.catalog, {name: len(files) for name, files in items.items()})
        check_html(output)
        check_feeds(output)
        check_data(output)
