//! The bundled modules: they validate clean in both languages, their contact numbers are exactly
//! the region data's, and every scenario has a critical choice and both a pass and a non-pass ending.

use std::path::Path;

use faro::format::{Block, Outcome, Step};
use faro::validate::{Context, ScenarioGraph};

fn modules() -> Vec<faro::load::LoadedModule> {
    faro::load::module_dirs(Path::new("modules"))
        .expect("modules/ exists")
        .iter()
        .map(|d| faro::load::load_module_dir(d).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

fn regions() -> faro::format::Regions {
    faro::load::parse_regions(Path::new("assets/regions.ron"), faro::bundled::REGIONS).expect("regions parse")
}

#[test]
fn every_bundled_module_validates_without_any_diagnostic() {
    let regions = regions();
    let ctx = Context {
        today: chrono::Local::now().date_naive(),
        regions: Some(&regions),
        terms: faro::bundled::terms().ok(),
        decode_images: true,
        pack: None,
    };
    let all = modules();
    assert_eq!(all.len(), 7);
    for m in &all {
        assert_eq!(m.module.languages, ["en", "es"], "{}", m.module.id);
        let found = faro::validate::validate(m, &ctx);
        assert!(found.is_empty(), "{}: {found:#?}", m.module.id);
    }
}

#[test]
fn every_contact_number_matches_the_region_data() {
    let regions = regions();
    let mut seen = 0;
    for m in modules() {
        for step in &m.module.steps {
            let Step::Page(page) = step else { continue };
            for block in &page.blocks {
                let Block::Contact(card) = block else { continue };
                let known =
                    regions.contact(&card.id).unwrap_or_else(|| panic!("unknown contact {}", card.id));
                assert_eq!(card.phone, known.phone, "{} in {}", card.id, m.module.id);
                assert_eq!(card.sms, known.sms, "{} in {}", card.id, m.module.id);
                assert_eq!(card.url, known.url, "{} in {}", card.id, m.module.id);
                assert_eq!(card.region, known.region, "{} in {}", card.id, m.module.id);
                seen += 1;
            }
        }
    }
    assert!(seen >= 10, "modules show contact cards where reporting is discussed ({seen})");
}

#[test]
fn region_data_has_the_sourced_numbers() {
    // FACTS.md section 5: these must never drift.
    let regions = regions();
    let phone = |id: &str| regions.contact(id).and_then(|c| c.phone.clone()).unwrap_or_default();
    assert_eq!(phone("us-hotline"), "1-888-373-7888");
    assert_eq!(regions.contact("us-hotline").and_then(|c| c.sms.clone()).as_deref(), Some("233733"));
    assert_eq!(phone("us-hsi-tipline"), "1-866-347-2423");
    assert_eq!(phone("us-ncmec"), "1-800-843-5678");
    assert_eq!(phone("us-texas-abuse"), "1-800-252-5400");
    assert_eq!(phone("mx-089"), "089");
    assert_eq!(phone("mx-linea-trata"), "800 5533 000");
    assert_eq!(phone("us-911"), "911");
    assert_eq!(phone("mx-911"), "911");
}

#[test]
fn every_scenario_has_a_critical_choice_and_both_kinds_of_ending() {
    for m in modules() {
        let scenarios: Vec<_> = m
            .module
            .steps
            .iter()
            .filter_map(|s| if let Step::Scenario(s) = s { Some(s) } else { None })
            .collect();
        assert!(!scenarios.is_empty(), "{} has a scenario", m.module.id);
        for s in scenarios {
            assert!(s.nodes.len() >= 8, "{}: {} nodes", s.id, s.nodes.len());
            let critical = s.nodes.iter().flat_map(|n| &n.choices).filter(|c| c.critical.is_some()).count();
            assert!(critical >= 1, "{} has a critical choice", s.id);
            let outcomes = ScenarioGraph::new(s).reachable_outcomes();
            assert!(outcomes.contains(&Outcome::Pass), "{} reaches a pass", s.id);
            assert!(
                outcomes.contains(&Outcome::Fail) || outcomes.contains(&Outcome::Neutral),
                "{} reaches a non-pass ending",
                s.id
            );
        }
    }
}

#[test]
fn spanish_text_never_uses_the_ambiguous_term_loosely() {
    // "tráfico de personas" may appear only where the text explains why Faro avoids it.
    for m in modules() {
        let lower = m.source.to_lowercase();
        for (i, _) in lower.match_indices("tráfico de personas") {
            let window = lower.get(i.saturating_sub(400)..(i + 400).min(lower.len())).unwrap_or("");
            assert!(
                window.contains("ambigu"),
                "{}: loose use of \"tráfico de personas\" near byte {i}",
                m.module.id
            );
        }
    }
}

#[test]
fn checks_have_enough_questions_and_a_pass_mark() {
    for m in modules() {
        let checks: Vec<_> = m
            .module
            .steps
            .iter()
            .filter_map(|s| if let Step::Check(c) = s { Some(c) } else { None })
            .collect();
        assert!(!checks.is_empty(), "{} has a knowledge check", m.module.id);
        for c in checks {
            assert!(c.questions.len() >= 8, "{}: {} questions", c.id, c.questions.len());
            assert!(c.pass_mark >= 1);
        }
    }
}
