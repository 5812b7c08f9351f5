"""Driving Decap CMS like an editor does: by the Bulgarian labels the schema gives its fields."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

OPTIONAL = r"( \(незадължителен\))?"


def label(text: str) -> re.Pattern[str]:
    return re.compile("^" + re.escape(text) + OPTIONAL + "$")


def control(scope: Any, text: str) -> Any:
    """The input of the field labelled ``text`` (the last one: new list entries come last)."""
    return scope.get_by_label(label(text)).last


def fill(scope: Any, text: str, value: str) -> None:
    control(scope, text).fill(value)


def choose(scope: Any, text: str, option: str) -> None:
    """A select field (react-select): open it and pick the option by its Bulgarian label."""
    box = control(scope, text)
    box.click()
    box.page.get_by_role("option", name=option, exact=True).click()


def add(scope: Any, list_label: str) -> Any:
    """Add an entry to a list field; return the entry (the list's last item)."""
    container = field_container(scope, list_label)
    container.get_by_role("button", name=re.compile("^Добави: ")).first.click()
    return container


def field_container(scope: Any, text: str) -> Any:
    """The box around one field (its label, input and hint)."""
    return (
        scope.locator("[aria-label^='поле „']")
        .filter(
            has=scope.page.locator("label", has_text=label(text))
            if hasattr(scope, "page")
            else scope.locator("label", has_text=label(text))
        )
        .last
    )


def upload(scope: Any, text: str, file: Path) -> None:
    """Upload a file through a file or image field's media library and insert it."""
    page = scope.page if hasattr(scope, "page") else scope
    field_container(scope, text).get_by_role("button").first.click()
    page.locator("input[type=file]").last.set_input_files(str(file))
    page.get_by_text(file.name, exact=True).first.wait_for()
    page.get_by_role("button", name="Избери избрани").click()


def publish(page: Any) -> None:
    """Save the entry: Публикувай → Публикувай сега, and wait until it is saved (or say why not)."""
    page.get_by_role("button", name="Публикувай").first.click()
    page.get_by_text("Публикувай сега", exact=True).click()
    published = page.get_by_role("button", name="Публикуван", exact=True)
    refused = page.get_by_text(re.compile("пропуснахте|грешка", re.IGNORECASE))
    published.or_(refused).first.wait_for()
    if not published.is_visible():
        errors = page.locator("[aria-label^='поле „'] li").all_inner_texts()
        raise AssertionError(f"{refused.first.inner_text()} {errors}")
