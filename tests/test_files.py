"""``files_under`` lists what ``sorted(Path.rglob("*"))`` lists (but folders), in its order."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from uchastvai.core.files import files_under


def _by_rglob(root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in sorted(root.rglob("*")) if not p.is_dir()]


def test_order_is_part_by_part_and_folder_links_are_not_entered(tmp_path: Path) -> None:
    for name in ("a-b/x.pdf", "a/b.pdf", "a/c/d.png", "A/z.md", "a.b", "я/ю.md", "b/.hidden"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    os.symlink(tmp_path / "a" / "c", tmp_path / "linked")  # a folder through a link
    os.symlink(tmp_path / "missing", tmp_path / "broken")  # a link to nothing is still listed
    listed = files_under(tmp_path)
    assert listed == _by_rglob(tmp_path)
    assert listed.index("a/b.pdf") < listed.index("a-b/x.pdf")  # not string order
    assert "broken" in listed and not any(name.startswith("linked") for name in listed)


_NAME = st.text(alphabet="aAb-._яЮ1 ", min_size=1, max_size=4).filter(lambda n: n not in {".", ".."})


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(_NAME, min_size=1, max_size=3), min_size=1, max_size=12))
def test_same_as_sorted_rglob(paths: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for parts in paths:
            target = root.joinpath(*parts)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                if not target.exists():
                    target.write_text("x")
            except (FileExistsError, NotADirectoryError):
                continue  # a name already taken by a file or a folder
        assert files_under(root) == _by_rglob(root)
