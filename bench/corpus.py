"""Synthetic content in the site's exact format, reproducible from a seed.

    python -m bench.corpus --items 5000 --seed 8 --out bench/out/5000/ours [--vanilla bench/out/5000/vanilla]

Every item is checked against ``uchastvai.content.schema`` (the same models and legal rules the
build applies) before it is written, and its front matter is ordered by the model's own
field order, so a change of the schema shows up here as an error instead of silently
benchmarking stale content. The mix follows a municipality's archive: a quarter
consultations, about half news, the rest funded projects and citizens' ideas, spread
over the years (about 250 consultations a year), with documents and images referenced
and present on disk.

``--vanilla`` writes the equivalent corpus for stock Pelican: the same bodies and
titles, with plain ``Key: value`` metadata (title, date, category, tags, slug, summary).
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from bench import text
from uchastvai.content.reader import parse_front_matter, split_front_matter
from uchastvai.content.rules import check_item
from uchastvai.content.schema import CONTENT_TYPES, Consultation, ContentItem, Idea, News, Project, nested_model
from uchastvai.content.slugs import slugify
from uchastvai.core.dates import SOFIA

ROOT = Path(__file__).resolve().parent.parent
# The moment the benchmark builds for: the same as the sample site's tests.
BUILD_TIME = datetime(2026, 11, 25, 12, 0, tzinfo=SOFIA)
TODAY = BUILD_TIME.date()
# Share of each type in the corpus (pages are the site's own four).
MIX = {"consultation": 0.25, "project": 0.15, "idea": 0.15, "news": 0.45}
# Words in the body, about what the sample content and real municipal pages have.
BODY_WORDS = {"consultation": 380, "project": 420, "idea": 260, "news": 300}
CONSULTATIONS_PER_YEAR = 250
PLACEHOLDER_PDF = "%PDF-1.4\n% synthetic placeholder: {title}\n%%EOF\n"
PLACEHOLDER_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 180" width="320" height="180">'
    '<rect width="320" height="180" fill="#{colour}"/><text x="16" y="96" font-size="18">{title}</text></svg>\n'
)


@dataclass
class Item:
    """One generated file: its model, front matter (plain strings) and Markdown body."""

    model: type[ContentItem]
    data: dict[str, Any]
    body: str
    files: dict[str, str] = field(default_factory=dict)  # path under content/ -> text

    @property
    def slug(self) -> str:
        return self.data["slug"]


# --------------------------------------------------------------------------- schema-driven front matter


def ordered(model: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    """``data`` in the model's field order, nested parts too; unknown keys are a bug here."""
    unknown = set(data) - set(model.model_fields)
    if unknown:
        raise KeyError(f"{model.__name__} has no field {sorted(unknown)}")
    result: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name not in data:
            continue
        value, inner = data[name], nested_model(info.annotation)
        if inner is not None and isinstance(value, dict):
            value = ordered(inner, value)
        elif inner is not None and isinstance(value, list):
            value = [ordered(inner, element) if isinstance(element, dict) else element for element in value]
        result[name] = value
    return result


# libyaml's emitter when present: the pure-Python one is most of the generation time.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def front_matter(item: Item) -> str:
    data = ordered(item.model, item.data)
    return yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1000)


def check(item: Item) -> None:
    """The item passes the schema and every legal rule without a warning, as the build will see it."""
    validated = item.model.model_validate(item.data)
    problems = check_item(validated, BUILD_TIME)  # errors and warnings alike: the corpus is clean
    if problems:
        raise ValueError(f"generated {item.model.type_name} {item.slug} breaks rules: {problems}")


# --------------------------------------------------------------------------- values


def iso(day: date) -> str:
    return day.isoformat()


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def day_in(rng: random.Random, year: int, latest: date) -> date:
    first = date(year, 1, 1)
    last = min(date(year, 12, 31), latest)
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def contact(rng: random.Random) -> dict[str, str]:
    name = text.person(rng)
    return {
        "name": name,
        "role": "старши експерт",
        "email": f"{slugify(name).replace('-', '.')}@obshtina.example",
        "phone": f"0331 6 {rng.randrange(10, 99)} {rng.randrange(10, 99)}",
    }


def document(item: Item, kind: str, title: str, path: str, day: date) -> dict[str, str]:
    """A document entry whose placeholder file is written with the item."""
    item.files[path] = PLACEHOLDER_PDF.format(title=title)
    return {"type": kind, "title": title, "file": path, "date": iso(day)}


