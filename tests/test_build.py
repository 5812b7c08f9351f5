"""End-to-end: the site builds safely, reproducibly, and for any municipality."""

from __future__ import annotations

import fcntl
import hashlib
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import BUILD_TIME, FIXTURES, ROOT, build_site, fixture_settings, isolated
from uchastvai import build as build_module
from uchastvai.build import build, remove_leftovers, swap_in
from uchastvai.core.dates import SOFIA
from uchastvai.plugin import ContentInvalid

BROKEN_FILE = FIXTURES.parent / "broken" / "consultations" / "period-of-13-days.md"
UNSAFE_WARNING_FILE = FIXTURES.parent / "broken" / "consultations" / "without-impact-assessment.md"


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_same_content_and_build_time_give_byte_identical_output(tmp_path: Path) -> None:
    first = build_site(ROOT / "content", tmp_path / "one")
    second = build_site(ROOT / "content", tmp_path / "two")
    assert tree_digest(first) == tree_digest(second)
    assert len(tree_digest(first)) > 50


def test_a_later_build_time_changes_states_not_identity(tmp_path: Path) -> None:
    later = datetime(2027, 2, 1, 12, 0, tzinfo=SOFIA)
    output = build_site(ROOT / "content", tmp_path / "later", build_time=later)
    # Nothing is open any more: the list the feeds page links to is empty, not missing.
    assert '<ul class="cards">' not in (output / "konsultatsii" / "otvoreni" / "index.html").read_text(encoding="utf-8")


def test_a_failed_build_leaves_the_last_good_output_untouched(small_site: Path, tmp_path: Path) -> None:
    output = build_site(small_site, tmp_path / "output")
    before = tree_digest(output)
    (small_site / "consultations" / BROKEN_FILE.name).write_bytes(BROKEN_FILE.read_bytes())
    with pytest.raises(ContentInvalid):
        build_site(small_site, output)
    assert tree_digest(output) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".output")] == []


def test_a_deleted_source_leaves_no_stale_page(small_site: Path, tmp_path: Path) -> None:
    output = build_site(small_site, tmp_path / "output")
    assert (output / "novini").exists()
    news_pages = [p for p in (output / "novini").iterdir() if p.is_dir()]
    for source in (small_site / "news").iterdir():
        source.unlink()
    build_site(small_site, output)
    assert not any(page.exists() for page in news_pages)


def test_warnings_pass_a_preview_build_and_fail_a_strict_one(small_site: Path, tmp_path: Path) -> None:
    (small_site / "consultations" / UNSAFE_WARNING_FILE.name).write_bytes(UNSAFE_WARNING_FILE.read_bytes())
    result = build(
        ROOT / "pelicanconf.py",
        tmp_path / "preview",
        BUILD_TIME,
        extra_settings=isolated(small_site, tmp_path / "preview"),
    )
    assert [w.code for w in result.warnings] == ["missing_impact_assessment"]
    with pytest.raises(ContentInvalid) as stopped:
        build(
            ROOT / "pelicanconf.py",
            tmp_path / "strict",
            BUILD_TIME,
            strict=True,
            extra_settings=isolated(small_site, tmp_path / "strict"),
        )
    assert [p.code for p in stopped.value.problems] == ["missing_impact_assessment"]


def test_the_command_line_reports_in_bulgarian_without_a_traceback(small_site: Path, tmp_path: Path) -> None:
    (small_site / "consultations" / BROKEN_FILE.name).write_bytes(BROKEN_FILE.read_bytes())
    run = subprocess.run(
        [sys.executable, "-m", "uchastvai.build", "--content", str(small_site), "--output", str(tmp_path / "out")],
        cwd=ROOT,
        capture_output=True,
        encoding="utf-8",
        env={**os.environ, "SOURCE_DATE_EPOCH": str(int(BUILD_TIME.timestamp()))},
        check=False,
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "content/consultations/period-of-13-days.md" in run.stderr
    assert "срокът за предложения е 13 дни" in run.stderr
    assert "Сайтът не беше изграден; предишната версия остава непроменена." in run.stderr
    assert not (tmp_path / "out").exists()


def test_ctrl_c_ends_the_command_with_a_message_and_the_live_site_as_it_was(
    small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    output = build_site(small_site, tmp_path / "output")
    before = tree_digest(output)

    def interrupted(settings: dict[str, object]) -> None:
        Path(str(settings["OUTPUT_PATH"]), "half-written.html").write_text("…", encoding="utf-8")
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module, "run_pelican", interrupted)
    assert build_module.main(["--content", str(small_site), "--output", str(output)]) == 130
    assert "Изграждането беше прекъснато; предишната версия остава непроменена." in capsys.readouterr().err
    assert tree_digest(output) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".output.building")] == []


