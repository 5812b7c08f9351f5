"""Участвай: the site's own Pelican plugin code.

Pelican loads this package through ``PLUGINS = ["uchastvai"]`` and calls
:func:`register`, which wires our content types, validation and derived
facts into Pelican's documented signals (see :mod:`uchastvai.plugin`).
"""


def register() -> None:
    """Pelican's plugin entry point (imported lazily so tools can use submodules alone)."""
    from uchastvai.plugin import connect_signals

    connect_signals()
