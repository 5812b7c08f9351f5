"""The package's layout keeps the one-way flow it shows (see ``[tool.importlinter]`` in pyproject.toml).

The layers contract catches an import against the flow (content importing facts, facts importing
outputs, ...); the cycle check catches what a contract cannot: two modules importing each other,
even through a function-level ("deferred") import that only hides the cycle at start-up.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_contracts_in_pyproject_are_kept() -> None:
    """Run in its own process: import-linter reconfigures logging, which would mute other tests' loggers."""
    check = "import sys; from importlinter import cli; sys.exit(cli.lint_imports(no_cache=True, no_logo=True))"
    result = subprocess.run(
        [sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout and "2 kept" in result.stdout, result.stdout


def strongly_connected(graph: grimp.ImportGraph) -> Iterator[set[str]]:
    """Tarjan's algorithm over every module of the graph (iterative: the graph may be deep)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph.find_modules_directly_imported_by(successor)))))
                    break
                if successor in on_stack:
                    low[module] = min(low[module], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[module])
                if low[module] == index[module]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == module:
                            break
                    yield component


def cycles(graph: grimp.ImportGraph) -> list[set[str]]:
    found = [component for component in strongly_connected(graph) if len(component) > 1]
    found += [{module} for module in graph.modules if module in graph.find_modules_directly_imported_by(module)]
    return found


def test_no_import_cycles_deferred_or_not() -> None:
    graph = grimp.build_graph("uchastvai", cache_dir=None)
    assert len(graph.modules) > 40, "the package was not found"
    assert cycles(graph) == []


def test_the_cycle_check_finds_a_deferred_cycle() -> None:
    """The same check on the real graph with one deferred import added back: feeds -> calendar."""
    graph = grimp.build_graph("uchastvai", cache_dir=None)
    assert graph.direct_import_exists(importer="uchastvai.outputs.calendar", imported="uchastvai.outputs.feeds")
    graph.add_import(importer="uchastvai.outputs.feeds", imported="uchastvai.outputs.calendar")
    assert {"uchastvai.outputs.feeds", "uchastvai.outputs.calendar"} in cycles(graph)


def test_the_cycle_check_reads_imports_inside_functions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "cyclic_example"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "first.py").write_text("from cyclic_example import second\n")
    (package / "second.py").write_text("def later() -> None:\n    from cyclic_example import first\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph("cyclic_example", cache_dir=None)
    assert cycles(graph) == [{"cyclic_example.first", "cyclic_example.second"}]


def test_a_moved_module_gets_a_new_reader_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cached reads are pickles that name modules; after a move the old ones cannot be loaded."""
    from uchastvai import plugin

    layout = plugin.module_layout(ROOT / "uchastvai")
    assert "content/schema.py" in layout and "core/paths.py" in layout
    before = plugin.reader_fingerprint({})
    moved = [name.replace("core/paths.py", "facts/paths.py") for name in layout]
    monkeypatch.setattr(plugin, "module_layout", lambda package: moved)
    assert plugin.reader_fingerprint({}) != before
