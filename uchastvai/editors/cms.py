"""The web editor at ``/admin/``: Decap CMS configured from the content schema.

Editors who know Word and e-mail should not have to write YAML in a terminal. Decap CMS
(npm ``decap-cms``, pinned by ``admin/package-lock.json``) is a single-page editor that
writes the same Markdown files with YAML front matter into the repository, through a
Git host's API or, on one office computer, through its local proxy (``decap-server``,
started by ``./dev.sh editor``).

Its configuration is *generated* here from :mod:`uchastvai.content.schema`: one collection per
content type, one widget per field with the field's Bulgarian label and help text,
required flags, patterns for numbers and codes, list widgets for contacts, hearings,
documents, milestones and indicators. A field added to the schema appears in the editor
with no second declaration. The build writes ``admin/index.html``, ``admin/config.yml``
and copies the bundle (no request to another host; the page carries its own
Content-Security-Policy).
"""

from __future__ import annotations

import html
import inspect
import json
import logging
import re
import shutil
import typing
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from uchastvai.content.schema import CONTENT_TYPES, ContentItem, Labelled, nested_model, unwrap
from uchastvai.core import written
from uchastvai.core.i18n import N_, gettext

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "admin"  # package.json / package-lock.json of the editor
BUNDLE = PACKAGE / "node_modules" / "decap-cms" / "dist"
ADMIN = "admin"  # the editor's folder in the built site
REPORT = "admin/otchet"  # the check's report for editors, written by ./dev.sh editor
BODY_FIELD = "body"
LOCAL_PROXY = "http://127.0.0.1:8081/api/v1"
LOCAL_BACKEND = {"name": "proxy", "proxy_url": LOCAL_PROXY}

# Decimal fields that are not amounts (coordinates, indicator values): plain decimal numbers.
_DECIMAL = r"^-?\d+([.,]\d+)?$"
# Amounts as parse_amount accepts them: 179740, 179740.00, 179 740,00.
_AMOUNT = r"^(\d{1,3}( \d{3})+|\d+)([.,]\d{1,2})?$"
# Fields whose value is a file under content/: which widget and which folder receives uploads.
_UPLOADS = {
    ("Document", "file"): ("file", "documents"),
    ("Image", "file"): ("image", "images"),
}
# Pages have no number or date to name their file, and Decap cannot transliterate Cyrillic
# titles: their Latin address is asked for, and names the file.
_FILE_NAMES = {
    "consultation": "{{fields.id}}",
    "project": "{{fields.code}}",
    "idea": "i-{{fields.id}}",
    "news": "{{fields.date}}",  # a second news item of the day gets -1 (Decap keeps names unique)
    "page": "{{fields.slug}}",
}
_REQUIRED_IN_EDITOR = {("page", "slug")}
_SUMMARIES = {
    "consultation": "{{id}} · {{title}}",
    "project": "{{code}} · {{title}}",
    "idea": "{{id}} · {{title}}",
    "news": "{{date}} · {{title}}",
    "page": "{{title}}",
}

# The policy the admin page needs (sent in its <meta> too); hosting/ sends it for /admin/ only.
# Decap styles its interface with inline <style> elements (emotion), needs eval (without
# 'unsafe-eval' its page does not even render: tried), reads uploads back through blob: URLs;
# the local proxy is another origin (port) on the same computer.
ADMIN_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; "
    "font-src 'self' data:; connect-src 'self' blob: data: {connect}; frame-src 'self' blob:; worker-src 'self' blob:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)


class EditorMissing(RuntimeError):
    """The CMS bundle is not installed; the message says how to install it."""


# --------------------------------------------------------------------------- fields


def _regex_of(info: FieldInfo) -> str | None:
    """The pattern of a field declared with ``schema._pattern`` (the regex its check closes over)."""
    annotation = info.annotation
    for meta in [*info.metadata, *_metadata_of(annotation)]:
        func = getattr(meta, "func", None)
        if func is None:
            continue
        regex = inspect.getclosurevars(func).nonlocals.get("regex")
        if isinstance(regex, re.Pattern):
            return str(regex.pattern)
    return None


