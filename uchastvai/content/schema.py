"""The content types, declared once.

Each model lists its fields with type, whether required, a label and a help text
(English message ids, translated through the catalogue). That one declaration drives
validation (pydantic collects every error of a file at once), the templates' field
lists, the editors' scaffolds and the JSON Schema of the open-data exports.

Editors write YAML front matter that is read with every scalar as a string (see
:mod:`uchastvai.content.reader`), so the types here do the parsing, strictly: ISO dates only,
amounts as decimals, never floats.
"""

from __future__ import annotations

import re
import types
import typing
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)
from pydantic_core import PydanticCustomError

from uchastvai.core.i18n import N_
from uchastvai.core.money import Money, parse_amount
from uchastvai.content.vocabulary import IdeaState, Labelled

__all__ = ["IdeaState", "Labelled"]  # declared in the vocabulary, used here as field types

# --------------------------------------------------------------------------- scalar types

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()/-]{6,20}$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
# ИСУН codes: BG + 2 digits + 4 letters/digits + 3 digits - procedure - number [- contract]
ISUN_CODE = re.compile(r"^BG\d{2}[A-Z0-9]{4}\d{3}-\d{1,2}\.\d{3}-\d{4}(-C\d{2})?$")
CONSULTATION_ID = re.compile(r"^\d{4}-\d{3}$")
IDEA_ID = re.compile(r"^И-\d{4}-\d{3}$")


def _iso_date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    text = str(value).strip()
    if not _ISO_DATE.match(text):
        raise PydanticCustomError("iso_date", "date expected as YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PydanticCustomError("no_such_date", "this date does not exist") from None


def _iso_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    text = str(value).strip()
    if not _ISO_DATETIME.match(text):
        raise PydanticCustomError("iso_datetime", "date and time expected as YYYY-MM-DD HH:MM")
    try:
        return datetime.fromisoformat(text.replace(" ", "T"))
    except ValueError:
        raise PydanticCustomError("no_such_date", "this date does not exist") from None


def _amount(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    try:
        return parse_amount(str(value))
    except (ValueError, ArithmeticError):
        raise PydanticCustomError("amount", "amount expected such as 179740.00") from None


def _pattern(regex: re.Pattern[str], error: str) -> Any:
    def check(value: str) -> str:
        if not regex.match(value):
            raise PydanticCustomError(error, "wrong format")
        return value

    return AfterValidator(check)


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime)]
Amount = Annotated[Decimal, BeforeValidator(_amount)]
Text = Annotated[str, BeforeValidator(_strip), Field(min_length=1)]
Email = Annotated[str, BeforeValidator(_strip), _pattern(_EMAIL, "email")]
Phone = Annotated[str, BeforeValidator(_strip), _pattern(_PHONE, "phone")]
Url = Annotated[str, BeforeValidator(_strip), _pattern(_URL, "url")]
# A file under content/, e.g. documents/2026-014/proekt.pdf; checked to exist by validation.
ContentFile = Annotated[str, BeforeValidator(_strip), Field(min_length=1)]


def field(label: str, help: str = "", **kwargs: Any) -> Any:
    """Declare a field with its label and help text (message ids for the catalogue)."""
    return Field(title=label, description=help, **kwargs)


# --------------------------------------------------------------------------- shared parts


