"""The Pelican generator of the displays: everything under ``display/`` in one pass.

display/index.html             kiosk page, 1920×1080
display/portrait/index.html    kiosk page, 1080×1920
display/sw.js                  service worker (offline cache of the kiosk pages)
display/assets/…               the kiosk's CSS, JS and images, content-hashed names
display/slides.json            the slides as data (and the version the kiosk polls)
display/rss.xml                plain RSS 2.0 of all slides; display/rss/<section>.xml
display/mrss/landscape.xml     MRSS playlists of the slide images
display/mrss/portrait.xml
display/images/…png            slide images, content-hashed names
display/nastroyka/             the IT staff's page: which URL for which player
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup
from pelican.generators import Generator

from uchastvai.core.i18n import N_, gettext, ngettext
from uchastvai.core.written import announce, write_output
from uchastvai.display import assets as display_assets
from uchastvai.display import feeds
from uchastvai.display.config import ORIENTATIONS, DisplayConfig, read_config
from uchastvai.display.qr import cached_qr_svg, prune_qr_cache
from uchastvai.display.render import ImageJob, render_images
from uchastvai.display.slides import Slide, build_slides, default_slide, version_of

FOLDER = "display"
PAGES = {"landscape": ("", ""), "portrait": ("portrait/", "../")}  # page path, way back to display/
HELP_PAGE = "nastroyka/"


def _luminance(colour: str) -> float:
    """Relative luminance (WCAG 2) of a ``#rrggbb`` colour."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def text_colour_on(background: str) -> str:
    """Black or white, whichever contrasts more with the municipality's colour."""
    light = _luminance(background)
    return "#000000" if (light + 0.05) / 0.05 > 1.05 / (light + 0.05) else "#ffffff"


@dataclass(frozen=True)
class Edition:
    """One build of the display: its slides, files and version."""

    slides: list[Slide]
    fallback: Slide  # the default slide, in every page: shown when everything else has ended
    assets: list[display_assets.Asset]
    fingerprint: str  # everything drawn besides the slides
    version: str

    def asset_paths(self) -> dict[str, str]:
        return {asset.name: asset.path for asset in self.assets}

    def image_jobs(self) -> list[ImageJob]:
        jobs = []
        for slide in self.slides:
            for orientation in ORIENTATIONS:
                digest = hashlib.sha256(f"{slide.digest()}{self.fingerprint}{orientation}".encode()).hexdigest()[:12]
                path = f"images/{slide.key}.{orientation}.{digest}.png"
                jobs.append(ImageJob(slide.key, orientation, path, PAGES[orientation][0]))
        return jobs

    def cached_files(self) -> list[str]:
        """What the service worker keeps: the pages, the data and every asset."""
        pages = [url for page, _ in PAGES.values() for url in ((page or "./"), f"{page}index.html")]
        return [*pages, "slides.json", *(asset.path for asset in self.assets)]

    def page_slides(self) -> list[Slide]:
        """The slides in the kiosk page: the rotation and, unless it is already there, the default slide."""
        if any(slide.key == self.fallback.key for slide in self.slides):
            return self.slides
        return [*self.slides, self.fallback]


