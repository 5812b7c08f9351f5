"""The Nu HTML Checker finds no error in any page of the built site."""

from __future__ import annotations

import json
import subprocess


def test_every_page_is_valid_html(served_site, vnu_jar):
    _, output = served_site
    pages = sorted(str(path) for path in output.rglob("*.html") if "pagefind" not in path.parts)
    assert len(pages) > 30
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        encoding="utf-8",
        check=False,
    )
    # The checker reports in JSON on stderr and exits non-zero on errors; anything else (a
    # crash, a missing Java, an unreadable jar) is a failure too, never a silent pass.
    messages = json.loads(result.stderr)["messages"]
    errors = [f"{m.get('url', '').split(str(output))[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert errors == []
    assert result.returncode == 0, result.stderr[-2000:]
