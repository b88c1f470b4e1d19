//! Module files built to be slow or huge to check: long chains of nodes, ids written as raw or
//! escaped strings, broken targets everywhere, wide fans, deep conditions. Generated, so no
//! multi-megabyte fixture is kept. Also used by `benches/faro_bench.rs` (through `#[path]`).

#![allow(dead_code)]

use std::fmt::Write as _;

/// How ids are written in the file; all of them are legal RON for the same value.
#[derive(Clone, Copy, Debug)]
pub enum IdStyle {
    /// `"n17"`
    Plain,
    /// `r"n17"`
    Raw,
    /// `r#"n17"#`
    RawHashes,
    /// `"n\u{31}7"`: every digit `1` written as an escape.
    Escaped,
}

impl IdStyle {
    pub fn write(self, id: &str) -> String {
        match self {
            IdStyle::Plain => format!("\"{id}\""),
            IdStyle::Raw => format!("r\"{id}\""),
            IdStyle::RawHashes => format!("r#\"{id}\"#"),
            IdStyle::Escaped => format!("\"{}\"", id.replace('1', "\\u{31}")),
        }
    }
}

/// A one-language module around `steps` (each a RON step, `Page(…)`, `Scenario(…)`…).
pub fn module(steps: &[String]) -> String {
    module_titled("hostile", "Hostile", steps)
}

/// The same, with its own id and title (what a library card shows).
pub fn module_titled(id: &str, title: &str, steps: &[String]) -> String {
    let mut out = format!(
        "Module(\n    id: \"{id}\",\n    version: \"1.0.0\",\n    languages: [\"en\"],\n    \
         title: {{\"en\": \"{title}\"}},\n    summary: {{\"en\": \"Built to be slow to check.\"}},\n    \
         minutes: 5,\n    review_by: \"2099-01-01\",\n    valid_for_months: 12,\n    \
         sources: [Source(id: \"s\", title: \"S\", url: \"https://example.org\")],\n    steps: [\n",
    );
    for step in steps {
        out.push_str(step);
        out.push_str(",\n");
    }
    out.push_str("    ],\n)\n");
    out
}

/// A scenario `sid` that is one chain of `nodes` nodes, `n0 → n1 → … → pass`, each choice
/// worth one point, ids written in `style`. `goto` gives each choice's target (by default the
/// next node): pass another to break them.
pub fn chain(sid: &str, nodes: usize, style: IdStyle, goto: &dyn Fn(usize) -> String) -> String {
    let mut out = String::with_capacity(nodes * 120);
    let _ = write!(
        out,
        "        Scenario(\n            id: \"{sid}\",\n            title: {{\"en\": \"Chain\"}},\n            \
         start: {},\n            nodes: [\n",
        style.write("n0")
    );
    for i in 0..nodes {
        let _ = writeln!(
            out,
            "                Node(id: {}, text: {{\"en\": \"Step\"}}, choices: [Choice(id: {}, text: {{\"en\": \"On\"}}, goto: {}, score: 1)]),",
            style.write(&format!("n{i}")),
            style.write("c"),
            style.write(&goto(i)),
        );
    }
    out.push_str(
        "            ],\n            endings: [Ending(id: \"pass\", outcome: Pass, summary: {\"en\": \"Done\"})],\n        )",
    );
    out
}

/// The usual target in a chain of `nodes`: the next node, and the ending after the last.
pub fn next_in(nodes: usize) -> impl Fn(usize) -> String {
    move |i| if i + 1 == nodes { "pass".to_owned() } else { format!("n{}", i + 1) }
}

/// A module of chains of `nodes_per_chain` nodes, as many as fit in about `bytes` bytes.
pub fn chains_of_size(bytes: usize, nodes_per_chain: usize, style: IdStyle) -> String {
    let one = chain("s0", nodes_per_chain, style, &next_in(nodes_per_chain));
    let count = (bytes / (one.len() + 2)).max(1);
    let steps: Vec<String> = (0..count)
        .map(|k| chain(&format!("s{k}"), nodes_per_chain, style, &next_in(nodes_per_chain)))
        .collect();
    module(&steps)
}

/// A scenario with one node offering `choices` choices, all to the Pass ending.
pub fn fan(choices: usize) -> String {
    let mut out = String::from(
        "        Scenario(\n            id: \"fan\",\n            title: {\"en\": \"Fan\"},\n            start: \"hub\",\n            \
         nodes: [Node(id: \"hub\", text: {\"en\": \"Pick\"}, choices: [\n",
    );
    for i in 0..choices {
        let _ =
            writeln!(out, "                Choice(id: \"c{i}\", text: {{\"en\": \"C\"}}, goto: \"pass\"),");
    }
    out.push_str(
        "            ])],\n            endings: [Ending(id: \"pass\", outcome: Pass, summary: {\"en\": \"Done\"})],\n        )",
    );
    out
}

