"""Problems found in content, and the report editors read.

A problem names the file, the line where known, the field (by its label), what was
found and what is expected. Messages are English ids with ``{placeholders}``; the
Bulgarian text lives in the catalogue, so the wording is reviewed in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from dataclasses import field as default
from enum import Enum
from typing import Any

from uchastvai.core.i18n import N_, gettext, ngettext


class Severity(str, Enum):
    """How a problem weighs on publishing.

    ERROR blocks every build; WARNING blocks the strict (publishing) build; REMINDER is
    date-driven (something is due, e.g. an overdue справка) and never blocks: waiting
    for it must not freeze the countdowns of the whole site. It goes to the editors.
    """

    ERROR = "error"
    WARNING = "warning"
    REMINDER = "reminder"


# What each problem code means, as the editor reads it. {found} is the value in the file.
MESSAGES: dict[str, str] = {
    # reading
    "no_front_matter": N_("the file has no front matter: it must start with a line --- , the fields, and another ---"),
    "front_matter_not_mapping": N_("the front matter must be a list of fields in the form name: value"),
    "yaml_syntax": N_("the front matter cannot be read from this line on; check indentation, colons and quotes"),
    "duplicate_key": N_("the field {found} is written twice; keep one"),
    "not_in_section": N_("the file is outside the content folders ({expected})"),
    # schema types
    "missing": N_("required field is missing"),
    "extra_forbidden": N_("unknown field {found}; check the spelling (see the scaffold for the field names)"),
    "iso_date": N_("found „{found}“; expected a date as YYYY-MM-DD, e.g. 2026-03-15"),
    "iso_datetime": N_("found „{found}“; expected a date and time as YYYY-MM-DD HH:MM, e.g. 2026-03-14 18:00"),
    "no_such_date": N_("found „{found}“; this date does not exist in the calendar"),
    "amount": N_("found „{found}“; expected an amount such as 179740.00 or 179 740,00"),
    "enum": N_("found „{found}“; expected one of: {expected}"),
    "bool_parsing": N_("found „{found}“; expected yes or no"),
    "int_parsing": N_("found „{found}“; expected a whole number"),
    "decimal_parsing": N_("found „{found}“; expected a number such as 12 or 12.5"),
    "greater_than_equal": N_("found „{found}“; expected a number not below {expected}"),
    "less_than_equal": N_("found „{found}“; expected a number not above {expected}"),
    "string_type": N_("found a list or group of fields; expected a single text value"),
    "list_type": N_("expected a list: each entry on its own line starting with - "),
    "model_type": N_("expected a group of fields, each on its own indented line"),
    "dict_type": N_("expected a group of fields, each on its own indented line"),
    "model_attributes_type": N_("expected a group of fields, each on its own indented line"),
    "string_too_short": N_("the field is empty; write a value"),
    "too_short": N_("the list is empty; add at least one entry"),
    "email": N_("found „{found}“; expected an e-mail address such as name@example.bg"),
    "phone": N_("found „{found}“; expected a phone number such as 0331 6 00 00 or +359 331 6 00 00"),
    "url": N_("found „{found}“; expected a full web address starting with https://"),
    "slug": N_("found „{found}“; expected small Latin letters, digits and hyphens, e.g. budzhet-2027"),
    "currency": N_("found „{found}“; expected EUR or BGN"),
    "consultation_id": N_("found „{found}“; expected year and number, e.g. 2026-014"),
    "idea_id": N_("found „{found}“; expected И-, year and number, e.g. И-2026-003"),
    "isun_code": N_("found „{found}“; expected a code in the ИСУН format, e.g. BG16RFOP001-8.006-0008-C01"),
    "contact_unreachable": N_("the contact has neither e-mail nor phone; give at least one"),
    "document_target": N_("the document has neither file nor url; give one of them"),
    "no_way_to_respond": N_("no way to respond is given; give at least e-mail, post or in person"),
    "accepted_exceeds_received": N_("more proposals accepted than received"),
    "invalid": N_("found „{found}“; this value is not valid here"),
    # legal rules and consistency
    "period_too_short": N_(
        "the period for proposals is {found} days; the law requires at least 14 days, normally 30 (ЗНА, чл. 26, ал. 4)"
    ),
    "short_period_without_reason": N_(
        "the period for proposals is {found} days; under 30 days the reasons must be given in short_period_reason "
        "(ЗНА, чл. 26, ал. 4)"
    ),
    "missing_motives": N_("no document of type motives (мотиви / доклад) is attached (ЗНА, чл. 26, ал. 3)"),
    "missing_impact_assessment": N_(
        "no document of type impact_assessment (предварителна оценка на въздействието) is attached (ЗНА, чл. 26, ал. 3)"
    ),
    "missing_draft": N_("no document of type draft (проект на акта) is attached"),
    "report_overdue": N_(
        "the consultation closed {found} days ago and no справка on the proposals is published (ЗНА, чл. 26, ал. 5)"
    ),
    "budget_hearing_too_late": N_(
        "the hearing is announced {found} days before it takes place; a budget hearing must be announced at least "
        "7 days before (ЗПФ, чл. 84)"
    ),
    "date_order": N_("„{found}“ must not be before {expected}"),
    "outcome_before_close": N_("an outcome is given, but the period for proposals ends only on {found}"),
    "report_without_document": N_("report_date is given, but no document of type report (справка) is attached"),
    "money_sum": N_(
        "grant (EU {grant_eu} + national {grant_national}) + own {own} = {found}, but the total is {expected}"
    ),
    "paid_exceeds_total": N_("paid to date {found} is more than the total {expected}"),
    "rejected_without_reason": N_("the idea is rejected; give the reason in rejection_reason"),
    "accepted_without_project": N_("the idea is accepted; give the code of the resulting project in project"),
    "unknown_project": N_("no project with code „{found}“ exists"),
    "unknown_related": N_("no consultation or project with number or code „{found}“ exists"),
    "file_not_found": N_("the file „{found}“ does not exist under content/"),
    "link_not_found": N_(
        "the text links to „{found}“, which does not exist; check the file name after {{static}} or {{filename}}"
    ),
    "duplicate_id": N_("„{found}“ is used also in {expected}; numbers and codes must be unique"),
    "duplicate_url": N_("the address „{found}“ is used also by {expected}; set a different slug"),
    "reserved_url": N_("the address „{found}“ is a folder of the site itself; set a different slug"),
    "image_unreadable": N_("the image „{found}“ cannot be opened; save it again as JPEG or PNG"),
    "file_overwrite": N_("the address „{found}“ would be written twice; set a different slug"),
    "pelican_failed": N_("the file could not be processed; check its format"),
    # files the site would not read (uchastvai.content.intake, uchastvai.content.text_intake)
    "encoding_guess": N_(
        "the file is not saved in UTF-8, probably in {found}, so it cannot be read; in Notepad choose "
        "File › Save As, set Encoding to UTF-8 and save; in Word choose File › Save As, type Plain Text, "
        "then the encoding Unicode (UTF-8), and keep the name ending in .md"
    ),
    "encoding": N_(
        "the file is not saved in UTF-8, so it cannot be read; save it again as UTF-8 "
        "(Notepad: File › Save As, Encoding: UTF-8)"
    ),
    "control_character": N_(
        "an invisible control character ({found}) was removed from this line; check the text there"
    ),
    "reader_failed": N_(
        "the file could not be read; check that it is a text file in UTF-8 with its fields between two lines ---"
    ),
    "unknown_folder": N_(
        "the file is in {found}, which the site does not read, so it is not published; "
        "move it to one of the folders under content/: {expected}"
    ),
    "unknown_folder_type": N_(
        "the file is in {found}, which the site does not read, so it is not published; "
        "its fields show where it belongs: move it to {expected}"
    ),
    "double_extension": N_(
        "the name „{found}“ has an extra ending (Windows often hides it), so the site does not read the file; "
        "rename it to „{expected}“"
    ),
    "word_document": N_(
        "„{found}“ is a Word or LibreOffice document, which the site cannot publish as a page; make a new file "
        "with ./dev.sh new and copy the text into it, or, to offer the document for download, move it to "
        "content/documents/ and list it under documents: of the item"
    ),
    "text_file": N_(
        "„{found}“ is a .txt file, which the site does not read; rename it to „{expected}“ "
        "(with the fields between two lines --- at the top)"
    ),
    "attachment_in_text_folder": N_(
        "„{found}“ is not a text file and is not published from this folder; move documents to content/documents/ "
        "and images to content/images/ and list them under documents: or images: of the item"
    ),
    "wrong_folder": N_(
        "the fields of this file are those of another content type ({found}), so it is not published from this "
        "folder; move it to {expected}"
    ),
    "extra_forbidden_suggest": N_("unknown field {found}; you probably mean {expected}"),
    "image_without_alt": N_(
        "the image „{found}“ in the text has no alternative text; describe it between the square brackets: "
        "![описание](файл) (WCAG 2.1, критерий 1.1.1)"
    ),
    "placeholder_text": N_(
        "„{found}“ is text from the template of a new file; replace it before publishing (or keep draft: yes)"
    ),
    "placeholder_field": N_(
        "„{found}“ is the template's placeholder; write the real value before publishing (or keep draft: yes)"
    ),
    "zero_amount": N_(
        "the amount is 0,00 as in the template of a new file; write the contract's amount before publishing "
        "(or keep draft: yes)"
    ),
    "hearing_outside_period": N_(
        "the hearing on {found} is outside the period for proposals ({expected}); hold it while proposals are "
        "accepted (ЗНА, чл. 26, ал. 4)"
    ),
    "isun_contract_suffix": N_(
        "found „{found}“; the code of a contracted project ends with the contract number from ИСУН, "
        "e.g. -C01 (BG16RFOP001-8.006-0008-C01)"
    ),
    "period_code_mismatch": N_(
        "the code {found} is of a programme of the period {expected}, but the programme period is {period}; "
        "the EU emblem and statement on the page depend on the period "
        "(Рег. (ЕС) 1303/2013, Приложение XII; Рег. (ЕС) 2021/1060, чл. 47 и 50)"
    ),
    "indicator_tenfold": N_(
        "the value achieved {found} is more than ten times the target {expected}; check for a typo (an extra zero?)"
    ),
    "alias_collision": N_(
        "the old address „{found}“ is also the address of {expected}; remove it from aliases or change the other"
    ),
    "alias_unsafe": N_(
        "„{found}“ is not an address on this site; write an earlier slug such as budzhet-2027, with no / or .. in it"
    ),
    "url_moved": N_(
        "the page was published at {found} and would now move to {expected}, so links and QR codes to it would "
        "break; keep the old address with slug: {slug} or add {slug} under aliases:"
    ),
    "url_gone": N_(
        "the page {found} was published before and is gone now, so links and QR codes to it would break; "
        "restore the file, or add {slug} under aliases: of the item that replaces it"
    ),
}

# A command-line value that is not a moment: a usage line instead of a traceback.
BAD_BUILD_TIME = N_(
    "invalid --build-time „{found}“: expected a date and time such as 2026-11-25T12:00 (Europe/Sofia) "
    "or a date such as 2026-11-25. Usage: ./dev.sh build --build-time 2026-11-25T12:00"
)

SEVERITY_WORDS = {Severity.ERROR: N_("error"), Severity.WARNING: N_("warning"), Severity.REMINDER: N_("reminder")}


@dataclass
class Problem:
    """One thing wrong with one file."""

    code: str
    severity: Severity = Severity.ERROR
    source: str = ""  # path relative to the project, e.g. content/consultations/x.md
    line: int | None = None
    field: tuple[str | int, ...] = ()
    field_label: str = ""
    found: str = ""
    expected: str = ""
    params: dict[str, str] = default(default_factory=dict)

    @classmethod
    def error(cls, **kwargs: Any) -> Problem:
        return cls(severity=Severity.ERROR, **kwargs)

    @classmethod
    def warning(cls, **kwargs: Any) -> Problem:
        return cls(severity=Severity.WARNING, **kwargs)

    @classmethod
    def reminder(cls, **kwargs: Any) -> Problem:
        """A date-driven problem: reported to the editors, never blocks a build."""
        return cls(severity=Severity.REMINDER, **kwargs)

    def as_dict(self) -> dict[str, Any]:
        """Plain data (Pelican caches metadata with pickle; keep it simple)."""
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Problem:
        data = dict(data)
        data["severity"] = Severity(data["severity"])
        data["field"] = tuple(data.get("field", ()))
        return cls(**data)

    def message(self, lang: str = "bg") -> str:
        """What is wrong and what is expected, in the editor's language."""
        template = gettext(MESSAGES.get(self.code, MESSAGES["invalid"]), lang)
        return template.format(found=self.found, expected=self.expected, **self.params)

    def location(self, lang: str = "bg") -> str:
        """„ред 12, поле „Начало“ (hearings.1.start)“."""
        parts = []
        if self.line:
            parts.append(gettext("line {line}", lang).format(line=self.line))
        if self.field:
            dotted = ".".join(str(part) for part in self.field)
            label = self.field_label or dotted
            parts.append(gettext("field „{label}“ ({path})", lang).format(label=label, path=dotted))
        return ", ".join(parts)

    def render(self, lang: str = "bg") -> str:
        """One line of the report (without the file name, which heads its group)."""
        word = gettext(SEVERITY_WORDS[self.severity], lang)
        location = self.location(lang)
        prefix = f"{word.capitalize()}, {location}" if location else word.capitalize()
        return f"{prefix}: {self.message(lang)}."


