"""Bytes of a content file to clean text: encoding and invisible control characters.

Editors save files with whatever their program offers: old Notepad and Word write
Windows-1251 or UTF-16 ("Unicode"), and pasted text brings control characters (a
vertical tab from Word, a NUL from a broken copy) that YAML refuses and XML feeds
cannot carry. Here a file that is not UTF-8 becomes a Bulgarian problem naming the
probable encoding, and control characters are removed with a warning per line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from uchastvai.content.problems import Problem

# C0 controls except tab, line feed and carriage return; DEL; C1 controls; the two
# non-characters XML forbids. (Surrogates cannot come out of a UTF-8 decoder.)
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_CYRILLIC_SHARE = 0.3  # of the letters, for a guess of Windows-1251 to be worth saying


@dataclass
class Decoded:
    """The text of a file (empty when it could not be decoded) and what was wrong with it."""

    text: str
    problems: list[Problem]


def probable_encoding(data: bytes) -> str:
    """A name editors recognise for bytes that are not UTF-8, or "" when no guess is good."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16 (Unicode)"
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        return ""
    letters = [char for char in text if char.isalpha()]
    cyrillic = sum(1 for char in letters if "CYRILLIC" in unicodedata.name(char, ""))
    return "Windows-1251" if letters and cyrillic / len(letters) >= _CYRILLIC_SHARE else ""


def decode(data: bytes) -> Decoded:
    """UTF-8 text (a BOM is fine), or an error saying what the file probably is."""
    try:
        return Decoded(data.decode("utf-8-sig"), [])
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        guess = probable_encoding(data)
        code = "encoding_guess" if guess else "encoding"
        return Decoded("", [Problem.error(code=code, line=line, found=guess)])


def remove_control_characters(text: str) -> tuple[str, list[Problem]]:
    """``text`` without control characters, and a warning for each line that had some."""
    if not CONTROL.search(text):
        return text, []
    problems = []
    for number, line in enumerate(text.split("\n"), 1):
        found = sorted(set(CONTROL.findall(line)))
        if found:
            names = ", ".join(f"U+{ord(char):04X}" for char in found)
            problems.append(Problem.warning(code="control_character", line=number, found=names))
    return CONTROL.sub("", text), problems


def clean_text(data: bytes) -> Decoded:
    """Decoded text without control characters, with every problem found on the way."""
    decoded = decode(data)
    text, problems = remove_control_characters(decoded.text)
    return Decoded(text, decoded.problems + problems)
