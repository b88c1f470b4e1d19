use super::layout;
use super::*;
use crate::format::{Choice, Critical, Ending, Node, Step, Text};

fn minimal() -> Scenario {
    let source = include_str!("../../tests/fixtures/good/minimal/module.ron");
    let module = crate::load::parse_module(std::path::Path::new("module.ron"), source).unwrap();
    module
        .steps
        .into_iter()
        .find_map(|s| match s {
            Step::Scenario(s) => Some(s),
            _ => None,
        })
        .unwrap()
}

fn text(s: &str) -> Text {
    Text::from_pairs([("en", s)])
}

fn choice(id: &str, goto: &str) -> Choice {
    Choice {
        id: id.into(),
        text: text(id),
        goto: Some(goto.into()),
        feedback: None,
        score: 0,
        sets: Vec::new(),
        when: None,
        critical: None,
        act: None,
    }
}

/// Nodes as (id, [(choice id, goto)]); the first is the start; endings "pass" and "fail".
fn scenario(nodes: Vec<(String, Vec<Choice>)>) -> Scenario {
    Scenario {
        id: "s".into(),
        title: text("S"),
        content_note: None,
        start: nodes[0].0.clone(),
        nodes: nodes
            .into_iter()
            .map(|(id, choices)| Node { id, text: text("a moment"), image: None, choices })
            .collect(),
        endings: vec![
            Ending { id: "pass".into(), outcome: Outcome::Pass, summary: text("passed"), claims: Vec::new() },
            Ending { id: "fail".into(), outcome: Outcome::Fail, summary: text("failed"), claims: Vec::new() },
        ],
        pass_score: None,
        requires: Vec::new(),
    }
}

fn layer_of(map: &ScenarioMap, id: &str) -> usize {
    map.node(id).unwrap_or_else(|| panic!("no node {id}")).layer
}

#[test]
fn the_minimal_scenario_is_laid_out_in_columns_from_the_start() {
    let map = ScenarioMap::new(&minimal(), "en");
    let layers: Vec<(&str, usize)> = map.nodes.iter().map(|n| (n.id.as_str(), n.layer)).collect();
    assert_eq!(
        layers,
        vec![("arrive", 0), ("call", 1), ("reported", 2), ("walked-away", 2), ("unsafe:arrive", 1)]
    );
    assert!(map.nodes.iter().all(|n| n.reachable));
    assert!(map.node("arrive").unwrap().start);
    assert_eq!(map.node("reported").unwrap().kind, NodeKind::Ending(Outcome::Pass));
    assert_eq!(map.node("unsafe:arrive").unwrap().kind, NodeKind::UnsafeEnd);
    let confront = map.edges.iter().find(|e| e.choice == "confront").unwrap();
    assert!(confront.critical);
    assert_eq!(map.nodes[confront.to].id, "unsafe:arrive");
    assert!(map.edges.iter().find(|e| e.choice == "hotline").unwrap().conditional);
    // Spanish labels.
    let es = ScenarioMap::new(&minimal(), "es");
    assert!(es.node("arrive").unwrap().label.starts_with("Una niña"), "{}", es.node("arrive").unwrap().label);
    // Boxes of one column do not overlap.
    let (call, unsafe_end) = (map.node("call").unwrap(), map.node("unsafe:arrive").unwrap());
    assert_eq!(call.x, unsafe_end.x);
    assert!(call.y + call.height <= unsafe_end.y || unsafe_end.y + unsafe_end.height <= call.y);
}

#[test]
fn the_best_path_is_marked() {
    let map = ScenarioMap::new(&minimal(), "en");
    assert_eq!(map.best_path, Some((vec!["note".to_owned(), "hotline".to_owned()], 2)));
    let bold: Vec<&str> = map.edges.iter().filter(|e| e.on_best_path).map(|e| e.choice.as_str()).collect();
    assert_eq!(bold, vec!["note", "hotline"]);
    let on_path: Vec<&str> = map.nodes.iter().filter(|n| n.on_best_path).map(|n| n.id.as_str()).collect();
    assert_eq!(on_path, vec!["arrive", "call", "reported"]);
}

