//! THEMES.md is tested against what templates really receive, so a variable added to a
//! template's context without documentation fails here.
//!
//! How: the demo site is built with the default theme's templates replaced by *probes*. A
//! probe prints, instead of a page, one line `path type` for every variable in its context
//! (tera's `__tera_context`, which holds the page's values and the globals) and, a few levels
//! down, for every field of a mapping (`article.image.url`) and of the items of a list
//! (`article.tags[].name`). Every page the build writes thus lists what its template was
//! given, with the kinds of values seen (`string`, `number`, `bool`, `map`, `array`, `none`).
//!
//! THEMES.md holds the same facts for people, in tables a machine can read: the table after
//! `<!-- templates -->` says which groups of variables each template gets; a table after
//! `<!-- variables: GROUP -->` lists a group's variables, and one after `<!-- type: NAME -->`
//! the fields of a shape used in several places (a card, a date). A type is a base kind, a
//! shape's name, either with `?` when it may be absent (`none`), or `array of` one of them.
//!
//! The test fails when a page shows a variable (or a kind of value) its template's groups do
//! not document, and when a documented variable of a group never shows at all (so the
//! document cannot keep variables that are gone). The labels inside `strings` are listed by
//! the theme's strings.yaml, not here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::support::Workspace;

/// How many levels below a top-level variable the probes look.
const DEPTH: usize = 7;

/// The base kinds a probe reports.
const BASE: &[&str] = &["string", "number", "bool", "map", "array"];

/// A tera expression printing the kind of value `var` holds.
fn kind_of(var: &str) -> String {
    format!(
        "{{% if {var} is none %}}none{{% elif {var} is string %}}string{{% elif {var} is bool %}}bool\
         {{% elif {var} is number %}}number{{% elif {var} is map %}}map{{% elif {var} is array %}}array\
         {{% else %}}other{{% endif %}}"
    )
}

/// Probe lines for the value `var`, whose path is the tera string expression `path`, and
/// for its fields and items down to `depth` more levels. `n` keeps loop names apart.
fn probe(var: &str, path: &str, depth: usize, n: usize) -> String {
    let mut out = format!("{{{{ {path} }}}} {}\n", kind_of(var));
    if depth == 0 {
        return out;
    }
    let (k, v) = (format!("k{n}"), format!("v{n}"));
    let field = probe(&v, &format!("{path} ~ \".\" ~ {k}"), depth - 1, n + 1);
    let item = probe(&v, &format!("{path} ~ \"[]\""), depth - 1, n + 1);
    out.push_str(&format!(
        "{{% if {var} is map %}}{{% for {k}, {v} in {var} %}}{field}{{% endfor %}}\
         {{% elif {var} is array %}}{{% for {v} in {var} %}}{item}{{% endfor %}}{{% endif %}}"
    ));
    out
}

/// The probe that replaces template `name`.
fn probe_template(name: &str) -> String {
    format!(
        "template: {name}\n{{% for k, v in __tera_context %}}{{% if k == \"strings\" %}}strings map\n\
         {{% else %}}{}{{% endif %}}{{% endfor %}}",
        probe("v", "k", DEPTH, 0)
    )
}

/// What each template received on the pages built: template → path → kinds seen.
type Seen = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

/// Builds the demo site with probes and reads back every page's probe lines.
fn observed() -> Seen {
    let ws = Workspace::demo();
    let templates = ws.site().join("themes/qissa/templates");
    for entry in std::fs::read_dir(&templates).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            std::fs::write(&path, probe_template(&name)).unwrap();
        }
    }
    ws.build(&["--drafts"]).expect_success();
    let mut seen = Seen::new();
    for entry in walkdir::WalkDir::new(ws.output()) {
        let entry = entry.unwrap();
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        let mut lines = text.lines();
        let Some(name) = lines.next().and_then(|l| l.strip_prefix("template: ")) else {
            continue;
        };
        let paths = seen.entry(name.to_string()).or_default();
        for line in lines.filter(|l| !l.trim().is_empty()) {
            let (path, kind) = line.rsplit_once(' ').unwrap();
            paths.entry(path.into()).or_default().insert(kind.into());
        }
    }
    seen
}

/// A row of a THEMES.md table: the path (or field) and its type.
type Rows = Vec<(String, String)>;

/// THEMES.md's machine-readable parts.
struct Doc {
    /// Template → its groups of variables.
    templates: BTreeMap<String, Vec<String>>,
    groups: BTreeMap<String, Rows>,
    types: BTreeMap<String, Rows>,
}

