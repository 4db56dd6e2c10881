// The search page of the qissa theme: fills the box from ?q=, runs the site's search module
// (published by the build at <base path>search/qissa-search.js, named on the page in
// data-search-module), shows the results with their date, category and marked excerpt,
// offers filters by category and author built from the results, and announces the count in
// the page's live region. Everything it shows is built with DOM calls; only the engine's
// excerpt and marked title (escaped text with <mark>) are inserted as HTML. Its words are
// the theme's labels (strings.yaml), handed over by the page as data-label-* attributes, so
// a site's wording reaches them too.

const page = document.querySelector("[data-search-module]");
const form = page.querySelector(".search-form");
const input = page.querySelector("#search-q");
const status = page.querySelector("#search-status");
const list = page.querySelector("#search-results");
const filters = page.querySelector(".search-filters");
const byCategory = page.querySelector("#search-category");
const byAuthor = page.querySelector("#search-author");

const plural = new Intl.PluralRules("ar");
let engine = null;
let results = [];
let asked = "";

/** The engine's module, loaded on first use from the same origin. */
async function searchModule() {
  if (!engine) engine = import(new URL(page.dataset.searchModule, location.href).href);
  return engine;
}

/** An author as {name, url}, whichever shape the engine gives. */
function authorOf(a) {
  return Array.isArray(a) ? { name: a[0], url: a[1] } : a;
}

/** The label `name` (data-label-NAME), with {n} and {q} filled in. */
function label(name, n, query) {
  const key = "label" + name.replace(/(^|-)(\w)/g, (_, __, c) => c.toUpperCase());
  // Functions, not strings, as replacements: a query holding `$&` stays as typed.
  const text = page.dataset[key] || "";
  return text.replaceAll("{n}", () => String(n)).replaceAll("{q}", () => query);
}

/** "N results" in Arabic, with the plural form the number takes. */
function countText(n, query) {
  if (n === 0) return label("no-results", n, query);
  return label(`results-${plural.select(n)}`, n, query);
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** One result: the linked title, date and category, the marked excerpt. */
function resultItem(r) {
  const item = element("li", "search-result");
  const title = element("h2", "search-result-title");
  const link = element("a", "", r.title);
  // The engine marks the title too, when it says so (escaped text with <mark>).
  if (typeof r.title_html === "string") link.innerHTML = r.title_html;
  link.href = r.url;
  title.append(link);
  const meta = element("p", "search-result-meta");
  const date = element("time", "", r.date_label || r.date);
  date.dateTime = r.date;
  meta.append(date);
  if (r.category) {
    const category = element("a", "", r.category);
    category.href = r.category_url;
    meta.append(" · ", category);
  }
  const excerpt = element("p", "search-result-excerpt");
  excerpt.innerHTML = r.excerpt;
  item.append(title, meta, excerpt);
  return item;
}

/** Refills a filter with the values the results hold, keeping the reader's choice. */
function fillFilter(select, values) {
  const chosen = select.value;
  while (select.options.length > 1) select.remove(1);
  for (const value of [...values].sort((a, b) => a.localeCompare(b, "ar"))) {
    select.add(new Option(value, value));
  }
  select.value = values.has(chosen) ? chosen : "";
}

function buildFilters() {
  fillFilter(byCategory, new Set(results.map((r) => r.category).filter(Boolean)));
  const authors = results.flatMap((r) => (r.authors || []).map((a) => authorOf(a).name));
  fillFilter(byAuthor, new Set(authors));
  filters.hidden = results.length === 0;
}

/** The results the filters let through, drawn and announced. */
function show() {
  const category = byCategory.value;
  const author = byAuthor.value;
  const shown = results.filter(
    (r) =>
      (!category || r.category === category) &&
      (!author || (r.authors || []).some((a) => authorOf(a).name === author)),
  );
  list.replaceChildren(...shown.map(resultItem));
  status.textContent = countText(shown.length, asked);
}

async function run(query) {
  asked = query.trim();
  input.value = query;
  if (!asked) {
    results = [];
    list.replaceChildren();
    filters.hidden = true;
    status.textContent = "";
    return;
  }
  status.textContent = label("searching", 0, asked);
  try {
    const { search } = await searchModule();
    results = await search(asked);
  } catch (error) {
    results = [];
    status.textContent = label("failed", 0, asked);
    console.error(error);
    return;
  }
  buildFilters();
  show();
}

function queryInAddress() {
  return new URLSearchParams(location.search).get("q") || "";
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const query = input.value.trim();
  const address = new URL(location.href);
  address.searchParams.set("q", query);
  history.pushState(null, "", address);
  run(query);
});
byCategory.addEventListener("change", show);
byAuthor.addEventListener("change", show);
window.addEventListener("popstate", () => run(queryInAddress()));

run(queryInAddress());