# --------------------------------------------------------------------------- the content types


def consultation(rng: random.Random, year: int, number: int) -> Item:
    ident = f"{year}-{number:03d}"
    topic = rng.choice(text.TOPICS)
    kind = rng.choices(["regulation", "strategy", "budget", "other"], [60, 20, 10, 10])[0]
    title = {
        "regulation": f"Проект на Наредба за {topic}",
        "strategy": f"Програма за {topic} {year}–{year + 3}",
        "budget": f"Проект на бюджет на общината за {year + 1} година",
        "other": f"Проект на решение относно {topic}",
    }[kind]
    opens = day_in(rng, year, TODAY + timedelta(days=14))
    period = 30 if rng.random() < 0.85 or kind == "budget" else rng.randint(14, 29)
    closes = opens + timedelta(days=period)
    item = Item(Consultation, {}, text.body(rng, BODY_WORDS["consultation"]))
    data: dict[str, Any] = {
        "id": ident,
        "title": title,
        "summary": f"{text.sentence(rng)} Предложения се приемат до {closes.day}.{closes.month:02d}.{closes.year} г.",
        "slug": f"{ident}-{slugify(title, 60)}",
        "sample": True,
        "kind": kind,
        "act": title.removeprefix("Проект на ").capitalize(),
        "unit": rng.choice(text.UNITS),
        "contacts": [contact(rng) for _ in range(rng.randint(1, 2))],
        "opens": iso(opens),
        "closes": iso(closes),
        "respond": {"email": "konsultatsii@obshtina.example", "post": "гр. Асеновград 4230, бул. „България“ № 19"},
    }
    if period < 30:
        data["short_period_reason"] = "Промяната в закона влиза в сила преди изтичането на 30-дневен срок."
    if kind == "budget" or rng.random() < 0.2:
        start = opens + timedelta(days=rng.randint(8, period - 2))
        data["hearings"] = [
            {
                "start": f"{iso(start)} 17:30",
                "end": f"{iso(start)} 19:00",
                "place": "Заседателна зала на Общинския съвет",
                "address": "гр. Асеновград, бул. „България“ № 19, ет. 2",
                "accessibility": "Залата е достъпна с асансьор, без стъпала.",
            }
        ]
    folder = ident
    docs = [
        document(item, "draft", f"Проект – {title}", f"documents/{folder}/proekt.pdf", opens),
        document(item, "motives", "Мотиви към проекта", f"documents/{folder}/motivi.pdf", opens),
        document(
            item, "impact_assessment", "Предварителна оценка на въздействието", f"documents/{folder}/otsenka.pdf", opens
        ),
    ]
    withdrawn_on = opens + timedelta(days=rng.randint(1, period))
    if rng.random() < 0.03 and withdrawn_on <= TODAY:
        data["withdrawn"] = {"date": iso(withdrawn_on), "reason": "Проектът се преработва след нови указания."}
    elif closes < TODAY:
        received = rng.randint(0, 25)
        outcome: dict[str, Any] = {"proposals_received": received, "proposals_accepted": rng.randint(0, received)}
        report_on = closes + timedelta(days=rng.randint(5, 25))
        if report_on <= TODAY:
            outcome["report_date"] = iso(report_on)
            docs.append(
                document(
                    item, "report", "Справка за постъпилите предложения", f"documents/{folder}/spravka.pdf", report_on
                )
            )
            decided_on = report_on + timedelta(days=21)
            if decided_on <= TODAY:
                outcome["decision"] = {"number": str(rng.randint(100, 999)), "date": iso(decided_on)}
                docs.append(
                    document(
                        item, "decision", "Решение на Общинския съвет", f"documents/{folder}/reshenie.pdf", decided_on
                    )
                )
        data["outcome"] = outcome
    data["documents"] = docs
    item.data = data
    return item


PROGRAMMES = {
    "2007-2013": ("BG16RDOP001", "Оперативна програма „Регионално развитие“ 2007-2013", "ERDF"),
    "2014-2020": ("BG16RFOP001", "Оперативна програма „Региони в растеж“ 2014-2020", "ERDF"),
    "2021-2027": ("BG16FFPR003", "Програма „Развитие на регионите“ 2021-2027", "ERDF"),
    "national": ("BG00OBAS026", "Национална програма за благоустройство", "national"),
}


