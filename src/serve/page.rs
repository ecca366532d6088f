//! The page at `/` and what it loads: everything ships inside the binary (no CDN).

use super::{Picture, Reply, State};
use crate::graph::NodeKind;

const INDEX: &str = include_str!("page/index.html");
const SCRIPT: &str = include_str!("page/app.js");
const STYLE: &str = include_str!("page/app.css");

/// Scripts, styles, images and fetches only from this server.
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; \
                      base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The asset at `path`, if there is one.
pub fn asset(state: &State, path: &str) -> Option<Reply> {
    Some(match path {
        "/" | "/index.html" => {
            Reply::new(200, "text/html; charset=utf-8", INDEX).header("Content-Security-Policy", POLICY)
        }
        "/app.js" => Reply::new(200, "text/javascript; charset=utf-8", SCRIPT),
        "/app.css" => Reply::new(200, "text/css; charset=utf-8", STYLE),
        "/examples.json" => {
            let examples: Vec<_> =
                state.examples.iter().map(|q| serde_json::json!({ "name": q.name, "text": q.text })).collect();
            Reply::new(200, "application/json", serde_json::Value::from(examples).to_string())
        }
        "/summary.json" => Reply::new(200, "application/json", summary(state).to_string()),
        "/graph.svg" => match &state.picture {
            // Served as an image: scripts inside an SVG do not run in an <img>, and the policy
            // stops them when the SVG is opened on its own.
            Picture::Svg(svg) => {
                Reply::new(200, "image/svg+xml", svg.clone()).header("Content-Security-Policy", POLICY)
            }
            Picture::Missing(why) => Reply::text(404, why),
        },
        // Browsers ask for it; there is none.
        "/favicon.ico" => Reply::new(204, "image/x-icon", ""),
        "/graph.dot" => Reply::new(200, "text/vnd.graphviz; charset=utf-8", state.dot.clone()),
        _ => return None,
    })
}

/// Counts of what the graph holds, the list titles, and what the picture shows.
fn summary(state: &State) -> serde_json::Value {
    let graph = &state.built.graph;
    let counts = [
        ("entries", graph.count("Entry")),
        ("sections", graph.count("Section")),
        ("organizations", graph.count("Organization")),
        ("media types", graph.count("MediaType")),
        ("links", graph.count("Link")),
        ("sites", graph.count("Site")),
        ("lists", graph.count("List")),
        ("triples", state.built.triple_count()),
    ];
    let lists: Vec<&str> = graph
        .nodes()
        .filter_map(|(_, n)| match &n.kind {
            NodeKind::List { title, .. } => Some(title.as_str()),
            _ => None,
        })
        .collect();
    let picture = match &state.picture {
        Picture::Svg(_) => format!(
            "Every node and edge of the graph ({} nodes), drawn by Graphviz; click to open it full size.",
            graph.node_count()
        ),
        Picture::Missing(why) => why.clone(),
    };
    serde_json::json!({
        "counts": counts,
        "lists": lists,
        "svg": matches!(state.picture, Picture::Svg(_)),
        "picture": picture,
    })
}
