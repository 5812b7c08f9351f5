// Search page, as progressive enhancement: without JavaScript the page points to the archive.
// The Pagefind bundle is loaded only when there is something to search for. All texts
// come from the page (data-* attributes of the form), so they are translated in the catalogues.
const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const text = form.dataset;
const more = document.getElementById("search-more");
const PAGE_SIZE = 10; // each shown result costs one small request: load them page by page
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

async function showNext() {
  const batch = pending.splice(0, PAGE_SIZE);
  const results = await Promise.all(batch.map((result) => result.data()));
  list.append(...results.map(resultItem));
  more.hidden = pending.length === 0;
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
      await pagefind.options({ baseUrl: text.base });
    }
    const search = await pagefind.search(query);
    pending = [...search.results];
    await showNext();
    const count = search.results.length;
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