def _metadata_of(annotation: Any) -> list[Any]:
    """Annotated metadata of a type, also inside ``X | None``."""
    found: list[Any] = []
    if typing.get_origin(annotation) is typing.Annotated:
        found += list(annotation.__metadata__)
        found += _metadata_of(typing.get_args(annotation)[0])
    for arg in typing.get_args(annotation) if typing.get_origin(annotation) is not typing.Annotated else ():
        found += _metadata_of(arg)
    return found


def _minimum(info: FieldInfo) -> int | None:
    for meta in [*info.metadata, *_metadata_of(info.annotation)]:
        if getattr(meta, "ge", None) is not None:
            return int(meta.ge)
    return None


def _is_amount(info: FieldInfo) -> bool:
    return any(meta.func.__name__ == "_amount" for meta in _validators(info))


def _validators(info: FieldInfo) -> list[Any]:
    return [meta for meta in [*info.metadata, *_metadata_of(info.annotation)] if getattr(meta, "func", None)]


def _date_kind(info: FieldInfo) -> str | None:
    """``date`` or ``datetime`` for the schema's ISO date types."""
    names = {meta.func.__name__ for meta in _validators(info)}
    return "datetime" if "_iso_datetime" in names else "date" if "_iso_date" in names else None


def _choices(enum: type[Labelled], lang: str) -> list[dict[str, str]]:
    return [{"label": gettext(member.label, lang), "value": member.value} for member in enum]


def field_widget(
    owner: type[BaseModel], name: str, info: FieldInfo, lang: str, *, required: bool, in_optional: bool = False
) -> dict[str, Any]:
    """The Decap field for one schema field: widget, Bulgarian label and hint, required, pattern.

    Inside an optional group (an idea's estimated cost) no default is set: Decap would write it
    and the group would no longer be absent.
    """
    help_text = gettext(info.description or "", lang)
    widget: dict[str, Any] = {"name": name, "label": gettext(info.title or name, lang), "required": required}
    if help_text:
        widget["hint"] = help_text
    inner = unwrap(info.annotation)
    model = nested_model(info.annotation)
    upload = _UPLOADS.get((owner.__name__, name))
    kind = _date_kind(info)
    if typing.get_origin(inner) is list:
        widget["widget"] = "list"
        if model is not None:
            widget["fields"] = model_fields(model, lang)
            widget["summary"] = _list_summary(model)
        else:
            widget["field"] = {"name": "item", "label": widget["label"], "widget": "string"}
        if not required:
            widget["default"] = []
        minimum = _min_length(info)
        if minimum:
            widget["min"] = minimum
    elif model is not None:
        # Decap checks the required fields of an object even when the object itself is optional
        # (an outcome not yet known): inside an optional object nothing is required; the site's
        # check still reports an incomplete one after saving.
        widget.update(widget="object", collapsed=not required, fields=model_fields(model, lang, optional=not required))
    elif upload is not None:
        kind_of_widget, folder = upload
        widget.update(widget=kind_of_widget, media_folder=f"/content/{folder}", public_folder=folder)
        widget["choose_url"] = False
    elif kind is not None:
        is_datetime = kind == "datetime"
        widget.update(
            widget="datetime",
            format="YYYY-MM-DD HH:mm" if is_datetime else "YYYY-MM-DD",
            date_format="YYYY-MM-DD",
            time_format="HH:mm" if is_datetime else False,
            default="",
        )
    elif inner is bool:
        widget.update(widget="boolean", default=bool(info.default))
    elif isinstance(inner, type) and issubclass(inner, Enum) and issubclass(inner, Labelled):
        widget.update(widget="select", options=_choices(inner, lang))
    elif inner is int:
        widget.update(widget="number", value_type="int")
        if _minimum(info) is not None:
            widget["min"] = _minimum(info)
    elif inner is Decimal:
        widget["widget"] = "string"
        widget["pattern"] = [_AMOUNT if _is_amount(info) else _DECIMAL, help_text or name]
    else:
        widget["widget"] = "string"
        regex = _regex_of(info)
        if regex:
            widget["pattern"] = [regex, help_text or name]
    if _has_default(info) and "default" not in widget:
        widget["default"] = info.default.value if isinstance(info.default, Enum) else str(info.default)
    if in_optional and widget.get("widget") != "datetime":  # a date's "" keeps Decap from writing today
        widget.pop("default", None)
    return widget


