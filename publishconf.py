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

# The web editor on the published site needs the Git host that keeps the content, e.g.
#   CMS_BACKEND = {"name": "gitea", "repo": "obshtina/uchastvai", "base_url": "https://git.obshtina.example",
#                  "api_root": "https://git.obshtina.example/api/v1", "app_id": "..."}
# (docs/redaktori/10-ueb-redaktor.md). Without one, the published site has no /admin/.
CMS_BACKEND = None
CMS_REQUIRED = True  # once enabled, a missing editor bundle stops the publication