def project(rng: random.Random, year: int, number: int) -> Item:
    period = rng.choices(list(PROGRAMMES), [10, 40, 40, 10])[0]
    prefix, programme, fund = PROGRAMMES[period]
    code = f"{prefix}-{rng.randint(1, 9)}.{rng.randint(1, 30):03d}-{number:04d}" + (
        "-C01" if period != "national" else ""
    )
    subject, place = rng.choice(text.SUBJECTS), rng.choice(text.PLACES)
    title = f"Ремонт и обновяване: {subject} в {place}"
    signed = day_in(rng, year, TODAY)
    start = signed + timedelta(days=rng.randint(0, 30))
    end = start + timedelta(days=30 * rng.randint(12, 48))
    item = Item(Project, {}, text.body(rng, BODY_WORDS["project"]))
    total = cents(Decimal(rng.randint(50_000, 5_000_000)) + Decimal(rng.randint(0, 99)) / 100)
    share = Decimal("0.85") if period != "national" else Decimal("0")
    grant_eu = cents(total * share)
    grant_national = cents((total - grant_eu) * Decimal("0.9"))
    own = total - grant_eu - grant_national
    data: dict[str, Any] = {
        "title": title,
        "summary": f"{text.sentence(rng)} {text.sentence(rng)}",
        "slug": f"{slugify(code)}",
        "sample": True,
        "code": code,
        "programme": programme,
        "period": period,
        "fund": fund,
        "beneficiary": "Община Асеновград",
        "contract": {"number": code, "date": iso(signed)},
        "start": iso(start),
        "end": iso(end),
    }
    stopped = None
    if rng.random() < 0.03 and start < TODAY:
        stopped = start + timedelta(days=rng.randint(1, max(1, min((TODAY - start).days, (end - start).days))))
        data["terminated"] = {"date": iso(stopped), "reason": "Договорът е прекратен по взаимно съгласие."}
    elif end < TODAY:
        data["completed_on"] = iso(end - timedelta(days=rng.randint(0, 60)))
    elapsed = max(0, min((TODAY - start).days, (end - start).days)) / max(1, (end - start).days)
    paid = cents(total * Decimal(str(round(elapsed * rng.uniform(0.6, 1.0), 3))))
    data["budget"] = {
        "currency": "EUR" if signed.year >= 2026 else "BGN",
        "total": str(total),
        "grant_eu": str(grant_eu),
        "grant_national": str(grant_national),
        "own": str(own),
        "paid": str(paid),
    }
    data["locations"] = [
        {"name": place, "address": f"{place}, ул. „{rng.choice(text.FIRST_NAMES)}“ № {number % 90 + 1}"}
    ]
    data["aims"] = [text.sentence(rng) for _ in range(2)]
    data["activities"] = [text.fill(rng, template) for template in ("Ремонт на {subject} в {place}.",) * 3]
    data["results"] = [text.sentence(rng) for _ in range(2)]
    target = rng.randint(100, 5000)
    data["indicators"] = [
        {"name": "Рехабилитирана площ", "unit": "м²", "target": str(target), "achieved": str(int(target * elapsed))}
    ]
    steps = rng.randint(3, 6)
    data["milestones"] = [
        {
            "date": iso(start + (end - start) * step / steps),
            "title": f"Етап {step}: {text.fill(rng, 'ремонт на {subject}')}",
            "done": (start + (end - start) * step / steps) <= min(TODAY, stopped or TODAY),
        }
        for step in range(1, steps + 1)
    ]
    data["updated"] = iso(min(TODAY, max(start, end - timedelta(days=30))))
    data["area"] = place
    folder = slugify(code)
    if rng.random() < 0.5:
        path = f"images/projects/{folder}.svg"
        item.files[path] = PLACEHOLDER_SVG.format(colour=f"{rng.randrange(0x1000000):06x}", title=code)
        data["images"] = [{"file": path, "alt": f"Схема на обекта: {subject} в {place}."}]
    data["documents"] = [document(item, "contract", f"Договор {code}", f"documents/{folder}/dogovor.pdf", signed)]
    item.data = data
    return item


