"""Translation catalogues for everything a person reads.

Message ids are English; each language has a folder ``locale/<lang>/LC_MESSAGES/`` with
one ``.po`` catalogue per concern (``messages.po`` for the core, ``deploy.po``,
``display.po``, ...), merged into one catalogue when first needed in a build (read again
by the next build, so the preview shows an edited translation). The ``.po`` files are
compiled in memory, so no binary ``.mo`` file can drift from its source.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from uchastvai.core.buildcache import per_build

LOCALE_DIR = Path(__file__).parent.parent / "locale"
DOMAIN = "messages"
DEFAULT_LANG = "bg"


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (translated on use)."""
    return message


@per_build
def translations(lang: str = DEFAULT_LANG) -> NullTranslations:
    """The compiled catalogue for ``lang``; English (the message ids) has none."""
    po_paths = sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po"))
    if not po_paths:
        return NullTranslations()
    catalog = None
    for po_path in po_paths:
        with po_path.open("rb") as po_file:
            part = read_po(po_file, locale=lang)
        if catalog is None:
            catalog = part
            continue
        for message in part:
            if message.id:
                catalog[message.id] = message
    if catalog is None:
        return NullTranslations()
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def gettext(message: str, lang: str = DEFAULT_LANG) -> str:
    """Translate one message id."""
    return translations(lang).gettext(message)


def ngettext(singular: str, plural: str, n: int, lang: str = DEFAULT_LANG) -> str:
    """Translate with the language's plural rules (Bulgarian has two forms)."""
    return translations(lang).ngettext(singular, plural, n)