def script_json(data: Any) -> Markup:
    """JSON that is safe inside ``<script>``: no ``<``, ``>`` or ``&`` can end the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def kiosk_texts() -> dict[str, Any]:
    """The texts the kiosk computes by its own clock, in both plural forms of the catalogue."""
    left = ("{left} of {period} day left", "{left} of {period} days left")
    return {
        "last_day": gettext("last day today"),
        "left": [ngettext(*left, 1), ngettext(*left, 2)],
    }


def colours_of(settings: dict[str, Any]) -> dict[str, str]:
    colours = dict(settings["MUNICIPALITY"].get("colours", {}))
    colours.setdefault("primary", "#0b4f6c")
    colours.setdefault("accent", "#b8860b")
    colours["on_primary"] = text_colour_on(colours["primary"])
    return colours


class DisplayGenerator(Generator):  # Pelican has no type hints
    """Writes the kiosk pages, player feeds, JSON and slide images from the catalogue."""

    def generate_output(self, writer: Any) -> None:
        settings, context = self.settings, self.context
        config = read_config(settings)
        display_dir = Path(self.output_path) / FOLDER
        edition = self.edition(config)
        self.write_pages(writer, edition, config)
        for asset in edition.assets:
            self.write(display_dir / asset.path, asset.data)
        worker = display_assets.worker_source(settings).replace(
            'var BUILD = {"version": "dev", "files": []};',
            f"var BUILD = {json.dumps({'version': edition.version, 'files': edition.cached_files()})};",
        )
        self.write(display_dir / display_assets.WORKER, worker)
        version = {"version": edition.version, "built": self.context["build_time"].isoformat()}
        self.write(display_dir / "version.json", json.dumps(version, indent=1).encode())
        jobs = render_images(edition.image_jobs(), display_dir, config)
        images: dict[str, dict[str, feeds.SlideImage]] = {}
        for job in jobs:
            announce(display_dir / job.path, context)  # the browser wrote the slide image
            size = (display_dir / job.path).stat().st_size
            images.setdefault(job.key, {})[job.orientation] = feeds.SlideImage(job.orientation, job.path, size)
        self.write_feeds(display_dir, edition, images, config)
        self.write_help(writer, has_images=bool(jobs))
        context["display_version"] = edition.version

    def write(self, path: Path, data: bytes | str) -> None:
        """Write one file of the display folder; it announces itself like the ``Writer``'s pages."""
        write_output(path, data, self.context)

    # -- the parts

    def edition(self, config: DisplayConfig) -> Edition:
        slides = build_slides(self.context["catalog"], self.settings, config)
        fallback = default_slide(self.settings, config, self.context["build_time"])
        assets = display_assets.collect_assets(self.settings)
        assets.append(display_assets.colours_asset(colours_of(self.settings)))
        template_source = self.env.loader.get_source(self.env, "display.html")[0]
        band = [self.settings["MUNICIPALITY"], self.settings["SITEURL"], self.settings.get("DEFAULT_LANG", "bg")]
        digest = hashlib.sha256(template_source.encode())
        digest.update(json.dumps(band, sort_keys=True, ensure_ascii=False).encode())
        for asset in assets:
            digest.update(asset.data)
        fingerprint = digest.hexdigest()
        return Edition(slides, fallback, assets, fingerprint, version_of([*slides, fallback], fingerprint))

    def page_config(self, edition: Edition, config: DisplayConfig, base: str) -> Markup:
        data = {
            "version": edition.version,
            "poll": config.poll_seconds,
            "data": f"{base}slides.json",
            "worker": f"{base}{display_assets.WORKER}",
            "lang": self.settings.get("DEFAULT_LANG", "bg"),
            "timezone": self.settings.get("TIMEZONE", "Europe/Sofia"),
            "texts": kiosk_texts(),
        }
        return script_json(data)

    def write_pages(self, writer: Any, edition: Edition, config: DisplayConfig) -> None:
        template = self.get_template("display")
        page_slides = edition.page_slides()
        qr = {slide.key: Markup(cached_qr_svg(slide.url, config.cache_dir)) for slide in page_slides}  # segno's SVG
        prune_qr_cache([slide.url for slide in page_slides], config.cache_dir)
        for orientation, (page, base) in PAGES.items():
            width, height = ORIENTATIONS[orientation]
            writer.write_file(
                f"{FOLDER}/{page}index.html",
                template,
                self.context,
                relative_urls=False,
                slides=page_slides,
                fallback_key=edition.fallback.key,
                qr=qr,
                orientation=orientation,
                width=width,
                height=height,
                base=base,
                assets=edition.asset_paths(),
                config_json=self.page_config(edition, config, base),
                site_host=_host(self.settings["SITEURL"]),
                version=edition.version,
            )

    def write_feeds(
        self,
        display_dir: Path,
        edition: Edition,
        images: dict[str, dict[str, feeds.SlideImage]],
        config: DisplayConfig,
    ) -> None:
        settings, build_time, slides = self.settings, self.context["build_time"], edition.slides
        name = settings["SITENAME"]
        self.write(
            display_dir / "rss.xml",
            feeds.player_rss(
                slides,
                images,
                settings=settings,
                build_time=build_time,
                self_path="rss.xml",
                title=gettext("{site} – displays").format(site=name),
            ),
        )
        for section, kinds in feeds.SECTION_FEEDS.items():
            chosen = [slide for slide in slides if slide.kind in kinds]
            path = f"rss/{section}.xml"
            title = gettext("{site} – displays: {section}").format(site=name, section=gettext(SECTION_TITLES[section]))
            self.write(
                display_dir / path,
                feeds.player_rss(chosen, images, settings=settings, build_time=build_time, self_path=path, title=title),
            )
        if images:
            for orientation in ORIENTATIONS:
                self.write(
                    display_dir / "mrss" / f"{orientation}.xml",
                    feeds.mrss_playlist(
                        slides, images, settings=settings, build_time=build_time, orientation=orientation
                    ),
                )
        self.write(
            display_dir / "slides.json",
            feeds.slides_json(
                slides,
                images,
                settings=settings,
                build_time=build_time,
                version=edition.version,
                poll_seconds=config.poll_seconds,
            ),
        )

    def write_help(self, writer: Any, has_images: bool) -> None:
        """The page for the municipality's IT staff, with the exact addresses."""

        def url(path: str = "") -> str:
            return feeds.display_url(self.settings, path)

        writer.write_file(
            f"{FOLDER}/{HELP_PAGE}index.html",
            self.get_template("display_help"),
            self.context,
            relative_urls=False,
            kiosk_landscape=url(),
            kiosk_portrait=url("portrait/"),
            rss_all=url("rss.xml"),
            rss_sections={section: url(f"rss/{section}.xml") for section in feeds.SECTION_FEEDS},
            section_titles={section: gettext(title) for section, title in SECTION_TITLES.items()},
            has_images=has_images,
            mrss_landscape=url("mrss/landscape.xml"),
            mrss_portrait=url("mrss/portrait.xml"),
            slides_json=url("slides.json"),
            version_json=url("version.json"),
            poll_seconds=read_config(self.settings).poll_seconds,
            news_days=read_config(self.settings).news_days,
            ttl=feeds.TTL_MINUTES,
        )


SECTION_TITLES = {"konsultatsii": N_("Public consultations"), "proekti": N_("Projects"), "novini": N_("News")}


def _host(siteurl: str) -> str:
    parts = urlsplit(siteurl)
    return f"{parts.netloc}{parts.path}".rstrip("/") or siteurl


def add_generator(pelican: Any) -> type[Generator]:
    """Receiver of ``signals.get_generators``."""
    return DisplayGenerator
