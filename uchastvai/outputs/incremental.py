"""Render only what changed: every other output file is reused from an earlier build.

A build writes into a staging folder that is swapped in only when it succeeded
(:mod:`uchastvai.build`). Instead of an empty folder, the staging folder is the *spare*:
the output of the build before the last one, kept aside after its swap. Each output file
of a build is recorded with a key, a digest of everything its writer is given before it
renders (the template's sources and settings, the objects passed to it, every context
variable the template can read) and the catalogue lookups the template made while it
rendered (``catalog.find(...)``, ``catalog.pages``) with a digest of each answer. When the
next build asks for the same file with the same key and the same lookups still give the
same answers, the file already in the spare is kept (or, when it changed in the last
build only, copied from the live output) instead of being rendered again. Files nobody
produced this time are removed at the end, so the result is byte for byte what a build
from an empty folder writes (the suite checks this after edits, additions, deletions, a
new day and a template change).

Which tree holds which build is known by a token in an extended attribute of its folder
(``user.uchastvai.tree``), never by a file in the published tree; the records live in the
cache folder under that token. Where the file system keeps no extended attributes, or a
tree's token has no records (a killed build), nothing is reused: every file is rendered.
Reused pages are copies, never hard links, so writing into one tree never changes another;
only a tool's folder taken from the live output (the search index, thousands of files that
its tool writes only into an emptied folder) is linked.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import functools
import hashlib
import logging
import os
import pickle
import re
import secrets
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from importlib.metadata import distributions
from pathlib import Path, PurePath
from typing import Any, NamedTuple, TypeVar

from jinja2 import Template, TemplateNotFound, meta, nodes
from pelican import signals
from pelican.generators import StaticGenerator
from pelican.paginator import Page as PelicanPage
from pelican.urlwrappers import URLWrapper
from pelican.utils import sanitised_join
from pelican.writers import Writer

from uchastvai import pelican_compat
from uchastvai.outputs import parallel

logger = logging.getLogger(__name__)

TOKEN_ATTRIBUTE = "user.uchastvai.tree"
RECORDS_FOLDER = "outputs"
ENABLE_SETTING = "OUTPUT_REUSE"  # set by uchastvai.build, which owns the trees
# Settings that name the trees or the moment, never what a page shows.
_VOLATILE_SETTINGS = {"OUTPUT_PATH", "PREVIOUS_OUTPUT_PATH", "BUILD_TIME", ENABLE_SETTING, "RELEASE_RECORD"}
_LINK = re.compile(r"\{(?:filename|static|index|tag|category|author)\}|\|(?:filename|static)\|")


class Unkeyable(Exception):
    """A value with no stable digest: the file that depends on it is always rendered."""


# --------------------------------------------------------------------------- digests


def _sha(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()


@dataclass(frozen=True)
class AsRead:
    """A content object in a key by what its file says (item, body, metadata) and its address,
    without the facts derived on the build day: for an output that shows none of them (an
    item's own feed or calendar), so it is not made again each day."""

    content: Any


class Fingerprints:
    """Stable digests of what templates are given, memoised per object for one build."""

    def __init__(self) -> None:
        self._by_id: dict[int, tuple[Any, str]] = {}
        # Digest of what a content file reads as (item, body, metadata), by the file's identity:
        # kept from build to build, as Pelican's reader cache keeps the reading itself.
        self.sources: dict[str, tuple[tuple[int, ...], str]] = {}
        self.used_sources: set[str] = set()
        self.links = ""  # digest of every address of the site (set by the writer: see site_links)
        self.started = float("inf")  # the build's start on the file system's clock

    def of(self, value: Any) -> str:
        """A digest of ``value`` that is equal in two processes exactly when it shows the same."""
        known = self._by_id.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        if hasattr(value, "item") and hasattr(value, "source_path"):
            result = self._content(value)
        elif isinstance(value, PelicanPage):
            result = self._page(value)
        else:
            tokens: list[str] = []
            self._write(value, tokens)
            result = hashlib.sha256("\x1f".join(tokens).encode()).hexdigest()
        if not isinstance(value, (str, int, float, bool, bytes)) and value is not None:
            self._by_id[id(value)] = (value, result)  # holding the value keeps its id unique
        return result

    def _write(self, value: Any, out: list[str]) -> None:
        """``value`` as tokens: type names, ``repr`` of scalars (control characters escaped), structure."""
        if value is None or isinstance(value, (str, int, float, bool, bytes, Decimal, date, datetime, enum.Enum)):
            out.append(f"{type(value).__qualname__}:{value!r}")
        elif isinstance(value, (list, tuple)):
            out.append(f"{type(value).__name__}[{len(value)}")
            for item in value:
                self._write(item, out)
            out.append("]")
        elif isinstance(value, dict):
            out.append(f"dict[{len(value)}")
            for key, item in sorted(((self.of(k), v) for k, v in value.items()), key=lambda pair: pair[0]):
                out.append(key)
                self._write(item, out)
            out.append("]")
        elif isinstance(value, (set, frozenset)):
            out.append(f"set[{len(value)}")
            out.extend(sorted(self.of(item) for item in value))
            out.append("]")
        elif (hasattr(value, "item") and hasattr(value, "source_path")) or isinstance(value, PelicanPage):
            out.append(self.of(value))
        elif isinstance(value, AsRead):
            out.append(f"as read:{self._source(value.content)}:{value.content.url!r}")
        elif isinstance(value, type):
            out.append(f"type:{value.__module__}.{value.__qualname__}")
        elif isinstance(value, PurePath):
            out.append(f"path:{value!s}")
        elif isinstance(value, URLWrapper):  # a category, tag or author: its name and addresses
            out.append(f"{type(value).__name__}:{value.name!r}:{value.slug!r}:{value.url!r}")
        elif dataclasses.is_dataclass(value):
            self._fields(value, [f.name for f in dataclasses.fields(value)], out)
        elif hasattr(value, "model_dump") and hasattr(type(value), "model_fields"):  # a pydantic model
            self._fields(value, list(type(value).model_fields), out)
        else:
            raise Unkeyable(type(value).__qualname__)

    def _fields(self, value: Any, names: list[str], out: list[str]) -> None:
        out.append(f"{type(value).__qualname__}{{")
        for name in names:
            out.append(name)
            self._write(getattr(value, name), out)
        out.append("}")

    def _content(self, content: Any) -> str:
        """A Pelican article or page: its item, facts, body, addresses and metadata; and, when
        its body links other files (``{filename}``, ``{static}``), every address of the site."""
        body = getattr(content, "_content", None) or ""
        if "{attach}" in body or "|attach|" in body:
            raise Unkeyable("{attach} moves a file when the page renders")
        tokens: list[str] = ["content", self._source(content)]
        if _LINK.search(body):
            tokens.append(self.links)
        for part in (
            getattr(content, "facts", None),  # derived at the build time: never from the memo
            content.url,  # frozen after reading; the output path follows from the same settings and fields
            getattr(content, "status", None),
            getattr(content, "template", None),
        ):
            self._write(part, tokens)
        return hashlib.sha256("\x1f".join(tokens).encode()).hexdigest()

    def _source(self, content: Any) -> str:
        """The digest of the item, body and metadata, which follow from the file and the settings."""
        path = content.source_path
        self.used_sources.add(path)
        try:
            stat = os.stat(path)
            identity: tuple[int, ...] = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
        except OSError:
            identity = ()
        known = self.sources.get(path)
        if identity and known is not None and known[0] == identity:
            return known[1]
        tokens: list[str] = []
        for part in (
            content.item,
            getattr(content, "_content", None),
            {k: v for k, v in content.metadata.items() if not k.startswith("front_matter")},
        ):
            self._write(part, tokens)
        digest = hashlib.sha256("\x1f".join(tokens).encode()).hexdigest()
        if identity and stat.st_mtime < self.started and stat.st_ctime < self.started:
            self.sources[path] = (identity, digest)  # not a file saved while this build read it
        return digest

    def _page(self, page: PelicanPage) -> str:
        """One page of a list: its items and where it sits among the others."""
        paginator = page.paginator
        parts = [page.number, paginator.num_pages, paginator.count, page.url, page.save_as, paginator.per_page]
        return _sha(b"page", self.of(parts).encode(), self.of(list(page.object_list)).encode())


def settings_digest(settings: dict[str, Any], fingerprints: Fingerprints) -> str:
    """What every output depends on: settings (but the trees' and the moment's), library
    versions, the templates and static files of the theme, our code and translations."""
    digest = hashlib.sha256()
    for name in sorted(settings):
        if name in _VOLATILE_SETTINGS or not name.isupper():
            continue
        try:
            value = fingerprints.of(settings[name])
        except Unkeyable:
            value = _stable_repr(settings[name])
        digest.update(f"{name}={value}\n".encode())
    digest.update(f"{sys.version}\n".encode())
    for name, release in sorted(_installed().items()):  # every library and tool (Pagefind, tzdata…)
        digest.update(f"{name} {release}\n".encode())
    zoneinfo_file = Path("/usr/share/zoneinfo/Europe/Sofia")
    if zoneinfo_file.is_file():
        digest.update(zoneinfo_file.read_bytes())
    package = Path(__file__).resolve().parent.parent
    folders = [package, Path(settings.get("THEME", ""))]
    folders += [Path(folder) for folder in settings.get("EXTRA_TEMPLATES_PATHS") or []]
    if settings.get("THEME_TEMPLATES_OVERRIDES"):
        folders += [Path(folder) for folder in settings["THEME_TEMPLATES_OVERRIDES"]]
    for folder in folders:
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
                digest.update(path.relative_to(folder).as_posix().encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _installed() -> dict[str, str]:
    """Name and version of every installed distribution."""
    found: dict[str, str] = {}
    for distribution in distributions():
        name = distribution.metadata["Name"] or ""
        found[name.lower()] = distribution.version
    return found


def _stable_repr(value: Any) -> str:
    """Functions and classes by name (their ``repr`` holds a memory address)."""
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    return type(value).__qualname__


# --------------------------------------------------------------------------- what a template reads


def template_variables(template: Template) -> frozenset[str] | None:
    """Every top-level name the template, its parents, includes and imports can read.

    ``None`` when a referenced template is dynamic (its name computed at render time).
    """
    names: set[str] = set()
    seen: set[str] = set()
    pending: list[str] = [template.name] if template.name else []
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        found = _file_variables(template.environment, name)
        if found is None:
            return None
        variables, referenced = found
        names |= variables
        pending += referenced
    return frozenset(names)


_parsed: dict[tuple[str, str], tuple[frozenset[str], tuple[str, ...]] | None] = {}


def _file_variables(environment: Any, name: str) -> tuple[frozenset[str], tuple[str, ...]] | None:
    """One template file's free names and the templates it names, parsed once per source."""
    assert environment.loader is not None
    try:
        source = environment.loader.get_source(environment, name)[0]
    except TemplateNotFound:  # an include with "ignore missing": nothing to read from it
        return frozenset(), ()
    key = (name, hashlib.sha256(source.encode()).hexdigest())  # every generator's environment parses alike
    if key not in _parsed:
        tree = environment.parse(source)
        referenced = list(meta.find_referenced_templates(tree))
        dynamic = None in referenced or any(
            not isinstance(getattr(node, "template", None), nodes.Const)
            for node in tree.find_all((nodes.Import, nodes.FromImport))
        )
        found = (frozenset(meta.find_undeclared_variables(tree)), tuple(r for r in referenced if r is not None))
        _parsed[key] = None if dynamic else found
    return _parsed[key]


# --------------------------------------------------------------------------- lookups while rendering

# (owner, name, arguments, digest of the answer): owner is "catalog" for a catalogue
# attribute or method, "context" for a function of the context (``responsive_image``…);
# arguments None for an attribute.
Read = tuple[str, str, tuple[Any, ...] | None, str]
FunctionT = TypeVar("FunctionT", bound=Callable[..., Any])
T = TypeVar("T")


def _argument(value: Any) -> Any:
    """An argument as it can be recorded and given again next build: content by its source."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "item") and hasattr(value, "source_path"):
        return _ContentRef(value.source_path)
    if isinstance(value, (list, tuple)):
        return tuple(_argument(v) for v in value)
    raise Unkeyable(f"argument {type(value).__qualname__}")


@dataclass(frozen=True)
class _ContentRef:
    source_path: str


PURE = "_uchastvai_pure"


def pure(function: FunctionT) -> FunctionT:
    """Mark a function of the template context whose answer follows from its arguments and
    the settings alone (no catalogue, no files): a rebuild compares its arguments instead of
    calling it again."""
    setattr(function, PURE, True)
    return function


class Recorder:
    """Notes what a template looks up while it renders, with a digest of each answer."""

    def __init__(self, fingerprints: Fingerprints) -> None:
        self.fingerprints = fingerprints
        self.reads: list[Read] = []

    def catalog(self, catalog: Any) -> Any:
        recorder = self

        class RecordingCatalog:
            def __getattr__(self, name: str) -> Any:
                value = getattr(catalog, name)
                if callable(value):
                    return recorder.function("catalog", name, value)
                recorder.reads.append(("catalog", name, None, recorder.fingerprints.of(value)))
                return value

        return RecordingCatalog()

    def function(self, owner: str, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        if getattr(function, PURE, False):
            owner = "pure"  # its answer follows from its arguments: the arguments are what is noted

        def call(*args: Any, **kwargs: Any) -> Any:
            if kwargs:
                raise Unkeyable(f"{name} with keywords")
            answer = function(*args)
            noted = self.fingerprints.of(args) if owner == "pure" else self.fingerprints.of(answer)
            self.reads.append((owner, name, tuple(_argument(a) for a in args), noted))
            return answer

        return call


class Replay:
    """Whether recorded lookups still give the same answers, each asked once per build."""

    def __init__(self, fingerprints: Fingerprints) -> None:
        self.fingerprints = fingerprints
        self.answers: dict[Any, str] = {}
        self.contents: dict[str, Any] = {}

    def same(self, reads: Iterable[Read], catalog: Any, context: dict[str, Any]) -> bool:
        for owner, name, args, expected in reads:
            key = (owner, name, args)
            if key not in self.answers:
                self.answers[key] = self._ask(owner, name, args, catalog, context)
            if self.answers[key] != expected:
                return False
        return True

    def _ask(self, owner: str, name: str, args: tuple[Any, ...] | None, catalog: Any, context: dict[str, Any]) -> str:
        try:
            if owner == "pure":
                resolved = tuple(self._resolve(a, context) for a in args or ())
                return self.fingerprints.of(resolved) if getattr(context[name], PURE, False) else ""
            value = getattr(catalog, name) if owner == "catalog" else context[name]
            if args is not None:
                value = value(*(self._resolve(a, context) for a in args))
            return self.fingerprints.of(value)
        except Exception:  # a lookup that no longer works: render again
            return ""

    def _resolve(self, value: Any, context: dict[str, Any]) -> Any:
        if isinstance(value, tuple):
            return tuple(self._resolve(v, context) for v in value)
        if not isinstance(value, _ContentRef):
            return value
        if not self.contents:
            for name in ("articles", "drafts", "pages", "hidden_pages", "draft_pages"):
                for content in context.get(name) or []:
                    self.contents[content.source_path] = content
        return self.contents[value.source_path]


# --------------------------------------------------------------------------- the trees


class Record(NamedTuple):
    """How an output file was made: the key of its inputs and the lookups of its rendering.

    A tuple, not a dataclass: tens of thousands are loaded at the start of every rebuild,
    and a tuple unpickles in half the time."""

    key: str
    reads: tuple[Read, ...] = ()
    inputs: tuple[str, ...] = ()  # for a tool's folder: the output files it was made from
    size: int = -1  # of the file as written (a file cut short by a power cut is not reused)


def _kernel_now(folder: Path) -> float:
    """The file system's clock now (inode times come from it, not from ``time.time``)."""
    marker = folder / f".started-{os.getpid()}"
    marker.touch()
    try:
        return marker.stat().st_ctime
    finally:
        marker.unlink()


def _has_size(path: Path, record: Record | None) -> bool:
    try:
        size = os.stat(path).st_size
    except OSError:
        return False
    return record is not None and (record.size < 0 or record.size == size)


def tree_token(folder: Path) -> str | None:
    try:
        return os.getxattr(folder, TOKEN_ATTRIBUTE).decode("ascii")
    except (OSError, UnicodeDecodeError):
        return None


def mark_tree(folder: Path) -> str | None:
    """Give ``folder`` a new token (its old records no longer apply); None where unsupported."""
    token = secrets.token_hex(12)
    try:
        os.setxattr(folder, TOKEN_ATTRIBUTE, token.encode("ascii"))
    except OSError:
        with contextlib.suppress(OSError):  # an old token must not vouch for what this build writes
            os.removexattr(folder, TOKEN_ATTRIBUTE)
        return None
    return token


Variables = dict[str | None, frozenset[str] | None]


def _load(folder: Path, token: str | None) -> dict[str, Any]:
    """A tree's saved state: ``records``, and the ``variables`` of each template under ``digest``."""
    if token is None:
        return {}
    try:
        with (folder / f"{token}.pickle").open("rb") as file:
            state: dict[str, Any] = pickle.load(file)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return {}
    return state if isinstance(state, dict) and isinstance(state.get("records"), dict) else {}


@dataclass
class OutputCache:
    """The records of the spare (the staging folder) and of the live output, and this build's."""

    staging: Path
    live: Path | None
    folder: Path
    digest: str
    spare_records: dict[str, Record]
    live_records: dict[str, Record]
    token: str | None
    live_token: str | None = None
    started: float = field(default_factory=time.time)
    records: dict[str, Record] = field(default_factory=dict)
    kept: set[str] = field(default_factory=set)  # left in staging as the spare had them
    copied: set[str] = field(default_factory=set)  # copied from the live output
    rendered: set[str] = field(default_factory=set)
    produced: set[str] = field(default_factory=set)  # made by others (static files, the search index)
    statics: list[tuple[Any, str]] = field(default_factory=list)  # Pelican's static files, where they were
    # to go before writing (an {attach} link may move one while its page renders)
    unkeyed: set[str] = field(default_factory=set)  # rendered without a key (always rendered)
    removed: list[str] = field(default_factory=list)  # left by an earlier build, not produced by this one
    emptied: set[str] = field(default_factory=set)  # folders that lost a file before the clean-up
    fingerprints: Fingerprints = field(default_factory=Fingerprints)
    variables: Variables = field(default_factory=dict)
    # Pieces several outputs are assembled from (a consultation's calendar events), by key:
    # those kept by earlier builds, and those this build used (saved with its records).
    fragments: dict[str, Any] = field(default_factory=dict)
    used_fragments: dict[str, Any] = field(default_factory=dict)
    replay: Replay = field(init=False)
    _reads: dict[Read, Read] = field(default_factory=dict)  # see _shared
    deferred: list[_Render] = field(default_factory=list)  # item pages the writer renders together

    def __post_init__(self) -> None:
        self.replay = Replay(self.fingerprints)

    @classmethod
    def open(cls, settings: dict[str, Any]) -> OutputCache:
        staging = Path(settings["OUTPUT_PATH"])
        previous = settings.get("PREVIOUS_OUTPUT_PATH")
        live = Path(previous) if previous and Path(previous).is_dir() else None
        folder = Path(settings["CACHE_PATH"]) / RECORDS_FOLDER
        spare = _load(folder, tree_token(staging))
        live_state = _load(folder, tree_token(live)) if live is not None else {}
        token = mark_tree(staging)
        started = _kernel_now(staging)
        fingerprints = Fingerprints()
        fingerprints.started = started
        digest = settings_digest(settings, fingerprints)
        # What each template can read, found by parsing it: the same while the templates are.
        same_settings = [state for state in (live_state, spare) if state.get("digest") == digest]
        variables: Variables = same_settings[0]["variables"] if same_settings else {}
        if same_settings:
            fingerprints.sources.update(same_settings[0].get("sources", {}))
        fragments = {key: value for state in same_settings for key, value in state.get("fragments", {}).items()}
        return cls(
            staging,
            live,
            folder,
            digest,
            spare.get("records", {}) if token else {},
            live_state.get("records", {}) if token else {},
            token,
            tree_token(live) if live is not None else None,
            started=started,
            fingerprints=fingerprints,
            variables=dict(variables),
            fragments=fragments if token else {},
        )

    @property
    def enabled(self) -> bool:
        return self.token is not None

    def key(self, *parts: Any) -> str:
        return _sha(self.digest.encode(), *(self.fingerprints.of(part).encode() for part in parts))

    def reuse(self, name: str, key: str, catalog: Any = None, context: dict[str, Any] | None = None) -> bool:
        """Whether ``name`` (relative to the output) is in staging as this build would write it."""
        if not self.enabled:
            return False
        target = self.staging / name
        record = self.spare_records.get(name)
        if self._valid(record, key, catalog, context) and _has_size(target, record):
            self.kept.add(name)
            return self._keep(name, record)
        record = self.live_records.get(name)
        source = self.live / name if self.live is not None else None
        if (
            self._valid(record, key, catalog, context)
            and source is not None
            and _has_size(source, record)
            and self._live_unchanged()
        ):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)
            shutil.copy2(source, target)
            self.copied.add(name)
            return self._keep(name, record)
        return False

    def _live_unchanged(self) -> bool:
        """Whether the live output is still the tree whose records were read (another build
        may have swapped in its own meanwhile)."""
        return self.live is not None and tree_token(self.live) == self.live_token

    def _valid(self, record: Record | None, key: str, catalog: Any, context: dict[str, Any] | None) -> bool:
        if record is None or record.key != key:
            return False
        return not record.reads or self.replay.same(record.reads, catalog, context or {})

    def _keep(self, name: str, record: Record | None) -> bool:
        assert record is not None
        self.records[name] = record
        return True

    def reuse_folder(self, name: str, key: str) -> bool:
        """Like :meth:`reuse` for a whole folder (``name`` ends with ``/``) made by one tool:
        kept from the spare, else linked from the live output (:func:`_link_or_copy`), else
        emptied for the tool."""
        target = self.staging / name
        if self.enabled:
            record = self.spare_records.get(name)
            if record is not None and record.key == key and target.is_dir():
                self.kept.add(name)
                return self._keep(name, record)
            record = self.live_records.get(name)
            source = self.live / name if self.live is not None else None
            if record is not None and record.key == key and source is not None and source.is_dir():
                shutil.rmtree(target, ignore_errors=True)
                shutil.copytree(source, target, copy_function=_link_or_copy)
                self.copied.add(name)
                return self._keep(name, record)
        shutil.rmtree(target, ignore_errors=True)
        return False

    def static_file(self, name: str, source: str) -> None:
        """Keep the spare's copy of a static file only when it was copied from this very source."""
        self.produced.add(name)
        try:
            stat = os.stat(source)
        except OSError:
            return
        key = f"static {stat.st_size} {stat.st_mtime_ns} {stat.st_ctime_ns} {stat.st_ino}"
        record = self.spare_records.get(name)
        target = os.path.join(self.staging, name)
        if self.enabled and record is not None and record.key == key and os.path.isfile(target):
            self.kept.add(name)
            self._keep(name, record)
            return
        with contextlib.suppress(FileNotFoundError):
            os.unlink(target)
        self.wrote(name, key)

    def remove_unrecorded(self, candidates: Iterable[str]) -> None:
        """Remove these files unless this build wrote or kept them (yet): a tool about to read
        the staging folder (the search indexer) must not see pages an earlier build left."""
        for name in candidates:
            if name not in self.records and name not in self.produced:
                (self.staging / name).unlink(missing_ok=True)
                self.emptied.add(os.path.dirname(os.path.join(self.staging, name)))

    def same_as_live(self, folder: str, names: set[str], same: Callable[[Path, Path], bool]) -> bool:
        """Whether the files a tool makes ``folder`` from are to it what the live output's
        were: the same names, each with the live file's key or judged ``same``."""
        made_by = self.live_records.get(folder)
        if self.live is None or made_by is None or names != set(made_by.inputs):
            return False
        for name in names:
            record = self.live_records.get(name)
            if record is None:
                return False
            if self.records[name].key != record.key and not same(self.staging / name, self.live / name):
                return False
        return True

    def inherit_folder(self, name: str, key: str) -> bool:
        """Take the live output's copy of a tool's folder (``name`` ends with ``/``) as this
        build's, recorded under this build's ``key``: the spare's copy when it holds the same
        (the same key as the live one or this one), else a copy of the live one."""
        live = self.live_records.get(name)
        if live is None or self.live is None or not (self.live / name).is_dir():
            return False
        spare = self.spare_records.get(name)
        target = self.staging / name
        if spare is not None and spare.key in (live.key, key) and target.is_dir():
            self.kept.add(name)
        else:
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(self.live / name, target, copy_function=_link_or_copy)
            self.copied.add(name)
        self.records[name] = Record(key, (), live.inputs)
        return True

    def digest_of(self, names: Iterable[str]) -> str:
        """One key for what a tool makes of these files of this build (the search index)."""
        return _sha(self.digest.encode(), *(f"{name}={self.records[name].key}".encode() for name in sorted(names)))

    def wrote(self, name: str, key: str, reads: Iterable[Read] = (), inputs: Iterable[str] = ()) -> None:
        try:
            size = -1 if name.endswith("/") else os.stat(self.staging / name).st_size
        except OSError:
            size = -1
        self.records[name] = Record(key, self._shared(reads), tuple(sorted(inputs)), size)
        self.rendered.add(name)

    def _shared(self, reads: Iterable[Read]) -> tuple[Read, ...]:
        """The lookups once each, every one the same object as in the other records: most
        pages look up the same few things (the style sheet's address, the menu), and the
        saved records are written and loaded with each one once."""
        return tuple(dict.fromkeys(self._reads.setdefault(read, read) for read in reads))

    def fragment(self, key: str, produce: Callable[[], T]) -> T:
        """The piece with this key: made by an earlier build or by this one, else made now."""
        if key in self.used_fragments:
            return self.used_fragments[key]  # type: ignore[no-any-return]
        value = self.fragments[key] if key in self.fragments else produce()
        self.used_fragments[key] = value
        return value

    def output(self, name: str, key: str, produce: Callable[[], bytes]) -> tuple[Path, bool]:
        """Write ``name`` with the bytes ``produce`` makes, unless a tree holds them already.

        Returns the file and whether it was written (False: reused).
        """
        target = self.staging / name
        if self.reuse(name, key):
            return target, False
        replace_file(target, produce())
        self.wrote(name, key)
        return target, True

    def finish(self) -> list[str]:
        """Remove what an earlier build left and this one did not produce; save the records.

        A file counts as produced when a writer of this build wrote or kept it, when it is
        in :attr:`produced` (static files; a folder when it ends with ``/``) or when it was
        created or written since the build started (its inode changed: a file some plugin
        wrote on its own, even one copied with an old modification time). Returns the
        removed files.
        """
        if self.deferred:
            raise RuntimeError(f"{len(self.deferred)} pages collected for rendering were never rendered")
        for static, planned in self.statics:
            moved = pelican_compat.output_location(static)[1]
            if moved != planned:
                self.records.pop(planned, None)
                self.produced.discard(planned)
                self.produced.add(moved)
        keep = self.produced | set(self.records)
        folders = tuple(name for name in keep if name.endswith("/"))
        removed = self.removed
        emptied = set(self.emptied)  # with the folders this clean-up empties, removed if left empty
        for folder, _subfolders, files in os.walk(self.staging, topdown=False):
            relative = os.path.relpath(folder, self.staging)
            for name in files:
                path = name if relative == "." else f"{relative}/{name}"
                if path in keep or path.startswith(folders):
                    continue
                full = os.path.join(folder, name)
                if os.lstat(full).st_ctime >= self.started:
                    continue
                os.unlink(full)
                removed.append(path)
                emptied.add(folder)
            if folder in emptied and relative != "." and not os.listdir(folder):
                os.rmdir(folder)  # only folders this build emptied: a build may make empty ones
                emptied.add(os.path.dirname(folder))
        if self.enabled:
            self._save()
        logger.info("output files reused and rendered: %s", self.summary())
        return removed

    def summary(self) -> dict[str, int]:
        """How many files were kept, copied, rendered (with and without a key) and removed."""
        return {
            "kept": len(self.kept),
            "copied": len(self.copied),
            "rendered": len(self.rendered),
            "unkeyed": len(self.unkeyed),
            "removed": len(self.removed),
            "folders reused": len([name for name in self.kept | self.copied if name.endswith("/")]),
        }

    def _save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        scratch = self.folder / f".{self.token}.{os.getpid()}"
        with scratch.open("wb") as file:
            state = {
                "records": self.records,
                "digest": self.digest,
                "variables": self.variables,
                "fragments": self.used_fragments,
                "sources": {p: v for p, v in self.fingerprints.sources.items() if p in self.fingerprints.used_sources},
            }
            pickle.dump(state, file, protocol=pickle.HIGHEST_PROTOCOL)
        scratch.replace(self.folder / f"{self.token}.pickle")

    def forget_others(self, trees: Iterable[Path], keep_days: int = 1) -> None:
        """Delete the records of trees that are gone: not one of ``trees`` and not saved within
        ``keep_days`` (another output may share the cache folder, as the editors' check does)."""
        wanted = {f"{token}.pickle" for token in (tree_token(t) for t in trees) if token}
        old = time.time() - keep_days * 86400
        for path in self.folder.glob("*.pickle") if self.folder.is_dir() else []:
            if path.name not in wanted and path.stat().st_mtime < old:
                path.unlink(missing_ok=True)


# --------------------------------------------------------------------------- the writer

_caches: dict[Path, OutputCache] = {}


def cache_for(settings: dict[str, Any]) -> OutputCache | None:
    """This build's output cache, when the build entry point asked for reuse."""
    if not settings.get(ENABLE_SETTING):
        return None
    staging = _resolved(settings["OUTPUT_PATH"])
    cache = _caches.get(staging)
    if cache is None:
        cache = _caches[staging] = OutputCache.open(settings)
    return cache


@functools.lru_cache(maxsize=64)
def _resolved(path: str) -> Path:
    """The staging folder as :data:`_caches` knows it, for one build (:func:`close` forgets):
    asked thousands of times a build, and resolving costs a ``stat`` a level."""
    return Path(path).resolve()


def close(output: Path) -> OutputCache | None:
    _resolved.cache_clear()  # the next build may be in another folder under the same name
    return _caches.pop(Path(output).resolve(), None)


@dataclass
class _Render:
    """A page to render: the arguments of ``Writer.write_file`` and the page's key."""

    name: str
    path: str
    template: Template
    context: dict[str, Any]
    options: tuple[Any, ...]  # relative_urls, paginated, template_name, override_output, url
    kwargs: dict[str, Any]
    key: str | None


class ReusingWriter(Writer):
    """Pelican's ``Writer`` that skips rendering a page whose inputs have not changed.

    The item pages to render (``article``, ``page``) are collected and rendered together
    (:meth:`render_deferred`), on both cores (:mod:`uchastvai.outputs.parallel`), when their
    generator is done, or before any other page is rendered, so that pages render in the
    order Pelican asks for them wherever one page's rendering can change another's.
    """

    def __init__(self, output_path: str, settings: dict[str, Any] | None = None) -> None:
        super().__init__(output_path, settings=settings)
        self.outputs = cache_for(settings or {})
        self._variables: Variables = self.outputs.variables if self.outputs is not None else {}

    def write_file(  # type: ignore[no-untyped-def] # noqa: PLR0917 - Pelican's signature
        self,
        name,
        template,
        context,
        relative_urls=False,
        paginated=None,
        template_name=None,
        override_output=False,
        url=None,
        **kwargs,
    ):
        outputs = self.outputs
        options = (relative_urls, paginated, template_name, override_output, url)
        if outputs is None or not name or paginated or {"articles", "dates"} & set(kwargs):
            self.render_deferred()
            return super().write_file(name, template, context, *options, **kwargs)
        if not outputs.fingerprints.links:
            outputs.fingerprints.links = site_links(context)
        path = sanitised_join(self.output_path, name)  # as the Writer names it in its own checks
        key = self._key(outputs, name, template, context, options=(relative_urls, override_output, url), kwargs=kwargs)
        if (
            key is not None
            and path not in self._written_files
            and outputs.reuse(name, key, context.get("catalog"), context)
        ):
            self._written_files.add(path)
            if override_output:
                self._overridden_files.add(path)
            signals.content_written.send(path, context={**context, **kwargs, "output_file": name})
            return None
        render = _Render(name, path, template, context, options, kwargs, key)
        if (
            key is not None
            and not override_output
            and not relative_urls  # Pelican then changes the shared context as it writes
            and path not in self._written_files
            and {"article", "page"} & set(kwargs)
        ):
            self._written_files.add(path)  # a second write of this file fails as it would have
            outputs.deferred.append(dataclasses.replace(render, context=self._snapshot(context)))
            return None
        self.render_deferred()
        self._record(render, self._render(render))
        return None

    def _snapshot(self, context: dict[str, Any]) -> dict[str, Any]:
        """The context as it is now, for a page rendered later: the previous page's copy while
        the context still holds the very same values (one copy, not one per page, at 5 000 pages)."""
        assert self.outputs is not None
        deferred = self.outputs.deferred
        if deferred:
            last = deferred[-1].context
            if len(last) == len(context) and all(last.get(name, last) is value for name, value in context.items()):
                return last
        return dict(context)

    def render_deferred(self) -> None:
        """Render the collected item pages, every other one in a forked child."""
        outputs = self.outputs
        if outputs is None or not outputs.deferred:
            return
        pending, outputs.deferred = outputs.deferred, []
        context = pending[0].context
        parallel.share(
            pending,
            here=self._render_deferred_here,
            there=self._render_in_child,
            adopt=self._adopt,
            after_there=lambda: pelican_compat.referenced_statics(context),
            adopt_after=lambda sources: pelican_compat.mark_referenced(context, sources or []),
        )

    def _render_deferred(self, render: _Render) -> tuple[Read, ...] | None:
        self._written_files.discard(render.path)  # noted when it was collected
        return self._render(render)

    def _render_in_child(self, render: _Render) -> tuple[Read, ...] | None:
        """In the forked child: the page is announced (``content_written``) once, by this
        process when it adopts the page, so a plugin acting on written files acts once."""
        muted = getattr(signals.content_written, "muted", None)  # blinker 1.7+ (Pelican 4.9 allows older)
        with muted() if muted is not None else contextlib.nullcontext():
            return self._render_deferred(render)

    def _render_deferred_here(self, render: _Render) -> None:
        self._record(render, self._render_deferred(render))

    def _adopt(self, render: _Render, reads: tuple[Read, ...] | None) -> None:
        """A page the child rendered: recorded, and announced here as the ``Writer`` does."""
        self._written_files.add(render.path)
        self._record(render, reads)
        signals.content_written.send(
            render.path, context={**render.context, **render.kwargs, "output_file": render.name}
        )

    def _render(self, render: _Render) -> tuple[Read, ...] | None:
        """Render and write the page; returns its lookups, or None when it has no key."""
        assert self.outputs is not None  # only pages of a build that reuses output come here
        key, context, kwargs = render.key, render.context, render.kwargs
        recorder = Recorder(self.outputs.fingerprints)
        originals = self._record_lookups(recorder, render.template, context, kwargs)
        try:
            super().write_file(render.name, render.template, context, *render.options, **kwargs)
        except Unkeyable:  # a lookup that cannot be recorded: render without recording
            key = None
            context.update(originals)
            super().write_file(render.name, render.template, context, *render.options, **kwargs)
        finally:
            context.update(originals)
        return tuple(recorder.reads) if key is not None else None

    def _record(self, render: _Render, reads: tuple[Read, ...] | None) -> None:
        assert self.outputs is not None
        if render.key is not None and reads is not None:
            self.outputs.wrote(render.name, render.key, reads)
        else:
            self.outputs.unkeyed.add(render.name)

    def _record_lookups(
        self, recorder: Recorder, template: Template, context: dict[str, Any], kwargs: dict[str, Any]
    ) -> dict[str, Any]:
        """Put recording stand-ins for the catalogue and the context's functions into the
        (shared) context, as Pelican's writer needs it; returns the originals to put back."""
        originals: dict[str, Any] = {}
        for name in self._variables.get(template.name) or ():
            if name in kwargs or name not in context:
                continue
            value = context[name]
            if name == "catalog":
                originals[name] = value
                context[name] = recorder.catalog(value)
            elif _is_function(value):
                originals[name] = value
                context[name] = recorder.function("context", name, value)
        return originals

    def _key(
        self,
        outputs: OutputCache,
        name: str,
        template: Template,
        context: dict[str, Any],
        *,
        options: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> str | None:
        """The digest of every value the template can read, but the catalogue (its lookups are
        recorded) and the settings (in the cache's digest); None when one has no digest."""
        if template.name not in self._variables:
            self._variables[template.name] = template_variables(template)
        variables = self._variables[template.name]
        if variables is None:
            return None
        values = [(f"argument {k}", v) for k, v in sorted(kwargs.items())]  # whatever the template reads of them
        for variable in sorted(variables):
            if variable == "catalog" or (variable.isupper() and variable not in kwargs and variable != "SITEURL"):
                continue
            value = kwargs[variable] if variable in kwargs else context.get(variable, _MISSING)
            if variable not in kwargs and _is_function(value):
                continue  # its calls are recorded
            values.append((variable, value))
        try:
            return outputs.key(name, template.name, options, context.get("SITEURL"), values)
        except Unkeyable as error:
            logger.debug("rendering %s every time: %s has no digest", name, error)
            return None


_MISSING = "\0missing"


def _is_function(value: Any) -> bool:
    """A function of the context (its calls are recorded), not a class or a Jinja object."""
    if isinstance(value, type) or not callable(value):
        return False
    return hasattr(value, "__code__") or hasattr(value, "__func__")


def _link_or_copy(source: str, target: str) -> None:
    """A tool's file linked instead of copied (the search index is thousands of them): the
    tool writes only into an emptied folder, and every other write here replaces a file
    (:func:`replace_file`), so no tree ever changes a file the other one still has."""
    try:
        os.link(source, target)
    except OSError:  # another file system, or one without hard links
        shutil.copy2(source, target)


def replace_file(target: Path, data: bytes) -> None:
    """Write ``data`` as a new file: never through a file that another tree may still share."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    target.write_bytes(data)


# Writes one output file: its name in the output, the parts of its key, a maker of its bytes.
OutputFiles = Callable[[str, Any, Callable[[], bytes]], Path]


def output_files(settings: dict[str, Any], output: Path) -> OutputFiles:
    """How a generator that makes its own files (feeds, calendars) writes them: through the
    output cache when the build reuses earlier output, else straight into ``output``."""
    outputs = cache_for(settings)

    def write(name: str, key: Any, produce: Callable[[], bytes]) -> Path:
        if outputs is not None:
            try:
                return outputs.output(name, outputs.key(*key), produce)[0]
            except Unkeyable:
                outputs.unkeyed.add(name)
        target = output / name
        replace_file(target, produce())
        return target

    return write


def remembered(settings: dict[str, Any], key: tuple[Any, ...], produce: Callable[[], T]) -> T:
    """A piece of output (picklable) made once per key and kept for the next builds, when the
    build reuses earlier output; the key's parts are digested like an output file's key."""
    outputs = cache_for(settings)
    if outputs is None or not outputs.enabled:
        return produce()
    try:
        digest = outputs.key(*key)
    except Unkeyable:
        return produce()
    return outputs.fragment(digest, produce)


def site_links(context: dict[str, Any]) -> str:
    """A digest of every address a ``{filename}`` or ``{static}`` link can resolve to."""
    pairs = []
    for source, content in sorted((context.get("generated_content") or {}).items()):
        pairs.append(f"{source}={pelican_compat.output_location(content)[0]}")
    for source, content in sorted((context.get("static_content") or {}).items()):
        pairs.append(f"{source}={pelican_compat.output_location(content)[0]}")
    return _sha(*(pair.encode() for pair in pairs))


def prune_static(generators: list[Any]) -> None:
    """``all_generators_finalized``: keep a static file's copy in staging only when its source
    is the very file copied then (size, modification time and inode recorded with the copy);
    otherwise remove it, so Pelican (with ``STATIC_CHECK_IF_MODIFIED``) copies it again.
    Pelican's own check alone compares only modification times and would keep a copy whose
    source was replaced by an older file."""
    outputs = cache_for(generators[0].settings) if generators else None
    if outputs is None:
        return
    for generator in generators:
        if isinstance(generator, StaticGenerator):
            for static in generator.staticfiles:
                name = pelican_compat.output_location(static)[1]  # not static.save_as: see there
                outputs.static_file(name, os.path.join(generator.path, static.source_path))
                outputs.statics.append((static, name))


def writer_class(pelican: Any) -> type[Writer] | None:
    """``get_writer`` handler: our writer only where the build entry point manages the trees."""
    return ReusingWriter if pelican.settings.get(ENABLE_SETTING) else None


def note_written(path: str, context: Any = None) -> None:
    """``content_written``: every file a generator announces is produced by this build."""
    target = os.path.abspath(path)
    for staging, outputs in _caches.items():
        prefix = f"{staging}{os.sep}"
        if target.startswith(prefix):
            outputs.produced.add(target[len(prefix) :].replace(os.sep, "/"))
            return


def render_deferred(generator: Any = None, writer: Any = None) -> None:
    """``article_writer_finalized``, ``page_writer_finalized``: the generator's item pages are
    all asked for; render those collected (a tool that reads them may start next)."""
    if isinstance(writer, ReusingWriter):
        writer.render_deferred()


def connect_signals() -> None:
    signals.article_writer_finalized.connect(render_deferred)
    signals.page_writer_finalized.connect(render_deferred)
    signals.get_writer.connect(writer_class)
    signals.all_generators_finalized.connect(prune_static)
    signals.content_written.connect(note_written)