#[test]
fn unreachable_and_missing_nodes_are_flagged_and_placed_last() {
    let mut critical = choice("grab", "a");
    critical.goto = None;
    critical.critical = Some(Critical { why: text("why"), instead: text("instead") });
    let s = scenario(vec![
        ("a".into(), vec![choice("go", "b")]),
        ("b".into(), vec![choice("win", "pass"), choice("typo", "pas")]),
        ("orphan".into(), vec![choice("lose", "fail"), critical]),
    ]);
    let map = ScenarioMap::new(&s, "en");
    assert_eq!(layer_of(&map, "a"), 0);
    assert_eq!(layer_of(&map, "b"), 1);
    assert_eq!(layer_of(&map, "pass"), 2);
    // Last column: the orphan, the ending only it leads to, its unsafe marker.
    for id in ["orphan", "fail", "unsafe:orphan"] {
        assert_eq!(layer_of(&map, id), 3, "{id}");
        assert!(!map.node(id).unwrap().reachable, "{id}");
    }
    // A missing target sits beside the node that names it, where the author will look.
    assert_eq!(map.node("pas").unwrap().kind, NodeKind::Missing);
    assert_eq!(layer_of(&map, "pas"), 2);
    assert!(map.node("b").unwrap().reachable);
}

#[test]
fn no_best_path_without_a_reachable_pass() {
    let s = scenario(vec![("a".into(), vec![choice("lose", "fail")])]);
    let map = ScenarioMap::new(&s, "en");
    assert_eq!(map.best_path, None);
    assert!(map.edges.iter().all(|e| !e.on_best_path));
}

#[test]
fn a_chain_of_200_nodes_is_one_node_per_column() {
    let ids: Vec<String> = (0..200).map(|i| format!("n{i}")).collect();
    let nodes = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.clone(), vec![choice("next", ids.get(i + 1).map_or("pass", String::as_str))]))
        .collect();
    let map = ScenarioMap::new(&scenario(nodes), "en");
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(layer_of(&map, id), i);
    }
    assert_eq!(layer_of(&map, "pass"), 200);
    assert_eq!(map.best_path.as_ref().map(|(p, _)| p.len()), Some(200));
    assert!(map.nodes.iter().filter(|n| n.id != "fail").all(|n| n.reachable));
}

#[test]
fn a_random_dag_of_200_nodes_is_laid_out_by_distance_without_overlaps() {
    // A small linear congruential generator: the same "random" graph every run.
    let mut seed: u64 = 0x5eed;
    let mut next = |below: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize % below
    };
    let n = 200;
    let ids: Vec<String> = (0..n).map(|i| format!("n{i}")).collect();
    let mut nodes = Vec::new();
    for i in 0..n {
        let mut choices = Vec::new();
        for c in 0..1 + next(3) {
            let later = i + 1 + next(10);
            let goto = ids.get(later).map_or(if c == 0 { "pass" } else { "fail" }, String::as_str);
            choices.push(choice(&format!("c{c}"), goto));
        }
        nodes.push((ids[i].clone(), choices));
    }
    let s = scenario(nodes);
    let map = ScenarioMap::new(&s, "en");
    let distances = ScenarioGraph::new(&s).distances();
    for (i, d) in distances.iter().enumerate() {
        match d {
            Some(d) => assert_eq!(map.nodes[i].layer, *d),
            None => assert!(!map.nodes[i].reachable),
        }
    }
    // An arrow between reachable nodes never jumps backwards over a column it could have used.
    for e in &map.edges {
        let (from, to) = (&map.nodes[e.from], &map.nodes[e.to]);
        if from.reachable {
            assert!(to.layer <= from.layer + 1, "{} -> {}", from.id, to.id);
        }
    }
    let mut spots: Vec<(i64, i64)> = map.nodes.iter().map(|n| (n.x as i64, n.y as i64)).collect();
    spots.sort_unstable();
    spots.dedup();
    assert_eq!(spots.len(), map.nodes.len(), "two boxes in one place");
    assert!(
        map.nodes.iter().all(|n| n.x + n.width <= map.width + 0.01 && n.y + n.height <= map.height + 0.01)
    );
    assert_eq!(map.violations(), Vec::new());
}

#[test]
fn ordering_by_barycentre_removes_a_crossing() {
    // Column 0: a, b; column 1: x, y with a→y and b→x: in file order the arrows cross.
    let layers = [0, 0, 1, 1];
    let edge = |from, to| layout::EdgeInput { from, to, label: (40.0, 16.0) };
    let placed = layout::layout(&layers, &[50.0; 4], &[edge(0, 3), edge(1, 2)]);
    let y = |i: usize| placed.positions[i].1;
    assert_eq!(y(0) < y(1), y(3) < y(2), "{:?}", placed.positions);
}

