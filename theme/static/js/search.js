// Search page, as progressive enhancement: without JavaScript the page points to the archive.
// The Pagefind bundle is loaded only when there is something to search for. All texts
// come from the page (data-* attributes of the form), so they are translated in the catalogues.
const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const text = form.dataset;
const more = document.getElementById("search-more");
// Each shown result costs one request (its fragment). A query costs at most 15: the module,
// its entry, metadata, WebAssembly and one index chunk per word (5-7), then PAGE_SIZE results.
const PAGE_SIZE = 8;
let pagefind = null;
let pending = [];

document.getElementById("search-nojs").hidden = true;

function message(template, query, count) {
  return template.replace("{query}", query).replace("{count}", String(count));
}

function resultItem(data) {
  const item = document.createElement("li");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  const excerpt = document.createElement("p");
  excerpt.innerHTML = data.excerpt; // Pagefind escapes the page text and adds only <mark>
  item.append(link, excerpt);
  return item;
}

function words(text) {
  return text.toLocaleLowerCase("bg").split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

function sharedPrefix(a, b) {
  let length = 0;
  while (length < a.length && length < b.length && a[length] === b[length]) length += 1;
  return length;
}

// Pagefind answers a word it does not know with its longest known prefix („ЕФРР“ finds every
// page with „е“). That choice is made per word for the whole query, so the first result tells:
// a query word is backtracked when none of the words matched on that page shares at least
// half of it (at least three letters). Word forms the stemmer joins share far more than that.
function backtracked(query, data) {
  const pageWords = data.content.split(/\s+/);
  const matched = data.locations.flatMap((at) => words(pageWords[at] || ""));
  return words(query).some((term) => {
    const needed = Math.min(term.length, Math.max(3, Math.ceil(term.length / 2)));
    return !matched.some((word) => sharedPrefix(term, word) >= needed);
  });
}

async function showNext() {
  const batch = pending.splice(0, PAGE_SIZE);
  const results = await Promise.all(batch.map((result) => result.data()));
  list.append(...results.map(resultItem));
  more.hidden = pending.length === 0;
  return results;
}

async function run(query) {
  list.replaceChildren();
  pending = [];
  more.hidden = true;
  if (!query) {
    status.textContent = "";
    return;
  }
  status.textContent = text.loading;
  try {
    if (!pagefind) {
      pagefind = await import(`${text.bundle}pagefind.js`);
      // No worker: it would cost one more request and a search is a few milliseconds of work.
      await pagefind.options({ baseUrl: text.base, noWorker: true });
    }
    const search = await pagefind.search(query);
    pending = [...search.results];
    const shown = await showNext();
    let count = search.results.length;
    if (shown.length && backtracked(query, shown[0])) {
      list.replaceChildren();
      pending = [];
      more.hidden = true;
      count = 0;
    }
    const template = count === 0 ? text.none : count === 1 ? text.one : text.many;
    status.textContent = message(template, query, count);
  } catch (error) {
    status.textContent = text.error;
  }
}

more.addEventListener("click", () => showNext());

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const query = input.value.trim();
  history.replaceState(null, "", `?q=${encodeURIComponent(query)}`);
  run(query);
});

const initial = new URLSearchParams(location.search).get("q") || "";
input.value = initial;
run(initial.trim());