def _has_default(info: FieldInfo) -> bool:
    return not info.is_required() and info.default not in (None, "") and info.default_factory is None


def _min_length(info: FieldInfo) -> int:
    for meta in [*info.metadata, *_metadata_of(info.annotation)]:
        if getattr(meta, "min_length", None):
            return int(meta.min_length)
    return 0


def _list_summary(model: type[BaseModel]) -> str:
    """What a collapsed list entry shows: its first one or two fields."""
    names = list(model.model_fields)[:2]
    return " · ".join("{{fields." + name + "}}" for name in names)


def model_fields(
    model: type[BaseModel], lang: str, type_name: str = "", optional: bool = False
) -> list[dict[str, Any]]:
    """Decap fields for every field of ``model``, in the schema's order."""
    return [
        field_widget(
            model,
            name,
            info,
            lang,
            required=not optional and (info.is_required() or (type_name, name) in _REQUIRED_IN_EDITOR),
            in_optional=optional,
        )
        for name, info in model.model_fields.items()
    ]


def collection(model: type[ContentItem], lang: str) -> dict[str, Any]:
    """One editor collection per content type: its folder, file names and fields."""
    body = {
        "name": BODY_FIELD,
        "label": gettext(N_("Text"), lang),
        "hint": gettext(N_("The full text. Headings start with ## and lists with - ."), lang),
        "widget": "markdown",
        "required": False,
    }
    return {
        "name": model.folder,
        "label": gettext(model.label_plural, lang),
        "label_singular": gettext(model.label, lang),
        "folder": f"content/{model.folder}",
        "extension": "md",
        "format": "yaml-frontmatter",
        "create": True,
        "delete": True,
        "identifier_field": "title",
        "slug": _FILE_NAMES[model.type_name],
        "summary": _SUMMARIES[model.type_name],
        "fields": [*model_fields(model, lang, model.type_name), body],
    }


def cms_config(settings: dict[str, Any], lang: str = "bg") -> dict[str, Any]:
    """The whole ``config.yml``: backend from the settings, one collection per content type."""
    return {
        "locale": lang,
        "backend": dict(settings.get("CMS_BACKEND") or LOCAL_BACKEND),
        "publish_mode": settings.get("CMS_PUBLISH_MODE", "simple"),
        "media_folder": "content/images",
        "public_folder": "/images",
        "site_url": settings.get("SITEURL", ""),
        "display_url": settings.get("SITEURL", ""),
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [collection(model, lang) for model in CONTENT_TYPES.values()],
    }


def config_yaml(settings: dict[str, Any], lang: str = "bg") -> str:
    return yaml.safe_dump(cms_config(settings, lang), allow_unicode=True, sort_keys=False, width=120)


# --------------------------------------------------------------------------- the admin page


def admin_csp(settings: dict[str, Any]) -> str:
    """The Content-Security-Policy of /admin/: the site's own origin and the Git host's API."""
    backend = settings.get("CMS_BACKEND") or LOCAL_BACKEND
    origins = {_origin(value) for key, value in backend.items() if key in _API_KEYS and value}
    if "api_root" not in backend and backend.get("name") in _DEFAULT_API:
        origins.add(_DEFAULT_API[backend["name"]])
    return ADMIN_CSP.format(connect=" ".join(sorted(origins))).replace("  ", " ").replace(" ;", ";")


_API_KEYS = ("proxy_url", "api_root", "base_url", "auth_endpoint")
# Where Decap's backends send their API requests when no api_root is configured.
_DEFAULT_API = {"github": "https://api.github.com", "gitlab": "https://gitlab.com"}


def _origin(url: str) -> str:
    match = re.match(r"^(https?://[^/]+)", str(url))
    return match.group(1) if match else ""