#[test]
fn arrows_back_turns_and_loops_stay_clear_of_boxes_and_labels() {
    // A loop back to the start, a choice between two boxes of one column, a choice that stays,
    // and a long jump over a column: every kind of route.
    let mut stay = choice("stay", "a");
    stay.text = text("Wait and watch a little longer before doing anything at all");
    let s = scenario(vec![
        ("a".into(), vec![choice("to-b", "b"), choice("to-c", "c"), stay]),
        ("b".into(), vec![choice("to-c-too", "c"), choice("back", "a"), choice("to-d", "d")]),
        ("c".into(), vec![choice("to-b-too", "b"), choice("far", "pass"), choice("lose", "fail")]),
        ("d".into(), vec![choice("again", "a"), choice("win", "pass")]),
    ]);
    let map = ScenarioMap::new(&s, "en");
    assert_eq!(map.violations(), Vec::new());
    for edge in &map.edges {
        let (from, to) = (&map.nodes[edge.from], &map.nodes[edge.to]);
        let (first, last) = (edge.route[0], edge.route[edge.route.len() - 1]);
        // Arrows start and end on a side of their boxes.
        assert!(first.0 == from.x || first.0 == from.x + from.width, "{}: {first:?}", edge.choice);
        assert!(last.0 == to.x || last.0 == to.x + to.width, "{}: {last:?}", edge.choice);
        assert!(first.1 > from.y && first.1 < from.y + from.height, "{}", edge.choice);
        assert!(last.1 > to.y && last.1 < to.y + to.height, "{}", edge.choice);
    }
}

/// The scenarios of every bundled module.
fn bundled_scenarios() -> Vec<(String, Scenario)> {
    let mut found = Vec::new();
    let modules = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("modules");
    let mut dirs: Vec<_> = std::fs::read_dir(&modules).unwrap().map(|e| e.unwrap().path()).collect();
    dirs.sort();
    for dir in dirs {
        let loaded = crate::load::load_module_dir(&dir).unwrap();
        for step in loaded.module.steps {
            if let Step::Scenario(s) = step {
                found.push((dir.file_name().unwrap().to_string_lossy().into_owned(), s));
            }
        }
    }
    assert!(found.len() >= 7, "{} scenarios", found.len());
    found
}

#[test]
fn bundled_maps_have_no_overlaps_and_no_arrow_through_a_box() {
    for (module, scenario) in bundled_scenarios() {
        for lang in ["en", "es"] {
            let map = ScenarioMap::new(&scenario, lang);
            let violations = map.violations();
            assert_eq!(violations, Vec::new(), "{module} {} ({lang})", scenario.id);
            // Every label is whole: its lines hold every word of the text, score included.
            for edge in &map.edges {
                let whole = dot::edge_text(edge);
                let words: Vec<&str> = whole.split_whitespace().collect();
                assert_eq!(edge.lines.join(" ").split_whitespace().collect::<Vec<_>>(), words, "{module}");
                assert!(!edge.label.ends_with('…'), "{module}: a choice cut short: {}", edge.label);
                if edge.score != 0 {
                    assert!(edge.lines.concat().contains(&format!("({:+})", edge.score)), "{module}");
                }
                let size = if edge.on_best_path { EDGE_TEXT_SIZE * BOLD_WIDTH } else { EDGE_TEXT_SIZE };
                let estimate = edge.lines.iter().map(|l| text_width(l, size)).fold(0.0, f32::max);
                assert!(estimate <= edge.label_box.w, "{module}: {}", edge.choice);
            }
            for node in &map.nodes {
                assert_eq!(node.lines.join(" "), node.label, "{module}");
            }
            let longest = map.edges.iter().map(|e| e.label.chars().count()).max().unwrap_or(0);
            println!(
                "{module} {} ({lang}): {} boxes, {} arrows, longest choice {longest} characters, {:.0} × {:.0}",
                scenario.id,
                map.nodes.len(),
                map.edges.len(),
                map.width,
                map.height
            );
        }
    }
}
/// A scenario whose texts carry every character DOT and XML treat specially.
fn awkward() -> Scenario {
    let mut go = choice("go", "pass");
    go.text = text(r#"Say "stop" & <leave> \N now"#);
    let mut s = scenario(vec![("a&b".into(), vec![go])]);
    s.title = text("Tom's <map>");
    s.nodes[0].text = text("A \"quoted\" <tag> & a tab\there");
    s
}

/// Parses `svg` as XML, failing on any error (unbalanced tags, bad escapes).
fn parse_xml(svg: &str) -> usize {
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut elements = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => return elements,
            Ok(quick_xml::events::Event::Start(_) | quick_xml::events::Event::Empty(_)) => elements += 1,
            Ok(quick_xml::events::Event::Text(t)) => {
                t.decode().unwrap();
            }
            Ok(_) => {}
            Err(e) => panic!("not XML at {}: {e}\n{svg}", reader.buffer_position()),
        }
    }
}