def sort_key(problem: Problem) -> tuple:
    return (problem.source, problem.line or 0, problem.severity != Severity.ERROR, problem.code)


def format_report(problems: Iterable[Problem], lang: str = "bg") -> str:
    """The whole report: a summary line, then the problems grouped by file, in file order."""
    problems = sorted(problems, key=sort_key)
    errors = sum(1 for p in problems if p.severity == Severity.ERROR)
    reminders = sum(1 for p in problems if p.severity == Severity.REMINDER)
    warnings = len(problems) - errors - reminders
    files = len({p.source for p in problems})
    summary = gettext("Content check: {errors}, {warnings} in {files}.", lang).format(
        errors=ngettext("{n} error", "{n} errors", errors, lang).format(n=errors),
        warnings=ngettext("{n} warning", "{n} warnings", warnings, lang).format(n=warnings),
        files=ngettext("{n} file", "{n} files", files, lang).format(n=files),
    )
    if reminders:
        summary += " " + ngettext(
            "{n} reminder (does not stop publishing).", "{n} reminders (do not stop publishing).", reminders, lang
        ).format(n=reminders)
    lines = [summary]
    current = None
    for problem in problems:
        if problem.source != current:
            current = problem.source
            lines.append("")
            lines.append(current)
        lines.append(f"  {problem.render(lang)}")
    return "\n".join(lines)


def has_errors(problems: Iterable[Problem], strict: bool = False) -> bool:
    """Errors always fail the build; warnings only in strict (publishing) mode; reminders never."""
    return any(p.severity == Severity.ERROR or (strict and p.severity == Severity.WARNING) for p in problems)