def admin_page(settings: dict[str, Any], lang: str = "bg") -> str:
    """The editor's HTML page: the bundle, our preview script and the policy; nothing from elsewhere.

    Decap reads ``config.yml`` beside the page by default (no ``cms-config-url`` link, which the
    HTML checker rejects as an unknown link type).
    """
    title = html.escape(gettext(N_("Web editor"), lang) + " – " + str(settings.get("SITENAME", "")))
    csp = html.escape(admin_csp(settings), quote=True)
    return f"""<!doctype html>
<html lang="{html.escape(lang)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
</head>
<body>
<script src="decap-cms.js"></script>
<script src="uchastvai-admin.js"></script>
</body>
</html>
"""


def stylesheet_url(settings: dict[str, Any]) -> str:
    """The site's stylesheet (its fingerprinted name), for the preview pane and the report page."""
    from uchastvai.outputs.theme import load_assets

    static = Path(settings.get("THEME", ROOT / "theme")) / "static"
    return "/" + load_assets(static, settings)["css/site.css"].url


_PRUNE_SCRIPT = """
// Empty fields are left out of the file, as an editor writing by hand leaves them out: Decap
// would write `end: ""` or `outcome: {report_date: ""}`, which the site's check would read as
// an outcome without its required numbers.
function uchastvaiIsEmpty(value) {
  if (value === "" || value === null || value === undefined) return true;
  return typeof value === "object" && typeof value.toJS === "function" && value.size === 0;
}
function uchastvaiPrune(value) {
  if (value && typeof value === "object" && typeof value.toJS === "function") {
    return value.map(uchastvaiPrune).filter(function (inner) { return !uchastvaiIsEmpty(inner); });
  }
  return value;
}
// Yes/no are written as editors write them by hand (`draft: yes`), and read back from either
// form: a hand-written `done: no` would otherwise show as switched on (a non-empty string).
function uchastvaiYes(value) { return value === true || value === "yes" || value === "true"; }
CMS.registerWidgetValueSerializer("boolean", {
  serialize: function (value) { return uchastvaiYes(value) ? "yes" : "no"; },
  deserialize: function (value) { return uchastvaiYes(value); },
});
CMS.registerEventListener({
  name: "preSave",
  handler: function (event) { return uchastvaiPrune(event.entry.get("data")); },
});
"""


# Phrases Decap's Bulgarian locale lacks (it falls back to English: "Add контакти") or gets wrong.
MISSING_BG_PHRASES: dict[str, Any] = {
    "collection": {"entries": {"unpublishedHeader": "Непубликувани записи"}},
    "editor": {
        "editorControl": {"field": {"widgetLabel": "поле „%{widgetLabel}“"}},
        "editorControlPane": {
            "widget": {
                "rangeMin": "%{fieldLabel} трябва да има поне %{minCount} елемента.",
                "rangeMax": "%{fieldLabel} може да има най-много %{maxCount} елемента.",
            }
        },
        "editorWidgets": {
            "markdown": {
                "strikethrough": "Зачеркнат",
                "toggleMode": {"rich": "Към форматиран текст", "markdown": "Към Markdown"},
            },
            "image": {
                "chooseMultiple": "Избери изображения",
                "addMore": "Добави още изображения",
                "removeAll": "Премахни всички изображения",
            },
            "file": {
                "choose": "Избери файл",
                "chooseMultiple": "Избери файлове",
                "addMore": "Добави още файлове",
                "removeAll": "Премахни всички файлове",
            },
            "datetime": {"setToNow": "Днешна дата в „%{fieldLabel}“"},
            "list": {"add": "Добави: %{item}", "addType": "Добави: %{item}"},
            "object": {"expand": "Разгъни", "collapse": "Свий"},
        },
    },
    "mediaLibrary": {"mediaLibraryModal": {"close": "Затвори"}},
    "workflow": {
        "workflowCard": {"publishChanges": "Публикувай промените", "publishNewEntry": "Публикувай новия запис"}
    },
}

_LOCALE_SCRIPT = """
// Complete Decap's Bulgarian phrases (uchastvai.editors.cms.MISSING_BG_PHRASES).
function uchastvaiMerge(target, extra) {
  Object.keys(extra).forEach(function (key) {
    if (typeof extra[key] === "object") {
      target[key] = uchastvaiMerge(target[key] || {}, extra[key]);
    } else {
      target[key] = extra[key];
    }
  });
  return target;
}
if (CMS.getLocale && CMS.getLocale("bg")) {
  CMS.registerLocale("bg", uchastvaiMerge(CMS.getLocale("bg"), PHRASES));
}
"""