#[test]
fn dot_escapes_quotes_and_backslashes_and_styles_by_more_than_colour() {
    let dot = dot::to_dot(&ScenarioMap::new(&awkward(), "en"));
    // Wrapped with Graphviz's line break `\n`; the author's `\N` stays text.
    assert!(dot.contains(r#"label="Say \"stop\" & <leave> \\N\nnow""#), "{dot}");
    assert!(dot.contains(r#"A \"quoted\" <tag> & a tab here"#), "{dot}");
    let dot = dot::to_dot(&ScenarioMap::new(&minimal(), "en"));
    assert!(dot.starts_with("digraph \"station\" {"), "{dot}");
    assert!(dot.contains("rankdir=LR"));
    let confront = dot.lines().find(|l| l.contains("(!) unsafe: Tell the adult")).unwrap();
    assert!(confront.contains("color=red3") && confront.contains("style=dashed"), "{confront}");
    let pass = dot.lines().find(|l| l.contains("Pass: reported")).unwrap();
    assert!(pass.contains("shape=doubleoctagon") && pass.contains("penwidth=3"), "{pass}");
    assert!(dot.lines().any(|l| l.contains("Fail: walked-away") && l.contains("shape=octagon")));
    let note = dot.lines().find(|l| l.contains("label=\"Note the details")).unwrap();
    assert!(note.contains("style=bold") && note.contains("(+1)"), "{note}");
    let nobody = dot.lines().find(|l| l.contains("Nobody")).unwrap();
    assert!(!nobody.contains("bold"), "{nobody}");
}

#[test]
fn dot_greys_unreachable_nodes_and_says_so() {
    let s = scenario(vec![
        ("a".into(), vec![choice("go", "pass")]),
        ("orphan".into(), vec![choice("x", "fail")]),
    ]);
    let dot = dot::to_dot(&ScenarioMap::new(&s, "en"));
    let orphan = dot.lines().find(|l| l.contains("orphan (unreachable)")).unwrap();
    assert!(orphan.contains("color=grey55"), "{orphan}");
}

#[test]
fn svg_is_well_formed_xml_with_escaped_text() {
    let svg = svg::to_svg(&ScenarioMap::new(&awkward(), "en"));
    assert!(parse_xml(&svg) > 10);
    assert!(svg.contains("Tom&apos;s &lt;map&gt;"), "{svg}");
    assert!(svg.contains("&amp; &lt;leave&gt;"), "{svg}");
    let svg = svg::to_svg(&ScenarioMap::new(&minimal(), "en"));
    parse_xml(&svg);
    assert!(svg.starts_with("<?xml") && svg.trim_end().ends_with("</svg>"));
    for expected in
        ["▶ start: arrive", "Pass: reported", "Fail: walked-away", "(!) unsafe", "Legend", "(score 2)"]
    {
        assert!(svg.contains(expected), "missing {expected}");
    }
    // The critical choice: red, dashed, with its own arrow head.
    let confront = svg.split("<g class=\"edge\">").find(|g| g.contains("confront:")).unwrap();
    assert!(confront.contains("stroke-dasharray") && confront.contains("arrow-unsafe"), "{confront}");
}

#[test]
fn the_largest_scenario_the_format_allows_lays_out_with_its_long_arrows_capped() {
    // 1,000 nodes in a chain, each with 29 more choices back to the start: without the cap,
    // about 14 million slots for the arrows back.
    use crate::format::limits::{MAX_CHOICES_PER_NODE, MAX_NODES};
    let ids: Vec<String> = (0..MAX_NODES).map(|i| format!("n{i}")).collect();
    let nodes = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let mut choices = vec![choice("next", ids.get(i + 1).map_or("pass", String::as_str))];
            choices.extend((1..MAX_CHOICES_PER_NODE).map(|c| choice(&format!("back{c}"), "n0")));
            (id.clone(), choices)
        })
        .collect();
    let map = ScenarioMap::new(&scenario(nodes), "en");
    assert_eq!(map.edges.len(), MAX_NODES * MAX_CHOICES_PER_NODE);
    // Each arrow has its label slot (two points) and its ends; the rest is capped.
    let points: usize = map.edges.iter().map(|e| e.route.len()).sum();
    assert!(points <= 4 * map.edges.len() + 2 * layout::MAX_PASSING_SLOTS, "{points} points");
    assert!(map.width.is_finite() && map.height.is_finite());
}