def test_another_municipality_leaves_no_trace_of_the_first(tmp_path: Path) -> None:
    settings = fixture_settings("site")
    output = build_site(FIXTURES / "site" / "content", tmp_path / "output", **settings)
    traces = ("Асеновград", "асеновград", "Asenovgrad", "asenovgrad")
    for path in output.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".css", ".js", ".txt", ".ics", ".csv", ".svg"}:
            text = path.read_text(encoding="utf-8")
            assert not any(trace in text for trace in traces), path
    assert "Община Примерно" in (output / "index.html").read_text(encoding="utf-8")


# --- a killed build leaves the old or the new output, and nothing behind ------------------------


def _cli_build(settings: Path, content: Path, output: Path) -> subprocess.Popen[bytes]:
    """``python -m uchastvai.build`` in its own process group, as cron or systemd runs it."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SOURCE_DATE_EPOCH": str(int(BUILD_TIME.timestamp())),
        "UCHASTVAI_SLIDE_IMAGES": "0",
    }
    command = [sys.executable, "-m", "uchastvai.build", "--settings", str(settings), "--content", str(content)]
    return subprocess.Popen(
        [*command, "--output", str(output)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".building-" in p.name or ".old-" in p.name)


def test_builds_killed_at_any_moment_leave_a_complete_output_and_the_next_build_cleans_up(tmp_path: Path) -> None:
    settings = tmp_path / "settings.py"
    settings.write_text(
        f"from pelicanconf import *\nCACHE_PATH = {str(tmp_path / 'cache')!r}\nTHEME = {str(ROOT / 'theme')!r}\n",
        encoding="utf-8",
    )
    output = tmp_path / "output"
    assert _cli_build(settings, ROOT / "content", output).wait(timeout=300) == 0
    complete = tree_digest(output)
    assert "index.html" in complete and "release.json" in complete
    started = time.monotonic()
    assert _cli_build(settings, ROOT / "content", output).wait(timeout=300) == 0
    duration = time.monotonic() - started
    for fraction in (0.2, 0.4, 0.6, 0.8, 0.95):
        process = _cli_build(settings, ROOT / "content", output)
        try:
            process.wait(timeout=duration * fraction)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
        assert tree_digest(output) == complete, f"killed at {fraction:.0%} of a build"
    # And once for certain while the build writes into its staging folder (the moments above
    # depend on the machine's load).
    process = _cli_build(settings, ROOT / "content", output)
    deadline = time.monotonic() + 120
    while not _leftovers(tmp_path) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    assert _leftovers(tmp_path), "the build ended before its staging folder was seen"
    assert tree_digest(output) == complete
    assert _cli_build(settings, ROOT / "content", output).wait(timeout=300) == 0
    assert tree_digest(output) == complete
    assert _leftovers(tmp_path) == []


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_only_the_folders_of_dead_builds_are_removed(tmp_path: Path) -> None:
    output = tmp_path / "output"
    output.mkdir()
    dead = _dead_pid()
    running = tmp_path / f".output.building-{os.getpid()}-abc"
    killed = tmp_path / f".output.building-{dead}-def"
    locked = tmp_path / f".output.building-{dead}-ghi"  # e.g. a build in another pid namespace
    other_site = tmp_path / f".publish.building-{dead}-jkl"
    for folder in (running, killed, locked, other_site):
        (folder / "sub").mkdir(parents=True)
    holder = os.open(locked, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        assert remove_leftovers(output) == [killed]
    finally:
        os.close(holder)
    assert running.exists() and locked.exists() and other_site.exists() and not killed.exists()


def test_an_old_output_left_between_the_two_renames_is_put_back(tmp_path: Path) -> None:
    output = tmp_path / "output"
    old = tmp_path / f".output.old-{_dead_pid()}"
    old.mkdir()
    (old / "index.html").write_text("old site", encoding="utf-8")
    remove_leftovers(output)
    assert (output / "index.html").read_text() == "old site"
    assert _leftovers(tmp_path) == []


def test_without_an_atomic_exchange_the_two_renames_leave_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kernels or file systems without RENAME_EXCHANGE: the old output goes aside, then away."""
    monkeypatch.setattr("uchastvai.build._exchange", lambda first, second: False)
    output, new = tmp_path / "output", tmp_path / ".output.building-1-x"
    for folder, text in ((output, "old"), (new, "new")):
        folder.mkdir()
        (folder / "index.html").write_text(text, encoding="utf-8")
    swap_in(new, output)
    assert (output / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_collections_are_fewer_only_while_building() -> None:
    """A preview server builds in its own process again and again: the defaults come back,
    also when a build fails."""
    import gc

    from uchastvai.build import few_collections

    before = gc.get_threshold()
    with pytest.raises(RuntimeError), few_collections():
        assert gc.get_threshold()[0] > before[0]
        raise RuntimeError("a failed build")
    assert gc.get_threshold() == before