def admin_script(settings: dict[str, Any], lang: str = "bg") -> str:
    """Our additions to the editor: the site's stylesheet in the preview, no empty fields in files,
    a link to the check's report."""
    report_title = gettext(N_("Check report"), lang)
    return (
        "/* Generated by uchastvai.editors.cms. */\n"
        "CMS.registerPreviewStyle("
        + json.dumps(stylesheet_url(settings))
        + ");\n"
        + _PRUNE_SCRIPT
        + _LOCALE_SCRIPT.replace("PHRASES", json.dumps(MISSING_BG_PHRASES, ensure_ascii=False))
        + "if (CMS.registerAdditionalLink) {\n"
        "  CMS.registerAdditionalLink({id: 'otchet', title: " + json.dumps(report_title) + ", "
        "data: " + json.dumps("/" + REPORT + "/") + "});\n"
        "}\n"
    )


def bundle_files() -> list[Path]:
    """The files of Decap's browser bundle (main file, its chunks, wasm), without source maps."""
    if not (BUNDLE / "decap-cms.js").is_file():
        return []
    return sorted(
        path
        for path in BUNDLE.iterdir()
        if path.is_file() and (path.name.endswith("decap-cms.js") or path.suffix == ".wasm")
    )


def write_admin(output: Path, settings: dict[str, Any]) -> None:
    """Write /admin/ into a built site: page, generated config, our script and the bundle."""
    if not settings.get("CMS_BACKEND"):
        return  # no Git host configured (the published site by default): no editor
    files = bundle_files()
    if not files:
        message = gettext(N_("The web editor is not installed: run ./dev.sh editor once (it installs it)."))
        if settings.get("CMS_REQUIRED"):
            raise EditorMissing(message)
        logger.warning("%s", message)
        return
    lang = settings.get("DEFAULT_LANG", "bg")
    folder = output / ADMIN
    folder.mkdir(parents=True, exist_ok=True)
    context = {"SITEURL": settings.get("SITEURL", "")}
    written.write_output(folder / "index.html", admin_page(settings, lang), context)
    written.write_output(folder / "config.yml", config_yaml(settings, lang), context)
    written.write_output(folder / "uchastvai-admin.js", admin_script(settings, lang), context)
    for path in files:
        target = folder / path.name
        if not same_file(path, target):  # a folder reused from an earlier build holds most of them
            target.unlink(missing_ok=True)
            shutil.copy2(path, target)
        written.announce(target, context)


def same_file(source: Path, copy: Path) -> bool:
    """Whether ``copy`` was copied from ``source`` as it is now (size and modification time)."""
    try:
        a, b = source.stat(), copy.stat()
    except OSError:
        return False
    return (a.st_size, a.st_mtime_ns) == (b.st_size, b.st_mtime_ns)


def report_page(title: str, report: str, ok: bool, stylesheet: str, lang: str = "bg") -> str:
    """The check's report as a page the editor opens from the editor (``/admin/otchet/``)."""
    state = "ok" if ok else "problems"
    heading = html.escape(title)
    return f"""<!doctype html>
<html lang="{html.escape(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{heading}</title>
<link rel="stylesheet" href="{html.escape(stylesheet)}">
</head>
<body>
<main id="main" class="container">
<h1>{heading}</h1>
<pre class="check-report" data-state="{state}">{html.escape(report)}</pre>
</main>
</body>
</html>
"""


def write_report(output: Path, report: str, ok: bool, settings: dict[str, Any]) -> Path:
    """Write the report page; it survives a failed build (the rest of the preview stays)."""
    lang = settings.get("DEFAULT_LANG", "bg")
    title = gettext(N_("Check report") if ok else N_("The content has errors"), lang)
    folder = output / REPORT
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "index.html"
    path.write_text(report_page(title, report, ok, stylesheet_url(settings), lang), encoding="utf-8")
    return path


def on_finalized(pelican: Any) -> None:
    """Receiver of Pelican's ``finalized`` signal: the site is written, add /admin/ to it."""
    write_admin(Path(pelican.output_path), pelican.settings)