/// The rows of the table following line `start`: the first two cells, without backticks.
fn table_after(lines: &[&str], start: usize) -> Vec<Vec<String>> {
    lines[start + 1..]
        .iter()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|cell| cell.trim().trim_matches('`').to_string())
                .collect()
        })
        .collect()
}

fn read_doc() -> Doc {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("THEMES.md")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut doc = Doc {
        templates: BTreeMap::new(),
        groups: BTreeMap::new(),
        types: BTreeMap::new(),
    };
    for (i, line) in lines.iter().enumerate() {
        let Some(marker) = line
            .strip_prefix("<!-- ")
            .and_then(|l| l.strip_suffix(" -->"))
        else {
            continue;
        };
        let rows = table_after(&lines, i);
        let pairs = || rows.iter().map(|r| (r[0].clone(), r[1].clone())).collect();
        if marker == "templates" {
            for row in &rows {
                let groups = row.last().unwrap().split(", ").map(String::from).collect();
                doc.templates.insert(row[0].clone(), groups);
            }
        } else if let Some(group) = marker.strip_prefix("variables: ") {
            doc.groups.insert(group.into(), pairs());
        } else if let Some(name) = marker.strip_prefix("type: ") {
            doc.types.insert(name.into(), pairs());
        }
    }
    doc
}

impl Doc {
    /// Every path a documented `path` of type `ty` allows, with the kinds it may have.
    fn expand(&self, path: &str, ty: &str, out: &mut BTreeMap<String, BTreeSet<String>>) {
        let (ty, optional) = match ty.strip_suffix('?') {
            Some(t) => (t, true),
            None => (ty, false),
        };
        let kinds = out.entry(path.to_string()).or_default();
        if optional {
            kinds.insert("none".into());
        }
        if let Some(item) = ty.strip_prefix("array of ") {
            kinds.insert("array".into());
            self.expand(&format!("{path}[]"), item, out);
        } else if BASE.contains(&ty) {
            kinds.insert(ty.into());
        } else {
            let fields = self.types.get(ty).unwrap_or_else(|| {
                panic!("THEMES.md: `{path}` has type `{ty}`, which no table defines")
            });
            kinds.insert("map".into());
            for (field, field_ty) in fields {
                self.expand(&format!("{path}.{field}"), field_ty, out);
            }
        }
    }

    /// What template `name` may receive.
    fn allowed(&self, name: &str) -> BTreeMap<String, BTreeSet<String>> {
        let groups = self
            .templates
            .get(name)
            .unwrap_or_else(|| panic!("THEMES.md lists no template `{name}`"));
        let mut out = BTreeMap::new();
        for group in groups {
            let rows = self
                .groups
                .get(group)
                .unwrap_or_else(|| panic!("THEMES.md: no table of the group `{group}`"));
            for (path, ty) in rows {
                self.expand(path, ty, &mut out);
            }
        }
        out
    }
}

#[test]
fn themes_md_documents_every_variable_each_template_receives() {
    let doc = read_doc();
    let seen = observed();
    // Every template of the table rendered some page, so the probes did run.
    let rendered: Vec<&String> = seen.keys().collect();
    let listed: Vec<&String> = doc.templates.keys().collect();
    assert_eq!(
        rendered, listed,
        "the templates rendered are not those THEMES.md lists"
    );
    let mut faults = Vec::new();
    for (template, paths) in &seen {
        let allowed = doc.allowed(template);
        for (path, kinds) in paths {
            match allowed.get(path) {
                None => faults.push(format!(
                    "{template}: `{path}` ({kinds:?}) is not documented"
                )),
                Some(ok) => {
                    for kind in kinds.difference(ok) {
                        faults.push(format!(
                            "{template}: `{path}` is sometimes {kind}, documented as {ok:?}"
                        ));
                    }
                }
            }
        }
    }
    // Every documented variable of a group shows on some page of a template with the group.
    for (group, rows) in &doc.groups {
        for (path, _) in rows {
            let shown = doc
                .templates
                .iter()
                .filter(|(_, groups)| groups.contains(group))
                .any(|(t, _)| seen.get(t).is_some_and(|p| p.contains_key(path)));
            if !shown {
                faults.push(format!(
                    "`{path}` (group {group}) is documented but no page has it"
                ));
            }
        }
    }
    assert!(
        faults.is_empty(),
        "THEMES.md is out of date:\n{}",
        faults.join("\n")
    );
}
