"""The front-matter reader: plain strings, exact lines, no silent YAML surprises."""

from uchastvai.content.reader import parse_front_matter, split_front_matter
from uchastvai.content.text_intake import decode, remove_control_characters


def test_front_matter_is_split_from_the_body() -> None:
    front, body, body_line = split_front_matter("---\ntitle: Заглавие\n---\nТекст\n")
    assert front == "title: Заглавие\n"
    assert body == "Текст\n"
    assert body_line == 4


def test_a_file_without_front_matter_is_recognised() -> None:
    front, body, _ = split_front_matter("Само текст\n")
    assert front is None
    assert body == "Само текст\n"


def test_every_scalar_stays_a_string() -> None:
    data, _, problems = parse_front_matter("phone: 0331 60 100\ncode: 0700\ndone: no\nat: 12:30\ntotal: 179740.00\n")
    assert problems == []
    assert data == {"phone": "0331 60 100", "code": "0700", "done": "no", "at": "12:30", "total": "179740.00"}


def test_lines_are_known_for_nested_fields() -> None:
    text = "title: x\nhearings:\n  - start: 2026-12-03 18:00\n    place: Зала\n"
    _, lines, _ = parse_front_matter(text)
    # Line 1 of the file is the opening ---, so the first field is on line 2.
    assert lines[("title",)] == 2
    assert lines[("hearings", 0, "start")] == 4
    assert lines[("hearings", 0, "place")] == 5


def test_a_duplicate_key_is_a_problem_with_its_line() -> None:
    _, _, problems = parse_front_matter("title: a\nsummary: b\ntitle: c\n")
    assert [(p.code, p.found, p.line) for p in problems] == [("duplicate_key", "title", 4)]


def test_a_yaml_syntax_error_is_a_problem_not_an_exception() -> None:
    _, _, problems = parse_front_matter("title: a\ncontacts:\n  - name: x\n name: y\n")
    assert [p.code for p in problems] == ["yaml_syntax"]
    assert problems[0].line is not None


def test_front_matter_that_is_not_a_mapping_is_a_problem() -> None:
    _, _, problems = parse_front_matter("- just\n- a list\n")
    assert [p.code for p in problems] == ["front_matter_not_mapping"]


def test_utf8_with_or_without_bom_is_read() -> None:
    assert decode("---\ntitle: Парк\n---\n".encode("utf-8-sig")).text.startswith("---")
    assert decode("---\ntitle: Парк\n---\n".encode()).problems == []


def test_windows_1251_is_named_with_the_line_of_the_first_bad_byte() -> None:
    problems = decode("---\nid: 2026-001\ntitle: Наредба за парковете\n---\n".encode("cp1251")).problems
    assert [(p.code, p.line, p.found) for p in problems] == [("encoding_guess", 3, "Windows-1251")]


def test_utf16_from_notepad_is_named_and_unknown_bytes_are_still_a_problem() -> None:
    assert decode("---\ntitle: Парк\n".encode("utf-16")).problems[0].found == "UTF-16 (Unicode)"
    assert [p.code for p in decode(b"---\ntitle: \x81\x98\x81\n").problems] == ["encoding"]


def test_control_characters_are_removed_with_a_warning_per_line() -> None:
    text, problems = remove_control_characters("---\ntitle: A\x0bB\n---\nText\x00 and \x85 and\ttab\r\n")
    assert text == "---\ntitle: AB\n---\nText and  and\ttab\r\n"
    assert [(p.code, p.severity.value, p.line, p.found) for p in problems] == [
        ("control_character", "warning", 2, "U+000B"),
        ("control_character", "warning", 4, "U+0000, U+0085"),
    ]


def test_control_characters_from_yaml_escapes_are_removed_from_values() -> None:
    data, _lines, problems = parse_front_matter('title: "Парк\\x0b № 1"\nsummary: Текст\n')
    assert data["title"] == "Парк № 1"
    assert [(p.code, p.line, p.field) for p in problems] == [("control_character", 2, ("title",))]