def idea(rng: random.Random, year: int, number: int, projects: list[Item]) -> Item:
    received = day_in(rng, year, TODAY)
    subject, place = rng.choice(text.SUBJECTS), rng.choice(text.PLACES)
    title = f"Предложение: нов(а) {subject} в {place}"
    state = rng.choices(["received", "evaluating", "accepted", "rejected", "withdrawn"], [20, 25, 15, 30, 10])[0]
    answered = received + timedelta(days=rng.randint(20, 90))
    if state != "received" and answered > TODAY:
        state = "received"
    if state == "accepted" and not projects:
        state = "evaluating"
    data: dict[str, Any] = {
        "id": f"И-{year}-{number:03d}",
        "title": title,
        "summary": f"{text.sentence(rng)}",
        "slug": f"i-{year}-{number:03d}-{slugify(title, 50)}",
        "sample": True,
        "proposer": "гражданин" if rng.random() < 0.8 else f"{text.person(rng)} (с негово съгласие)",
        "received": iso(received),
        "area": place,
        "category": rng.choice(text.CATEGORIES),
        "state": state,
    }
    if rng.random() < 0.6:
        data["estimated_cost"] = {"amount": f"{rng.randint(5, 900) * 1000}.00", "currency": "EUR"}
    if state == "accepted":
        data["project"] = rng.choice(projects).data["code"]
    if state == "rejected":
        data["rejection_reason"] = "Теренът не е общинска собственост."
    if state in ("evaluating", "accepted", "rejected"):
        data["answer"] = {"text": text.paragraph(rng, 2), "date": iso(answered)}
    return Item(Idea, data, text.body(rng, BODY_WORDS["idea"]))


def news(rng: random.Random, year: int, number: int, related: list[Item]) -> Item:
    day = day_in(rng, year, TODAY)
    title = f"{text.fill(rng, rng.choice(_NEWS_TITLES))} ({number})"
    data: dict[str, Any] = {
        "title": title,
        "summary": text.sentence(rng),
        "slug": f"{year}-{number:04d}-{slugify(title, 60)}",
        "sample": True,
        "date": iso(day),
    }
    if related and rng.random() < 0.3:
        other = rng.choice(related)
        data["related"] = [other.data.get("id") or other.data["code"]]
    return Item(News, data, text.body(rng, BODY_WORDS["news"]))


_NEWS_TITLES = (
    "Започва ремонтът на {subject} в {place}",
    "Обществено обсъждане за {topic}",
    "Завърши обновяването на {subject} в {place}",
    "Нови правила за {topic}",
    "{unit} отговаря на въпросите на гражданите",
)


# --------------------------------------------------------------------------- the corpus


def years_for(consultations: int) -> range:
    """An archive that ends this year, about 250 consultations a year (at least two years)."""
    count = max(2, math.ceil(consultations / CONSULTATIONS_PER_YEAR))
    return range(TODAY.year - count + 1, TODAY.year + 1)


