"""The shared Jinja bytecode cache: compiled once, never stale."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader

from uchastvai.outputs.templates_cache import SharedBytecodeCache


def environment(folder: Path, cache: SharedBytecodeCache, **options: bool) -> Environment:
    env = Environment(loader=FileSystemLoader(str(folder)), **options)
    env.bytecode_cache = cache
    return env


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the templates Jinja compiled from source."""
    names: list[str] = []
    original = Environment.compile

    def counting(self: Environment, source: str, name: str | None = None, *args: object, **kwargs: object) -> object:
        names.append(str(name))
        return original(self, source, name, *args, **kwargs)

    monkeypatch.setattr(Environment, "compile", counting)
    return names


def test_environments_of_one_build_share_the_compiled_template(tmp_path: Path, compiles: list[str]) -> None:
    (tmp_path / "page.html").write_text("{% for x in items %}[{{ x }}]{% endfor %}", encoding="utf-8")
    cache = SharedBytecodeCache()
    first = environment(tmp_path, cache).get_template("page.html").render(items=[1, 2])
    second = environment(tmp_path, cache).get_template("page.html").render(items=[1, 2])
    assert first == second == "[1][2]"
    assert compiles == ["page.html"]


def test_the_next_build_reads_it_from_the_cache_folder(tmp_path: Path, compiles: list[str]) -> None:
    (tmp_path / "page.html").write_text("{{ 1 + 1 }}", encoding="utf-8")
    environment(tmp_path, SharedBytecodeCache(tmp_path / "cache")).get_template("page.html")
    again = environment(tmp_path, SharedBytecodeCache(tmp_path / "cache")).get_template("page.html")
    assert again.render() == "2"
    assert compiles == ["page.html"]


def test_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    cache = SharedBytecodeCache(tmp_path / "cache")
    (tmp_path / "page.html").write_text("old", encoding="utf-8")
    assert environment(tmp_path, cache).get_template("page.html").render() == "old"
    (tmp_path / "page.html").write_text("new", encoding="utf-8")
    assert environment(tmp_path, cache).get_template("page.html").render() == "new"


def test_other_syntax_settings_get_their_own_compiled_code(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("{% if true %}\nyes{% endif %}", encoding="utf-8")
    cache = SharedBytecodeCache()
    assert environment(tmp_path, cache, trim_blocks=True).get_template("page.html").render() == "yes"
    assert environment(tmp_path, cache, trim_blocks=False).get_template("page.html").render() == "\nyes"
