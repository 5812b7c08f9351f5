"""Settings for the published site: the real address and strict validation."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("SITEURL", "https://uchastvai.asenovgrad.example")
RELATIVE_URLS = False
STRICT_VALIDATION = True  # never publish with warnings left unread
DRAFT_SAVE_AS = ""  # drafts are for the preview only
DRAFT_PAGE_SAVE_AS = ""