def spread(count: int, years: range) -> Iterator[tuple[int, int]]:
    """(year, number within the year) for ``count`` items spread evenly over ``years``."""
    numbers: Counter[int] = Counter()
    for index in range(count):
        year = years[index * len(years) // count]
        numbers[year] += 1
        yield year, numbers[year]


def counts_for(items: int) -> dict[str, int]:
    counts = {name: int(items * share) for name, share in MIX.items()}
    counts["news"] += items - sum(counts.values())
    return counts


def generate_items(items: int, seed: int) -> list[Item]:
    """All items of a corpus, in a fixed order; the same seed gives the same items."""
    rng = random.Random(seed)
    counts = counts_for(items)
    years = years_for(counts["consultation"])
    consultations = [consultation(rng, y, n) for y, n in spread(counts["consultation"], years)]
    # Project codes are numbered across the archive (ИСУН numbers are not reset each year).
    projects = [project(rng, y, i + 1) for i, (y, _) in enumerate(spread(counts["project"], years))]
    ideas = [idea(rng, y, n, projects) for y, n in spread(counts["idea"], years)]
    related = consultations + projects
    news_items = [news(rng, y, n, related) for y, n in spread(counts["news"], years)]
    return consultations + projects + ideas + news_items


def write_item(item: Item, content: Path) -> Path:
    path = content / item.model.folder / f"{item.slug}.md"
    path.write_text(f"---\n{front_matter(item)}---\n{item.body}", encoding="utf-8")
    for relative, data in item.files.items():
        target = content / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(data, encoding="utf-8")
    return path


def copy_pages(content: Path) -> None:
    """The site's own pages (about, contacts, accessibility, privacy): every site has them."""
    shutil.copytree(ROOT / "content" / "pages", content / "pages", dirs_exist_ok=True)
    shutil.copy2(ROOT / "content" / "images" / "gerb.svg", content / "images" / "gerb.svg")


# --------------------------------------------------------------------------- vanilla Pelican


VANILLA_CATEGORY = {"consultation": "Консултации", "project": "Проекти", "idea": "Идеи", "news": "Новини"}


def vanilla_text(
    title: str, slug: str, summary: str, *, day: str | None = None, category: str = "", tags: tuple[str, ...] = ()
) -> str:
    """Plain Pelican metadata: what a site without our plugin would write."""
    lines = [f"Title: {title}"]
    if day:
        lines.append(f"Date: {day}")
    if category:
        lines.append(f"Category: {category}")
    if tags:
        lines.append(f"Tags: {', '.join(tags)}")
    lines += [f"Slug: {slug}", f"Summary: {summary}"]
    return "\n".join(lines) + "\n\n"


def vanilla_tags(item: Item) -> tuple[str, ...]:
    data = item.data
    return tuple(str(data[key]) for key in ("area", "kind", "category", "period") if key in data)


def write_vanilla(item: Item, content: Path) -> None:
    """The same title, summary and body as a plain article; the same images as static files."""
    date_field = item.model.date_field
    day = item.data.get(date_field) if date_field else None
    folder = content / item.model.folder
    category = VANILLA_CATEGORY[item.model.type_name]
    header = vanilla_text(
        item.data["title"], item.slug, item.data["summary"], day=day, category=category, tags=vanilla_tags(item)
    )
    (folder / f"{item.slug}.md").write_text(header + item.body, encoding="utf-8")
    for relative, data in item.files.items():
        if relative.startswith("images/"):
            (content / relative).parent.mkdir(parents=True, exist_ok=True)
            (content / relative).write_text(data, encoding="utf-8")


def write_vanilla_pages(content: Path) -> None:
    for source in sorted((ROOT / "content" / "pages").glob("*.md")):
        front, body, _ = split_front_matter(source.read_text(encoding="utf-8"))
        data, _, _ = parse_front_matter(front or "")
        header = vanilla_text(data["title"], data.get("slug") or source.stem, data["summary"])
        (content / "pages" / source.name).write_text(header + body, encoding="utf-8")


def prepare(content: Path, folders: list[str]) -> None:
    if content.exists():
        shutil.rmtree(content)
    for folder in [*folders, "pages", "images"]:
        (content / folder).mkdir(parents=True, exist_ok=True)


def generate(items: int, seed: int, ours: Path, vanilla: Path | None = None) -> dict[str, int]:
    """Write the corpus (and its vanilla twin); return the number of items per type."""
    generated = generate_items(items, seed)
    folders = [model.folder for name, model in CONTENT_TYPES.items() if name != "page"]
    prepare(ours, folders)
    copy_pages(ours)
    if vanilla is not None:
        prepare(vanilla, folders)
        write_vanilla_pages(vanilla)
    for item in generated:
        check(item)
        write_item(item, ours)
        if vanilla is not None:
            write_vanilla(item, vanilla)
    return dict(Counter(item.model.type_name for item in generated))


# --------------------------------------------------------------------------- changes for rebuilds


def edit_one(content: Path) -> Path:
    """Change the body of one news item in the middle of the archive (what an editor does)."""
    files = sorted((content / "news").glob("*.md"))
    path = files[len(files) // 2]
    path.write_text(path.read_text(encoding="utf-8") + "\nДобавено уточнение от редактора.\n", encoding="utf-8")
    return path


def add_one(content: Path, seed: int = 0) -> Path:
    """Publish one new news item dated the build day."""
    item = news(random.Random(seed), TODAY.year, 9999, [])
    item.data["date"] = iso(TODAY)
    item.data["slug"] = f"novo-{item.slug}"
    check(item)
    return write_item(item, content)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--out", type=Path, required=True, help="content folder for our site")
    parser.add_argument("--vanilla", type=Path, default=None, help="content folder for stock Pelican")
    args = parser.parse_args(argv)
    counts = generate(args.items, args.seed, args.out, args.vanilla)
    print(", ".join(f"{name}: {count}" for name, count in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
