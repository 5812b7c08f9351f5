"""What to do about each message of the content intake, for the guide's list of messages.

Kept beside the intake's own messages (uchastvai.content.problems) and merged into
``uchastvai.editors.guide.GUIDANCE``; the group names are the guide's message ids.
"""

from __future__ import annotations

from uchastvai.core.i18n import N_

READING = N_("Reading the file")
FIELD_VALUES = N_("Values of fields")
LEGAL_RULES = N_("Legal rules")
CONSISTENCY = N_("Consistency, links and files")

_SAVE_AS_UTF8 = N_(
    "Open the file in Notepad, choose File › Save As, set Encoding to UTF-8 and save it under the same name."
)

# code -> (group, advice)
ADVICE: dict[str, tuple[str, str]] = {
    "encoding_guess": (READING, _SAVE_AS_UTF8),
    "encoding": (READING, _SAVE_AS_UTF8),
    "control_character": (
        READING,
        N_("Text pasted from Word or a PDF can carry invisible characters; retype the line if it looks wrong."),
    ),
    "reader_failed": (
        READING,
        N_("Compare the file with a scaffold made by ./dev.sh new, or ask the site's maintainer."),
    ),
    "unknown_folder": (
        READING,
        N_("Move the file into the folder of its type, or delete it if it is not for the site."),
    ),
    "unknown_folder_type": (READING, N_("Move the file into the folder named in the message.")),
    "double_extension": (
        READING,
        N_("In Windows Explorer turn on View › File name extensions, then rename the file so it ends in .md."),
    ),
    "word_document": (
        READING,
        N_("Pages are written as .md files: make one with ./dev.sh new and paste the text from the document."),
    ),
    "text_file": (
        READING,
        N_("Rename the file so it ends in .md and put its fields at the top, between two lines ---."),
    ),
    "attachment_in_text_folder": (
        READING,
        N_("Move the file to content/documents/ or content/images/ and list it in the item that it belongs to."),
    ),
    "wrong_folder": (READING, N_("Move the file into the folder named in the message.")),
    "extra_forbidden_suggest": (FIELD_VALUES, N_("Correct the field's name to the one suggested, or delete the line.")),
    "placeholder_field": (FIELD_VALUES, N_("Replace the template's text by the real one, or keep draft: yes.")),
    "zero_amount": (FIELD_VALUES, N_("Write the amounts of the contract, or keep draft: yes.")),
    "isun_contract_suffix": (FIELD_VALUES, N_("Copy the full code of the contract from ИСУН, with its ending -C01.")),
    "alias_unsafe": (FIELD_VALUES, N_("Write only the last part of the old address, e.g. budzhet-2027.")),
    "hearing_outside_period": (
        LEGAL_RULES,
        N_("Move the hearing into the period for proposals, or extend the period with the closes field."),
    ),
    "period_code_mismatch": (
        LEGAL_RULES,
        N_("Check the programme period and the code in the contract; one of them is wrong."),
    ),
    "indicator_tenfold": (CONSISTENCY, N_("Compare the achieved value with the progress report.")),
    "image_without_alt": (
        CONSISTENCY,
        N_("Describe what the image shows for people who cannot see it, between the square brackets."),
    ),
    "placeholder_text": (CONSISTENCY, N_("Replace the template's text by the real one, or keep draft: yes.")),
    "alias_collision": (CONSISTENCY, N_("An old address can lead to one page only; remove it from one of the two.")),
    "url_moved": (
        CONSISTENCY,
        N_("Write the old address in slug: so the page stays where it was, or add it under aliases:."),
    ),
    "url_gone": (
        CONSISTENCY,
        N_("Restore the file, or add the old address under aliases: of the page that replaces it."),
    ),
}