class Part(BaseModel):
    """A nested block of front matter: unknown keys are typos, and typos are errors."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_enum_values=False)

    @model_validator(mode="before")
    @classmethod
    def _empty_is_missing(cls, data: Any) -> Any:
        """``key:`` with nothing after it means 'not given', not an empty string."""
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v not in ("", None, [], {})}
        return data


class Contact(Part):
    name: Text = field(N_("Name"), N_("Full name of the contact person."))
    role: Text | None = field(N_("Position"), N_("Position or unit of the contact person."), default=None)
    email: Email | None = field(N_("E-mail"), N_("E-mail address for questions and proposals."), default=None)
    phone: Phone | None = field(N_("Phone"), N_("Phone number with area code, e.g. 0331 60 100."), default=None)

    @model_validator(mode="after")
    def _reachable(self) -> Contact:
        if not self.email and not self.phone:
            raise PydanticCustomError("contact_unreachable", "e-mail or phone needed")
        return self


class DocumentType(Labelled):
    DRAFT = "draft", N_("Draft act")
    MOTIVES = "motives", N_("Motives / report")
    IMPACT_ASSESSMENT = "impact_assessment", N_("Preliminary impact assessment")
    REPORT = "report", N_("Report on the proposals received (справка)")
    DECISION = "decision", N_("Decision")
    CONTRACT = "contract", N_("Contract")
    PROGRESS_REPORT = "progress_report", N_("Progress report")
    OTHER = "other", N_("Other document")


class Document(Part):
    type: DocumentType = field(N_("Document type"), N_("What the document is; drives where it is shown."))
    title: Text = field(N_("Document title"), N_("Title as citizens should see it."))
    file: ContentFile | None = field(
        N_("File"), N_("Path under content/, e.g. documents/2026-014/proekt.pdf."), default=None
    )
    url: Url | None = field(N_("Link"), N_("Address of a document published elsewhere."), default=None)
    date: IsoDate | None = field(N_("Date"), N_("Date of the document."), default=None)

    @model_validator(mode="after")
    def _has_target(self) -> Document:
        if not self.file and not self.url:
            raise PydanticCustomError("document_target", "file or url needed")
        return self


class Image(Part):
    file: ContentFile = field(N_("Image file"), N_("Path under content/, e.g. images/projects/park.jpg."))
    alt: Text = field(N_("Alternative text"), N_("What the image shows, for people who cannot see it."))
    caption: Text | None = field(N_("Caption"), N_("Text shown under the image."), default=None)


class Location(Part):
    name: Text = field(N_("Place"), N_("Name of the place, e.g. the village or building."))
    address: Text | None = field(N_("Address"), N_("Street address."), default=None)
    lat: Annotated[Decimal, Field(ge=-90, le=90)] | None = field(
        N_("Latitude"), N_("Decimal degrees, e.g. 42.0117."), default=None
    )
    lon: Annotated[Decimal, Field(ge=-180, le=180)] | None = field(
        N_("Longitude"), N_("Decimal degrees, e.g. 24.8722."), default=None
    )


class ContentItem(Part):
    """Fields every content type has."""

    type_name: ClassVar[str]
    section: ClassVar[str]  # URL folder, in Latin letters
    folder: ClassVar[str]  # folder under content/
    label: ClassVar[str]
    label_plural: ClassVar[str]
    date_field: ClassVar[str | None] = None  # the field Pelican uses as the item's date

    title: Text = field(N_("Title"), N_("Short, plain title as citizens would say it."))
    summary: Text = field(N_("Summary"), N_("One or two sentences: what it is and why it matters."))
    slug: Annotated[str, _pattern(re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$"), "slug")] | None = field(
        N_("Address (slug)"),
        N_("Latin part of the page address; made from the title when empty. Do not change once published."),
        default=None,
    )
    aliases: list[Text] = field(
        N_("Old addresses"), N_("Earlier slugs of this item, which keep redirecting here."), default_factory=list
    )
    sample: bool = field(
        N_("Sample content"), N_("yes for invented example content, so nobody takes it as official."), default=False
    )
    draft: bool = field(
        N_("Draft"), N_("yes while you are still writing: shown in the preview only, not published."), default=False
    )
    images: list[Image] = field(N_("Images"), N_("Photos and illustrations."), default_factory=list)
    documents: list[Document] = field(N_("Documents"), N_("Attached documents."), default_factory=list)


# --------------------------------------------------------------------------- consultations


class ConsultationKind(Labelled):
    REGULATION = "regulation", N_("Regulation or other normative act")
    BUDGET = "budget", N_("Municipal budget")
    STRATEGY = "strategy", N_("Strategy, plan or programme")
    OTHER = "other", N_("Other act")


class Hearing(Part):
    start: IsoDateTime = field(N_("Start"), N_("Date and time, e.g. 2026-03-14 18:00."))
    end: IsoDateTime | None = field(N_("End"), N_("Date and time the meeting ends."), default=None)
    place: Text = field(N_("Place"), N_("Hall or building, e.g. Заседателна зала на Общината."))
    address: Text = field(N_("Address"), N_("Street address of the place."))
    accessibility: Text | None = field(
        N_("Accessibility"), N_("Step-free access, hearing loop, sign language and similar."), default=None
    )
    online: Url | None = field(N_("Online link"), N_("Link to follow or join online."), default=None)
    announced: IsoDate | None = field(
        N_("Announced on"), N_("When the meeting was announced; the consultation's start if empty."), default=None
    )


class WaysToRespond(Part):
    email: Email | None = field(N_("By e-mail"), N_("Address that receives proposals."), default=None)
    post: Text | None = field(N_("By post"), N_("Postal address for written proposals."), default=None)
    in_person: Text | None = field(
        N_("In person"), N_("Where and when proposals are accepted in person."), default=None
    )
    strategy_bg: Url | None = field(
        N_("Portal for public consultations"), N_("Link to the same consultation on strategy.bg."), default=None
    )

    @model_validator(mode="after")
    def _at_least_one(self) -> WaysToRespond:
        if not (self.email or self.post or self.in_person or self.strategy_bg):
            raise PydanticCustomError("no_way_to_respond", "one way to respond needed")
        return self


class CouncilDecision(Part):
    number: Text = field(N_("Decision number"), N_("Number of the municipal council's decision."))
    date: IsoDate = field(N_("Decision date"), N_("Date the council adopted the decision."))
    url: Url | None = field(N_("Link"), N_("Link to the decision in the council's register."), default=None)


class Outcome(Part):
    proposals_received: Annotated[int, Field(ge=0)] = field(
        N_("Proposals received"), N_("Number of proposals received.")
    )
    proposals_accepted: Annotated[int, Field(ge=0)] = field(
        N_("Proposals accepted"), N_("How many of them were accepted, fully or in part.")
    )
    report_date: IsoDate | None = field(
        N_("Report published on"), N_("Date the справка on the proposals was published."), default=None
    )
    decision: CouncilDecision | None = field(N_("Final decision"), N_("The council's decision."), default=None)

    @model_validator(mode="after")
    def _accepted_not_more(self) -> Outcome:
        if self.proposals_accepted > self.proposals_received:
            raise PydanticCustomError("accepted_exceeds_received", "accepted > received")
        return self


class Withdrawal(Part):
    date: IsoDate = field(N_("Withdrawn on"), N_("Date the consultation was withdrawn."))
    reason: Text = field(N_("Reason"), N_("Why the draft was withdrawn."))


class Consultation(ContentItem):
    type_name = "consultation"
    section = "konsultatsii"
    folder = "consultations"
    label = N_("Public consultation")
    label_plural = N_("Public consultations")
    date_field = "opens"

    id: Annotated[str, BeforeValidator(_strip), _pattern(CONSULTATION_ID, "consultation_id")] = field(
        N_("Number"), N_("Year and number, e.g. 2026-014; unique.")
    )
    kind: ConsultationKind = field(N_("Kind"), N_("regulation, budget, strategy or other."))
    act: Text = field(N_("Act concerned"), N_("Name of the act the draft creates or amends."))
    unit: Text = field(N_("Responsible unit"), N_("Directorate or department that runs the consultation."))
    contacts: Annotated[list[Contact], Field(min_length=1)] = field(
        N_("Contacts"), N_("At least one person with e-mail or phone.")
    )
    opens: IsoDate = field(N_("Published on"), N_("Day the draft is published; the period runs from the next day."))
    closes: IsoDate = field(N_("Proposals until"), N_("Last day for proposals (counts in full)."))
    short_period_reason: Text | None = field(
        N_("Reason for a shorter period"),
        N_("Required when the period is 14 to 29 days (ЗНА, чл. 26, ал. 4)."),
        default=None,
    )
    respond: WaysToRespond = field(N_("How to respond"), N_("Every channel through which proposals are accepted."))
    hearings: list[Hearing] = field(N_("Public hearings"), N_("Meetings open to the public."), default_factory=list)
    outcome: Outcome | None = field(N_("Outcome"), N_("Filled in after the period ends."), default=None)
    withdrawn: Withdrawal | None = field(
        N_("Withdrawn"), N_("Only if the draft was withdrawn: date and reason."), default=None
    )
    area: Text | None = field(
        N_("Area"), N_("Town, village or district concerned, if not the whole municipality."), default=None
    )


# --------------------------------------------------------------------------- projects


# A programme period and the EU emblem statement its publicity rules require (GUIDE §2):
# Reg. 1303/2013 Annex XII (2014-2020 and earlier) „Европейски съюз“ with the fund named under it;
# Reg. 2021/1060 art. 47 (2021-2027) „Съфинансирано от Европейския съюз“, no fund. An empty emblem
# means no EU funding (no publicity block). (Comments, not docstrings: those reach the JSON Schema.)
def consultation_period_days(item: Consultation) -> int:
    """Days for proposals, from the day after publication to the last day inclusive (rules and facts share it)."""
    return (item.closes - item.opens).days


class ProgrammePeriod(Labelled):
    emblem: str
    names_fund: bool

    def __new__(cls, value: str, label: str, emblem: str = "", names_fund: bool = False) -> ProgrammePeriod:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        obj.emblem = emblem
        obj.names_fund = names_fund
        return obj

    @property
    def is_eu(self) -> bool:
        return bool(self.emblem)

    P2007_2013 = "2007-2013", N_("2007-2013"), N_("European Union"), True
    P2014_2020 = "2014-2020", N_("2014-2020"), N_("European Union"), True
    P2021_2027 = "2021-2027", N_("2021-2027"), N_("Co-funded by the European Union"), False
    NATIONAL = "national", N_("National or municipal funding")


# A fund, and how the publicity statement names it („… чрез Европейския фонд за регионално развитие“).
class Fund(Labelled):
    through: str

    def __new__(cls, value: str, label: str, through: str = N_("through the European Union budget")) -> Fund:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        obj.through = through
        return obj

    ERDF = "ERDF", N_("European Regional Development Fund"), N_("through the European Regional Development Fund")
    ESF = "ESF", N_("European Social Fund"), N_("through the European Social Fund")
    ESF_PLUS = "ESF+", N_("European Social Fund Plus"), N_("through the European Social Fund Plus")
    CF = "CF", N_("Cohesion Fund"), N_("through the Cohesion Fund")
    EAFRD = (
        "EAFRD",
        N_("European Agricultural Fund for Rural Development"),
        N_("through the European Agricultural Fund for Rural Development"),
    )
    JTF = "JTF", N_("Just Transition Fund"), N_("through the Just Transition Fund")
    RRF = "RRF", N_("Recovery and Resilience Facility"), N_("through the Recovery and Resilience Facility")
    NATIONAL = "national", N_("National budget")
    MUNICIPAL = "municipal", N_("Municipal budget")


class Budget(Part):
    currency: Annotated[str, _pattern(re.compile(r"^(EUR|BGN)$"), "currency")] = field(
        N_("Currency"), N_("Currency of the contract: EUR or BGN.")
    )
    total: Amount = field(N_("Total value"), N_("Total value of the project."))
    grant_eu: Amount = field(N_("Grant: EU share"), N_("Part of the grant paid from EU funds."))
    grant_national: Amount = field(N_("Grant: national share"), N_("Part of the grant paid from the national budget."))
    own: Amount = field(N_("Own co-financing"), N_("The municipality's own contribution."))
    paid: Amount = field(N_("Paid to date"), N_("Amount paid out so far."))

    def money(self, amount: Decimal) -> Money:
        return Money(amount, self.currency)

    @property
    def grant(self) -> Decimal:
        return self.grant_eu + self.grant_national


class Contract(Part):
    number: Text = field(N_("Contract number"), N_("Number of the grant contract."))
    date: IsoDate = field(N_("Contract date"), N_("Date the contract was signed."))


class Indicator(Part):
    name: Text = field(N_("Indicator"), N_("What is measured."))
    unit: Text = field(N_("Unit"), N_("Unit of measurement, e.g. бр. or м²."))
    target: Annotated[Decimal, Field(ge=0)] = field(N_("Target"), N_("Value to be reached."))
    achieved: Annotated[Decimal, Field(ge=0)] = field(N_("Achieved"), N_("Value reached so far."), default=Decimal(0))


class Milestone(Part):
    date: IsoDate = field(N_("Date"), N_("Planned or actual date."))
    title: Text = field(N_("Milestone"), N_("What happens."))
    done: bool = field(N_("Done"), N_("yes when it has happened."), default=False)


class Termination(Part):
    date: IsoDate = field(N_("Terminated on"), N_("Date the contract was terminated."))
    reason: Text = field(N_("Reason"), N_("Why the project was terminated."))


class Project(ContentItem):
    type_name = "project"
    section = "proekti"
    folder = "projects"
    label = N_("Project")
    label_plural = N_("Projects")
    date_field = "start"

    code: Annotated[str, BeforeValidator(_strip), Field(min_length=1)] = field(
        N_("Project code"), N_("Code from ИСУН, e.g. BG16RFOP001-8.006-0008-C01; unique.")
    )
    programme: Text = field(N_("Programme"), N_("e.g. Оперативна програма „Региони в растеж“ 2014-2020."))
    period: ProgrammePeriod = field(N_("Programme period"), N_("2014-2020, 2021-2027 or national."))
    procedure: Text | None = field(N_("Procedure"), N_("Priority axis or procedure of the call."), default=None)
    fund: Fund = field(N_("Fund"), N_("ERDF, ESF+, CF, EAFRD, national, ..."))
    beneficiary: Text = field(N_("Beneficiary"), N_("Who carries out the project."))
    partners: list[Text] = field(N_("Partners"), N_("Partner organisations."), default_factory=list)
    contract: Contract = field(N_("Contract"), N_("Number and date of the grant contract."))
    start: IsoDate = field(N_("Start"), N_("Start date of the project."))
    end: IsoDate = field(N_("End"), N_("Planned end date."))
    completed_on: IsoDate | None = field(
        N_("Completed on"), N_("Actual date of completion, once completed."), default=None
    )
    terminated: Termination | None = field(N_("Terminated"), N_("Only if the contract was terminated."), default=None)
    budget: Budget = field(N_("Budget"), N_("Amounts in the contract's currency."))
    locations: list[Location] = field(N_("Locations"), N_("Where the work takes place."), default_factory=list)
    aims: list[Text] = field(N_("Aims"), N_("What the project aims at."), default_factory=list)
    activities: list[Text] = field(N_("Activities"), N_("Main activities."), default_factory=list)
    results: list[Text] = field(N_("Expected results"), N_("What will be there at the end."), default_factory=list)
    indicators: list[Indicator] = field(N_("Indicators"), N_("Measured targets."), default_factory=list)
    milestones: list[Milestone] = field(N_("Milestones"), N_("Steps with dates."), default_factory=list)
    updated: IsoDate = field(N_("Last updated"), N_("Date the information was last checked."))
    area: Text | None = field(N_("Area"), N_("Town, village or district."), default=None)

    @property
    def is_eu_funded(self) -> bool:
        return self.period.is_eu


# --------------------------------------------------------------------------- ideas


class IdeaCost(Part):
    amount: Amount = field(N_("Amount"), N_("Estimated cost."))
    currency: Annotated[str, _pattern(re.compile(r"^(EUR|BGN)$"), "currency")] = field(
        N_("Currency"), N_("EUR or BGN."), default="EUR"
    )


class Answer(Part):
    text: Text = field(N_("Answer"), N_("The municipality's answer to the proposer."))
    date: IsoDate = field(N_("Answer date"), N_("When the answer was given."))


class Idea(ContentItem):
    type_name = "idea"
    section = "idei"
    folder = "ideas"
    label = N_("Project idea")
    label_plural = N_("Project ideas")
    date_field = "received"

    id: Annotated[str, BeforeValidator(_strip), _pattern(IDEA_ID, "idea_id")] = field(
        N_("Number"), N_("И-, year and number, e.g. И-2026-003; unique.")
    )
    proposer: Text = field(
        N_("Proposed by"), N_("Name only with the proposer's consent; otherwise гражданин."), default="гражданин"
    )
    received: IsoDate = field(N_("Received on"), N_("Date the idea was received."))
    area: Text = field(N_("Area"), N_("Town, village or district."))
    category: Text = field(N_("Category"), N_("e.g. Благоустройство, Образование, Спорт."))
    estimated_cost: IdeaCost | None = field(N_("Estimated cost"), N_("Optional estimate."), default=None)
    state: IdeaState = field(N_("State"), N_("received, evaluating, accepted, rejected or withdrawn."))
    project: Text | None = field(
        N_("Resulting project"), N_("Code of the project that came of the idea (when accepted)."), default=None
    )
    rejection_reason: Text | None = field(N_("Reason for rejection"), N_("Required when rejected."), default=None)
    answer: Answer | None = field(N_("Municipality's answer"), N_("Answer and its date."), default=None)


# --------------------------------------------------------------------------- news and pages


class News(ContentItem):
    type_name = "news"
    section = "novini"
    folder = "news"
    label = N_("News")
    label_plural = N_("News")
    date_field = "date"

    date: IsoDate = field(N_("Date"), N_("Publication date."))
    related: list[Text] = field(
        N_("Related"), N_("Numbers of consultations or codes of projects this news is about."), default_factory=list
    )


class Page(ContentItem):
    type_name = "page"
    section = ""
    folder = "pages"
    label = N_("Page")
    label_plural = N_("Pages")

    order: Annotated[int, Field(ge=0)] = field(N_("Order"), N_("Position in the footer menu."), default=100)


def unwrap(annotation: Any) -> Any:
    """The type inside ``Annotated[...]`` and ``X | None`` (lists kept)."""
    while True:
        if typing.get_origin(annotation) is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif typing.get_origin(annotation) in (typing.Union, types.UnionType):
            args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def nested_model(annotation: Any, *, through_lists: bool = True) -> type[BaseModel] | None:
    """The group of fields a field holds (``Contact``, ``list[Hearing]`` → ``Hearing``), if any.

    Validation, scaffolds, the guide and the CSV columns all walk the schema with this.
    """
    inner = unwrap(annotation)
    if through_lists and typing.get_origin(inner) is list:
        inner = unwrap(typing.get_args(inner)[0])
    return inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None


CONTENT_TYPES: dict[str, type[ContentItem]] = {
    model.type_name: model for model in (Consultation, Project, Idea, News, Page)
}
TYPE_BY_FOLDER: dict[str, type[ContentItem]] = {model.folder: model for model in CONTENT_TYPES.values()}
