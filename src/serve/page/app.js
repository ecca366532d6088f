// The query page: examples from /examples.json, counts from /summary.json, queries POSTed to
// /query as SPARQL JSON. Text from the server is only ever set with textContent.
"use strict";

const $ = (id) => document.getElementById(id);
const FORMATS = [
  ["JSON", "json"], ["XML", "xml"], ["CSV", "csv"], ["TSV", "tsv"],
];
const GRAPH_FORMATS = [
  ["Turtle", "turtle"], ["N-Triples", "ntriples"], ["RDF/XML", "rdfxml"], ["JSON-LD", "jsonld"],
];

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
}

async function loadSummary() {
  const summary = await (await fetch("/summary.json")).json();
  const counts = $("counts");
  for (const [label, n] of summary.counts) {
    const li = el("li");
    li.append(el("b", String(n)), document.createTextNode(label));
    counts.append(li);
  }
  $("lists").textContent = summary.lists.join(" · ");
  $("picture-note").textContent = summary.picture;
  if (summary.svg) {
    $("picture").src = "/graph.svg";
    $("picture-link").hidden = false;
  }
}

async function loadExamples() {
  const examples = await (await fetch("/examples.json")).json();
  const select = $("example");
  examples.forEach((ex, i) => select.append(el("option", ex.name, { value: String(i) })));
  select.addEventListener("change", () => { $("query").value = examples[select.value].text; });
  if (examples.length) $("query").value = examples[0].text;
}

function cell(term) {
  const td = el("td");
  if (!term) return td;
  if (term.type === "uri") {
    td.append(el("a", term.value, { href: term.value, rel: "noopener noreferrer" }));
  } else {
    td.textContent = term.type === "bnode" ? "_:" + term.value : term.value;
  }
  return td;
}

function showDownloads(query, isGraph) {
  const p = $("downloads");
  p.replaceChildren(document.createTextNode("Download: "));
  for (const [label, format] of isGraph ? GRAPH_FORMATS : FORMATS) {
    const href = "/query?" + new URLSearchParams({ query, format }).toString();
    p.append(el("a", label, { href, download: "results." + format }));
  }
}

async function run() {
  const query = $("query").value;
  const status = $("status");
  const table = $("results");
  $("run").disabled = true;
  status.className = "muted";
  status.textContent = "Running…";
  table.replaceChildren();
  const started = performance.now();
  try {
    const response = await fetch("/query", {
      method: "POST",
      headers: {
        "Content-Type": "application/sparql-query",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9",
      },
      body: query,
    });
    const text = await response.text();
    if (!response.ok) {
      status.className = "error";
      status.textContent = response.status + " " + response.statusText + ": " + text;
      return;
    }
    const ms = Math.round(performance.now() - started);
    const type = response.headers.get("Content-Type") || "";
    if (type.startsWith("text/turtle")) {
      showDownloads(query, true);
      status.textContent = "A graph (" + ms + " ms):";
      const tr = el("tr");
      tr.append(el("td", text, { class: "pre" }));
      table.append(tr);
      return;
    }
    showDownloads(query, false);
    const json = JSON.parse(text);
    if ("boolean" in json) {
      status.textContent = "Answer (" + ms + " ms):";
      const tr = el("tr");
      tr.append(el("td", String(json.boolean)));
      table.append(tr);
      return;
    }
    const vars = json.head.vars;
    const head = el("tr");
    vars.forEach((v) => head.append(el("th", v)));
    table.append(el("thead"));
    table.firstChild.append(head);
    const body = el("tbody");
    for (const row of json.results.bindings) {
      const tr = el("tr");
      vars.forEach((v) => tr.append(cell(row[v])));
      body.append(tr);
    }
    table.append(body);
    const n = json.results.bindings.length;
    const cut = response.headers.get("X-SPARQL-MaxRows");
    status.textContent = n + " row" + (n === 1 ? "" : "s") + " (" + ms + " ms)" +
      (cut ? "; cut at the server's limit of " + cut + " rows" : "");
  } catch (e) {
    status.className = "error";
    status.textContent = "The request failed: " + e;
  } finally {
    $("run").disabled = false;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("run").addEventListener("click", run);
  $("query").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); }
  });
  loadSummary().catch((e) => { $("lists").textContent = "Could not load the summary: " + e; });
  loadExamples().catch((e) => { $("status").textContent = "Could not load the examples: " + e; });
});
