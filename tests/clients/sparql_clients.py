"""Queries a running `awesome-kg serve` with the Python clients people use, and prints what they
understood as JSON on stdout; tests/clients.rs compares it with the local answers.

    python3 tests/clients/sparql_clients.py http://127.0.0.1:PORT/query SELECT_QUERY CONSTRUCT_QUERY
"""

import csv
import io
import json
import sys
import urllib.error

import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException


def wrapper(endpoint, query, fmt):
    sparql = SPARQLWrapper(endpoint)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    return sparql.query()


def rows_from_json(doc):
    variables = doc["head"]["vars"]
    return [[b.get(v, {}).get("value", "") for v in variables] for b in doc["results"]["bindings"]]


def rows_from_xml(dom):
    out = []
    variables = [v.getAttribute("name") for v in dom.getElementsByTagName("variable")]
    for result in dom.getElementsByTagName("result"):
        values = {}
        for binding in result.getElementsByTagName("binding"):
            node = [n for n in binding.childNodes if n.nodeType == n.ELEMENT_NODE][0]
            values[binding.getAttribute("name")] = "".join(t.data for t in node.childNodes)
        out.append([values.get(v, "") for v in variables])
    return out


def rows_from_delimited(text, delimiter):
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    return rows[1:]


def unquote_tsv(rows):
    # TSV cells are RDF terms: "literal" or "literal"^^<type> or <iri>.
    def value(cell):
        if cell.startswith("<") and cell.endswith(">"):
            return cell[1:-1]
        if cell.startswith('"'):
            return cell[1 : cell.rindex('"')].replace('\\"', '"')
        return cell

    return [[value(c) for c in r] for r in rows]


def graph_lines(graph):
    return sorted(graph.serialize(format="nt").strip().splitlines())


def main():
    endpoint, select, construct = sys.argv[1], sys.argv[2], sys.argv[3]
    out = {"select": {}, "construct": {}}

    out["select"]["json"] = rows_from_json(wrapper(endpoint, select, JSON).convert())
    out["select"]["xml"] = rows_from_xml(wrapper(endpoint, select, XML).convert())
    out["select"]["csv"] = rows_from_delimited(wrapper(endpoint, select, CSV).convert().decode(), ",")
    out["select"]["tsv"] = unquote_tsv(rows_from_delimited(wrapper(endpoint, select, TSV).convert().decode(), "\t"))
    out["ask"] = wrapper(endpoint, "ASK { ?s a schema:ItemList }", JSON).convert()["boolean"]

    for name, fmt in [("turtle", TURTLE), ("n3", N3), ("rdfxml", RDFXML), ("jsonld", JSONLD)]:
        result = wrapper(endpoint, construct, fmt)
        converted = result.convert()
        if isinstance(converted, bytes):  # SPARQLWrapper leaves Turtle/N3 as bytes
            converted = rdflib.Graph().parse(data=converted, format="turtle")
        out["construct"][name] = graph_lines(converted)

    # rdflib's SPARQLStore: the endpoint as a read-only rdflib graph.
    graph = rdflib.Graph(store=SPARQLStore(endpoint, returnFormat="json"))
    out["rdflib_select"] = [[str(v) if v is not None else "" for v in row] for row in graph.query(select)]
    out["rdflib_triples"] = len(graph)

    # Refusals, as a client sees them.
    try:
        sparql = SPARQLWrapper(endpoint)
        sparql.setMethod("POST")
        sparql.setQuery("INSERT DATA { <http://e/s> <http://e/p> <http://e/o> }")
        sparql.query()
        out["update"] = "accepted"
    except SPARQLWrapperException as e:
        out["update"] = type(e).__name__ + ": " + str(e).splitlines()[0]
    except urllib.error.HTTPError as e:
        out["update"] = "HTTP %d" % e.code
    try:
        wrapper(endpoint, "SELECT ?x WHERE { ?x", JSON).convert()
        out["malformed"] = "accepted"
    except QueryBadFormed as e:
        out["malformed"] = "QueryBadFormed"

    json.dump(out, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
