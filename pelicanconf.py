"""Settings for building the site locally (preview).

Everything about the municipality lives in MUNICIPALITY and the site settings below:
another municipality adopts the site by changing this file and content/, nothing else.
"""

import os

from uchastvai.core.dates import build_time_from_env
from uchastvai.core.paths import PATHS

# --- The municipality (the only place its identity is written) -------------------------
MUNICIPALITY = {
    "name": "Община Асеновград",
    "town": "Асеновград",
    "address": "гр. Асеновград 4230, бул. „България“ № 19",
    "phone": "+359 331 6 00 00",
    "email": "obshtina@asenovgrad.example",
    "information_centre": "Център за административно обслужване, бул. „България“ № 19, "
    "понеделник – петък, 8:30 – 17:00",
    "coat_of_arms": "images/gerb.svg",
    "colours": {"primary": "#0b4f6c", "accent": "#b8860b"},
    "website": "https://www.asenovgrad.bg",
}
SITENAME = "Участвай – Община Асеновград"
SITEURL = "http://127.0.0.1:8000"
AUTHOR = MUNICIPALITY["name"]
# Date part of the permanent identifiers of feed entries and calendar events: never change it.
ID_DATE = "2026"

# --- Language and time -------------------------------------------------------------------
DEFAULT_LANG = "bg"
TIMEZONE = "Europe/Sofia"
LOCALE = ("C",)
# The build time is an input: SOURCE_DATE_EPOCH (reproducible builds) or now.
# `invoke build --build-time ...` and the tests override it.
BUILD_TIME = build_time_from_env()

# --- Content -------------------------------------------------------------------------------
PATH = "content"
ARTICLE_PATHS = ["consultations", "projects", "ideas", "news"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["documents", "images"]
READERS = {"rst": None, "html": None}
PLUGINS = ["uchastvai"]
STRICT_VALIDATION = False  # warnings fail the build only when publishing

ARTICLE_URL = "{section}/{slug}/"
ARTICLE_SAVE_AS = "{section}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DRAFT_URL = PATHS.drafts + "{slug}/"
DRAFT_SAVE_AS = PATHS.drafts + "{slug}/index.html"

# Our own section lists replace Pelican's taxonomies; its own feeds are replaced by feedgen.
DIRECT_TEMPLATES = ["index"]
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = "obshto"
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = False
SECTION_PAGE_SIZE = 50  # items per section list page (uchastvai.outputs.sections): pages stay small at any size
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# --- Outdoor displays (GUIDE §6) -----------------------------------------------------------
# Order of the slide groups: consultations, hearings, projects, news, ideas (a call to propose).
DISPLAY_SLIDE_ORDER = ["consultations", "hearings", "projects", "news", "ideas"]
# Seconds on screen per kind of slide, 12–30 (values outside are clamped with a warning).
DISPLAY_DURATIONS = {"consultation": 20, "hearing": 15, "project": 20, "news": 15, "ideas": 12, "default": 30}
DISPLAY_POLL_SECONDS = 300  # how often the kiosk page looks for a new version
DISPLAY_NEWS_COUNT = 3
DISPLAY_HEARINGS_COUNT = 3
DISPLAY_NEWS_DAYS = 30  # a news item leaves the displays (by the player's own clock) this many days after its date
# At most this many slides per group rotate (the most recently active projects first).
DISPLAY_GROUP_LIMITS = {"consultations": 12, "projects": 12}
# PNG slides for image players; needs Chromium. UCHASTVAI_SLIDE_IMAGES=0 skips them (faster previews).
DISPLAY_RENDER_IMAGES = os.environ.get("UCHASTVAI_SLIDE_IMAGES", "1") != "0"
DISPLAY_CHROMIUM = "/usr/bin/chromium"

THEME = "theme"
# Autoescape: every value from content is text wherever a template puts it (element, attribute);
# the only HTML that reaches a page unescaped is a sanitised body, through the `sanitized` filter.
JINJA_ENVIRONMENT = {
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "extensions": ["jinja2.ext.i18n"],
}
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {"permalink": False},
    },
    "output_format": "html5",
}
# Worker processes that convert Markdown while Pelican reads (uchastvai.prerender); 0 turns them off.
MARKDOWN_PROCESSES = 2

RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = False  # the build writes into a fresh folder and swaps it in
# Pelican's reader-level content cache: a rebuild reads only the files that changed. It lives
# outside the output (the build swaps folders) in a subfolder per version of our reader
# (uchastvai.plugin.versioned_cache), so a changed reader never serves stale content.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
GZIP_CACHE = False  # gzip at level 9 cost more than it saved

# --- Web editor at /admin/ (uchastvai/editors/cms.py, docs/redaktori/10-ueb-redaktor.md) -------------
# The preview talks to the local proxy that `./dev.sh editor` starts on this computer.
CMS_BACKEND = {"name": "proxy", "proxy_url": "http://127.0.0.1:8081/api/v1"}