/// A scenario whose only choice has the condition `when`.
pub fn guarded(when: &str) -> String {
    format!(
        "        Scenario(\n            id: \"guarded\",\n            title: {{\"en\": \"Guarded\"}},\n            start: \"a\",\n            \
         nodes: [Node(id: \"a\", text: {{\"en\": \"A\"}}, choices: [\n                \
         Choice(id: \"go\", text: {{\"en\": \"Go\"}}, goto: \"pass\", when: {when}),\n            ])],\n            \
         endings: [Ending(id: \"pass\", outcome: Pass, summary: {{\"en\": \"Done\"}})],\n        )"
    )
}

/// `All([All([… Flag("f") …])])`, `depth` conditions deep.
pub fn nested_all(depth: usize) -> String {
    let mut cond = "Flag(\"f\")".to_owned();
    for _ in 1..depth {
        cond = format!("All([{cond}])");
    }
    cond
}

/// `Any([Flag("f0"), Flag("f1"), …])` with `terms` flags.
pub fn wide_any(terms: usize) -> String {
    let flags: Vec<String> = (0..terms).map(|i| format!("Flag(\"f{i}\")")).collect();
    format!("Any([{}])", flags.join(", "))
}

/// A page with `blocks` text blocks.
pub fn page(id: &str, blocks: usize) -> String {
    let blocks: Vec<&str> = std::iter::repeat_n("Text({\"en\": \"Words.\"})", blocks).collect();
    format!("        Page(id: \"{id}\", title: {{\"en\": \"Page\"}}, blocks: [{}])", blocks.join(", "))
}

/// A check with `questions` true/false questions.
pub fn check(questions: usize) -> String {
    let mut out =
        String::from("        Check(id: \"quiz\", title: {\"en\": \"Quiz\"}, pass_mark: 1, questions: [\n");
    for i in 0..questions {
        let _ = writeln!(
            out,
            "            Question(id: \"q{i}\", kind: TrueFalse, prompt: {{\"en\": \"?\"}}, answers: [\
             Answer(id: \"t\", text: {{\"en\": \"True\"}}, correct: true, explain: {{\"en\": \"Yes\"}}), \
             Answer(id: \"f\", text: {{\"en\": \"False\"}}, explain: {{\"en\": \"No\"}})]),"
        );
    }
    out.push_str("        ])");
    out
}

/// The run bomb of issue 26: `scenarios` scenarios of one node, whose 20 choices loop back to it,
/// each scoring differently and guarded by a 64-term `when` (an `All` of 63 `NotFlag`s nobody
/// sets), with `pass_score` and a Pass ending behind a flag nobody sets either. Every state of
/// the below-`pass_score` search is new (the scores keep growing), and every choice looked at
/// evaluates the whole condition. 197 scenarios make about 4 MB, inside every cap.
pub fn run_bomb(scenarios: usize) -> String {
    let not_flags: Vec<String> = (0..63).map(|i| format!("NotFlag(\"g{i}\")")).collect();
    let when = format!("All([{}])", not_flags.join(","));
    let steps: Vec<String> = (0..scenarios)
        .map(|k| {
            let mut out = format!(
                "        Scenario(\n            id: \"bomb{k}\",\n            title: {{\"en\": \"Bomb\"}},\n            \
                 start: \"a\",\n            pass_score: 1000000,\n            nodes: [Node(id: \"a\", text: {{\"en\": \"Loop\"}}, choices: [\n"
            );
            for c in 0..20 {
                let _ = writeln!(
                    out,
                    "                Choice(id: \"c{c}\", text: {{\"en\": \"Again\"}}, goto: \"a\", score: {}, when: {when}),",
                    c * 7 + 1
                );
            }
            out.push_str(
                "                Choice(id: \"out\", text: {\"en\": \"Out\"}, goto: \"pass\", when: Flag(\"never\")),\n            \
                 ])],\n            endings: [Ending(id: \"pass\", outcome: Pass, summary: {\"en\": \"Done\"})],\n        )",
            );
            out
        })
        .collect();
    module(&steps)
}

/// A page step `id` of `blocks` `Image` blocks, all pointing to `path`.
pub fn image_page(id: &str, blocks: usize, path: &str) -> String {
    let image = format!("Image(path: \"{path}\", alt: {{\"en\": \"A figure.\"}})");
    let blocks: Vec<&str> = std::iter::repeat_n(image.as_str(), blocks).collect();
    format!("        Page(id: \"{id}\", title: {{\"en\": \"Page\"}}, blocks: [{}])", blocks.join(", "))
}

/// `Text` blocks of Markdown `depth` levels deep: nested quotes (`> > > … x`) and nested list
/// items (`- - - … x`), the shapes that once overflowed the renderer's stack.
pub fn deep_markdown_page(id: &str, depth: usize) -> String {
    let quotes = format!("{}x", "> ".repeat(depth));
    let lists = format!("{}x", "- ".repeat(depth));
    format!(
        "        Page(id: \"{id}\", title: {{\"en\": \"Page\"}}, blocks: [Text({{\"en\": \"{quotes}\"}}), Text({{\"en\": \"{lists}\"}})])"
    )
}
