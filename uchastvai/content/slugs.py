"""URL slugs by the official Bulgarian transliteration (Закон за транслитерацията).

The Streamlined System maps each Cyrillic letter to fixed Latin letters; the one
context rule is a word-final „ия“, which becomes „ia“ (София → Sofia).
"""

from __future__ import annotations

import re
import unicodedata

_LETTERS = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "sht", "ъ": "a", "ь": "y", "ю": "yu", "я": "ya",
}  # fmt: skip

_WORD_FINAL_IA = re.compile(r"ия\b", re.IGNORECASE)


def _word_final_ia(match: re.Match[str]) -> str:
    found = match.group(0)
    return "IA" if found.isupper() else ("Ia" if found[0].isupper() else "ia")


def transliterate(text: str) -> str:
    """Latin spelling of Bulgarian ``text``, keeping case (ЩИТ → SHTIT, Щит → Shtit)."""
    text = _WORD_FINAL_IA.sub(_word_final_ia, text)
    out = []
    for index, char in enumerate(text):
        latin = _LETTERS.get(char.lower())
        if latin is None:
            out.append(char)
        elif not char.isupper():
            out.append(latin)
        else:
            neighbours = text[max(index - 1, 0) : index] + text[index + 1 : index + 2]
            all_caps = any(other.isupper() for other in neighbours)
            out.append(latin.upper() if all_caps else latin.capitalize())
    return "".join(out)


def strip_marks(text: str) -> str:
    """``text`` without combining marks (stress accents as in „Бачко̀во“), letters kept whole.

    NFC first keeps „й“ one letter (its breve is part of the alphabet); any other
    letter that still carries a mark („ѝ“, „о̀“, „é“) is reduced to its base letter.
    """
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char.lower() in _LETTERS:
            out.append(char)
            continue
        out.append("".join(part for part in unicodedata.normalize("NFD", char) if not unicodedata.combining(part)))
    return "".join(out)


def slugify(text: str, max_length: int = 80, fallback: str = "item") -> str:
    """A lower-case ASCII slug: transliterated words joined by hyphens.

    Quotes, punctuation and accents are dropped (a stress mark never splits a word);
    the slug is cut at a word boundary so long titles still give readable URLs.
    ``fallback`` is returned when no Latin or Cyrillic letter or digit is left.
    """
    latin = re.sub(r"[^\w]+", " ", transliterate(strip_marks(text)))  # dashes and quotes separate words
    ascii_text = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or fallback


def item_slug(title: str, key: str) -> str:
    """The slug made from an item's title, or from its number, code or file name (``key``)
    when the title has no letters to transliterate (a title of emoji or Greek only)."""
    return slugify(title, fallback="") or slugify(key)
