"""The site's closed vocabularies, each declared once: choices with labels and item states.

Python and the templates read the same members: a state knows its label (an English
message id, translated through the catalogue), the Latin slug of its filter page, its
place in the lists and whether it is *current* (something citizens can still act on or
follow). Adding a state is one line here (and its translation).
"""

from __future__ import annotations

from enum import Enum

from uchastvai.core.i18n import N_, gettext


class Labelled(str, Enum):
    """A choice whose label is a message id; its value is what editors write."""

    label: str

    def __new__(cls, value: str, label: str) -> Labelled:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj

    @property
    def text(self) -> str:
        """The label in the site's language."""
        return gettext(self.label)


class State(Labelled):
    """An item's state: value, label, filter-page slug, list position, whether current."""

    slug: str
    order: int
    is_current: bool

    def __new__(cls, value: str, label: str, slug: str, order: int, is_current: bool = False) -> State:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        obj.slug = slug
        obj.order = order
        obj.is_current = is_current
        return obj

    @classmethod
    def in_order(cls) -> list[State]:
        """The states in the order the section lists and filters show them."""
        return sorted(cls, key=lambda state: state.order)


class ConsultationState(State):
    """Derived from dates; only ``withdrawn`` is set by an editor (GUIDE §1)."""

    UPCOMING = "upcoming", N_("Upcoming"), "predstoyashti", 2, True
    OPEN = "open", N_("Open for proposals"), "otvoreni", 1, True
    CLOSED = "closed", N_("Closed, report pending"), "zatvoreni", 3
    REPORTED = "reported", N_("Report published"), "sas-spravka", 4
    DECIDED = "decided", N_("Decided"), "s-reshenie", 5
    WITHDRAWN = "withdrawn", N_("Withdrawn"), "ottegleni", 6


# Derived from the contract's dates, completion and termination. (No docstring: it would reach the
# JSON Schema of the open data.)
class ProjectState(State):
    CONTRACTED = "contracted", N_("Contracted"), "dogovoreni", 2, True
    IN_PROGRESS = "in_progress", N_("In progress"), "v-izpalnenie", 1, True
    COMPLETED = "completed", N_("Completed"), "priklyucheni", 3
    TERMINATED = "terminated", N_("Terminated"), "prekrateni", 4


# Set by the editor in the idea's front matter.
class IdeaState(State):
    RECEIVED = "received", N_("Received"), "postapili", 1, True
    EVALUATING = "evaluating", N_("Being evaluated"), "v-otsenka", 2, True
    ACCEPTED = "accepted", N_("Accepted"), "prieti", 3
    REJECTED = "rejected", N_("Rejected"), "otharleni", 4
    WITHDRAWN = "withdrawn", N_("Withdrawn"), "ottegleni", 5


# The state vocabulary of each content type that has states.
STATES: dict[str, type[State]] = {
    "consultation": ConsultationState,
    "project": ProjectState,
    "idea": IdeaState,
}


def find_state(type_name: str, value: State | str) -> State:
    """The state member of a content type by its value (``KeyError`` for anything else)."""
    for state in STATES[type_name]:
        if state == value:
            return state
    raise KeyError(f"{type_name} has no state {value!r}")


def any_state(value: State | str) -> State | None:
    """The state of whichever content type has this value (``withdrawn`` reads the same everywhere)."""
    if isinstance(value, State):
        return value
    for states in STATES.values():
        for state in states:
            if state == value:
                return state
    return None
