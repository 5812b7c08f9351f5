"""Pelican's own English log lines, replaced by the Bulgarian problems that say the same.

Pelican logs a skipped file (``Could not process …``), two items with one address
(``There are 2 items with slug …``), an image without alt text (``Empty alt attribute
…``) and a missing link target (``Unable to find …``) in English, naming the file in
its own way. Each of these is a problem in our report instead (uchastvai.content.intake,
uchastvai.content.validation), so the English line is dropped here, in one place; its final
``Done: Processed …`` console line is silenced and replaced by the build's own summary.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

# Beginnings of the messages that our report replaces.
REPLACED = (
    "Could not process",
    "There are %s items",
    "There are %s original",
    "Empty alt attribute",
    "Unable to find",
    "Other images have empty alt",
)
PELICAN_LOGGERS = ("pelican", "pelican.generators", "pelican.utils", "pelican.readers", "pelican.contents")


class ReplacedByReport(logging.Filter):
    """Drops the Pelican records that the editors' report states in Bulgarian."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith(REPLACED))


_FILTER = ReplacedByReport()


def install() -> None:
    """Attach the filter to the loggers Pelican writes these records to (once)."""
    for name in PELICAN_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


@contextlib.contextmanager
def quiet_console() -> Iterator[None]:
    """Silence Pelican's English ``Done: Processed …`` line during a build we summarise ourselves."""
    from pelican.log import console

    before = console.quiet
    console.quiet = True
    try:
        yield
    finally:
        console.quiet = before
