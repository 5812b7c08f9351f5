"""Every string a person reads is in the Bulgarian catalogue, placeholders intact."""

from __future__ import annotations

import re

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from tests.conftest import ROOT
from uchastvai.core.i18n import LOCALE_DIR, translations

METHODS = [
    ("uchastvai/**.py", "python"),
    ("tasks.py", "python"),
    ("theme/templates/**.html", "jinja2"),
]
OPTIONS = {"theme/templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True", "lstrip_blocks": "True"}}
PLACEHOLDER = re.compile(r"\{[a-z_]+\}|%\([a-z_]+\)s")


def extracted_messages() -> set[str | tuple[str, str]]:
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    found: set[str | tuple[str, str]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, OPTIONS, keywords=keywords, strip_comment_tags=True
    ):
        found.add(message if isinstance(message, str) else tuple(message[:2]))
    return found


def bulgarian_messages() -> dict:
    merged = {}
    for po_path in sorted((LOCALE_DIR / "bg" / "LC_MESSAGES").glob("*.po")):
        with po_path.open("rb") as po_file:
            for message in read_po(po_file):
                if message.id:
                    merged[message.id if isinstance(message.id, str) else tuple(message.id)] = message.string
    return merged


def test_every_message_in_code_and_templates_has_a_bulgarian_translation() -> None:
    catalogue = bulgarian_messages()
    missing = []
    for message in extracted_messages():
        translated = catalogue.get(message)
        if not translated or (isinstance(translated, (tuple, list)) and not all(translated)):
            missing.append(message)
    assert sorted(map(str, missing)) == []


@pytest.mark.parametrize("language", ["bg"])
def test_translations_keep_every_placeholder(language: str) -> None:
    for message_id, translated in bulgarian_messages().items():
        ids = message_id if isinstance(message_id, tuple) else (message_id,)
        strings = translated if isinstance(translated, (tuple, list)) else (translated,)
        expected = set(PLACEHOLDER.findall(" ".join(ids)))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) <= expected | {"{n}"}, message_id
            assert expected - {"{n}"} <= set(PLACEHOLDER.findall(string)), message_id


def test_the_catalogue_is_used_for_the_site_language() -> None:
    assert translations("bg").gettext("Title") == "Заглавие"
    assert translations("en").gettext("Title") == "Title"
