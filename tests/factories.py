"""Valid front matter of each type as plain data (strings, as the reader gives them)."""

from __future__ import annotations

import copy
from typing import Any

CONSULTATION: dict[str, Any] = {
    "id": "2026-014",
    "title": "Проект на Наредба за обществения ред",
    "summary": "Нови правила за реда на обществени места.",
    "kind": "regulation",
    "act": "Наредба за обществения ред",
    "unit": "Дирекция „Правна“",
    "contacts": [{"name": "Мария Иванова", "email": "m@primerno.example"}],
    "opens": "2026-11-10",
    "closes": "2026-12-10",
    "respond": {"email": "k@primerno.example"},
    "documents": [
        {"type": "draft", "title": "Проект", "url": "https://primerno.example/p.pdf"},
        {"type": "motives", "title": "Мотиви", "url": "https://primerno.example/m.pdf"},
        {"type": "impact_assessment", "title": "Оценка", "url": "https://primerno.example/o.pdf"},
    ],
}

PROJECT: dict[str, Any] = {
    "code": "BG16RFOP001-8.006-0008-C01",
    "title": "Техническа помощ",
    "summary": "Техника и софтуер.",
    "programme": "ОП „Региони в растеж“ 2014-2020",
    "period": "2014-2020",
    "fund": "ERDF",
    "beneficiary": "Община Примерно",
    "contract": {"number": "BG16RFOP001-8.006-0008-C01", "date": "2023-07-01"},
    "start": "2023-07-01",
    "end": "2025-06-30",
    "budget": {
        "currency": "BGN",
        "total": "179740.00",
        "grant_eu": "152779.00",
        "grant_national": "26961.00",
        "own": "0",
        "paid": "100000",
    },
    "updated": "2026-10-01",
}

IDEA: dict[str, Any] = {
    "id": "И-2026-001",
    "title": "Пейки в парка",
    "summary": "Повече пейки.",
    "received": "2026-09-01",
    "area": "Примерно",
    "category": "Благоустройство",
    "state": "received",
}


def make(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A deep copy of ``base`` with top-level ``changes`` (None removes a field)."""
    data = copy.deepcopy(base)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data
