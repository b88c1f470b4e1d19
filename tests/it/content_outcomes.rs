//! Scoring fixes from the content review (issue 13): each walks the path a learner would take
//! through the real bundled module and asserts how the run ends.

use crate::common;

use common::walk::{choice, module, page_text, scenario, walk, walk_attempt};
use faro::format::Outcome;
use faro::progress::RunState;

/// S1: promising a ~14-year-old that she won't get in trouble and can stay in the U.S. is a
/// critical choice, as in modules 01, 04 and 05; it used to cost one point and could still pass.
#[test]
fn promising_status_at_the_bus_station_is_critical() {
    let (m, run) = walk("02-recognizing-indicators", "bus-station", "alone", &["promise"]);
    assert_eq!(run.state, RunState::Critical { node: "alone".into(), choice: "promise".into() });
    let alone = scenario(&m, "bus-station").nodes.iter().find(|n| n.id == "alone").unwrap();
    let promise = alone.choices.iter().find(|c| c.id == "promise").unwrap();
    let critical = promise.critical.as_ref().expect("critical, with why and what to do instead");
    assert!(critical.why.get("en").contains("can't guarantee"));
    assert!(critical.instead.get("es").contains("911"));
}

/// S2: not calling 911 while the boy is being pulled to the truck ends the run as Fail, as the
/// same failure does in module 01; it used to be Neutral.
#[test]
fn not_calling_911_in_immediate_danger_fails() {
    let (m, run) = walk("04-responding-safely", "evening-meal", "danger", &["wait-inside"]);
    assert_eq!(run.state, RunState::Ended("no-911".into()));
    let ending = scenario(&m, "evening-meal").endings.iter().find(|e| e.id == "no-911").unwrap();
    assert_eq!(ending.outcome, Outcome::Fail);
}

/// S6: after "adults decide", Luis's story says how to act without overriding his choice: tell
/// the coordinator and ask the hotline for advice without giving his name (FACTS §11).
#[test]
fn respecting_luis_still_says_how_to_get_advice_without_his_name() {
    let (m, run) = walk("01-what-is-trafficking", "shelter-debt", "his-fear", &["offer-hotline"]);
    assert_eq!(run.last_choice, Some(("his-fear".into(), "offer-hotline".into())));
    let scenario = scenario(&m, "shelter-debt");
    let mut texts = Vec::new();
    for node in &scenario.nodes {
        for choice in &node.choices {
            texts.extend(choice.feedback.iter().flat_map(|f| [f.get("en"), f.get("es")]));
        }
    }
    let his_fear = scenario.nodes.iter().find(|n| n.id == "his-fear").unwrap();
    let feedback =
        his_fear.choices.iter().find(|c| c.id == "offer-hotline").unwrap().feedback.as_ref().unwrap();
    assert!(feedback.get("en").contains("call the hotline for advice without giving Luis's name"));
    assert!(feedback.get("es").contains("pedir orientación sin dar el nombre de Luis"));
    for text in texts {
        assert!(!text.contains("report what you learned") && !text.contains("lo que sabe"), "{text}");
    }
}

/// S3: waiting ten minutes while the extorter is parked outside, then calling 911, no longer
/// reaches the Pass ending; it ends on its own, non-passing ending. Calling at once still passes.
#[test]
fn a_late_911_call_at_the_youth_group_does_not_pass() {
    let late = ["call-911-now", "report-all", "facts-only", "keep-and-stop", "not-your-fault-late"];
    let (m, run) = walk("03-online-grooming", "youth-group", "still-outside", &late);
    assert_eq!(run.state, RunState::Ended("late-911".into()));
    let scenario = scenario(&m, "youth-group");
    let ending = scenario.endings.iter().find(|e| e.id == "late-911").unwrap();
    assert_ne!(ending.outcome, Outcome::Pass);
    assert!(ending.summary.get("en").contains("call 911 at once"));

    // On the late path the passing words are not offered.
    let (m2, a) = walk_attempt("03-online-grooming", "youth-group", "still-outside", &late[..4]);
    let offered: Vec<&str> = a.offered_choices(&m2).iter().map(|c| c.id.as_str()).collect();
    assert!(offered.contains(&"not-your-fault-late") && !offered.contains(&"not-your-fault"), "{offered:?}");

    // Calling 911 at once (the shortest path) still reaches the Pass ending.
    let (_, run) = walk("03-online-grooming", "youth-group", "in-trouble", &["not-your-fault"]);
    assert_eq!(run.state, RunState::Ended("safe-and-reported".into()));
}

/// S5: in a module set in migrant shelters, the U.S. reporting page gives the route from FACTS
/// §11 instead of listing the ICE HSI Tip Line like any other option: the Hotline first when
/// unsure, federal law enforcement decided with the coordinator, never delaying 911 or a report
/// the law requires about a child.
#[test]
fn the_us_reporting_page_gives_the_route_not_a_flat_list() {
    let text = page_text(&module("04-responding-safely"), "report-us");
    for needle in [
        "If you are unsure, call this first",
        "ask for advice without giving anyone's name",
        "decided **with your coordinator, following your organization's protocol**",
        "never delays 911",
        "Si tiene dudas, llame aquí primero",
        "pedir orientación sin dar el nombre de nadie",
        "se decide **con su coordinador(a), según el protocolo de su organización**",
        "nunca retrasa una llamada al 911",
    ] {
        assert!(text.contains(needle), "the page should say: {needle}");
    }
}

/// S4: a volunteer never asks for, keeps or forwards a sexual image of a child, not even as
/// proof; collecting the images is critical with that reason, and the module teaches where to
/// report, Take It Down and the sextortion steps (FACTS §11).
#[test]
fn asking_for_the_images_as_proof_is_critical_and_the_module_teaches_what_to_do() {
    for unsafe_choice in ["keep-proof", "look-at-images"] {
        let (m, run) = walk("03-online-grooming", "youth-group", "listen", &[unsafe_choice]);
        assert_eq!(run.state, RunState::Critical { node: "listen".into(), choice: unsafe_choice.into() });
        let critical = choice(&m, "youth-group", "listen", unsafe_choice).critical.clone().unwrap();
        assert!(critical.why.get("en").contains("not even as proof"), "{unsafe_choice}");
        assert!(critical.why.get("es").contains("ni siquiera como prueba"), "{unsafe_choice}");
        assert!(critical.instead.get("en").contains("Note where the image is"), "{unsafe_choice}");
    }

    let page = page_text(&module("03-online-grooming"), "images");
    for needle in [
        "not even to report it or “as proof”",
        "18 U.S.C. §§ 2251, 2252, 2252A",
        "report.cybertip.org",
        "takeitdown.ncmec.org",
        "only a digital fingerprint (a hash) is sent",
        "**not pay**",
        "**not delete** the account or the messages",
        "tips.fbi.gov, 1-800-CALL-FBI, that is 1-800-225-5324",
        "ni siquiera para reportarla o “como prueba”",
        "**no borrar** la cuenta ni los mensajes",
    ] {
        assert!(page.contains(needle), "the images page should say: {needle}");
    }

    // In the story, Marisol asks whether to delete everything: the steps are taught there too.
    let (m, run) = walk("03-online-grooming", "youth-group", "her-account", &["delete-all"]);
    assert_eq!(run.node, "in-trouble");
    let feedback = choice(&m, "youth-group", "her-account", "delete-all").feedback.clone().unwrap();
    assert!(feedback.get("en").contains("block him after the report"));
    let right = choice(&m, "youth-group", "her-account", "keep-and-stop");
    assert!(right.text.get("en").contains("Take It Down") && right.score > 0);
}

/// S8: the 13-year-old's parent or guardian is contacted through the coordinator and the
/// church's child-safety protocol, unless a caregiver is suspected.
#[test]
fn the_childs_parent_or_guardian_is_contacted_through_the_coordinator() {
    let m = module("03-online-grooming");
    let report_all = choice(&m, "youth-group", "after-911", "report-all");
    assert!(
        report_all
            .text
            .get("en")
            .contains("child-safety protocol: the coordinator contacts Marisol's parent or guardian")
    );
    assert!(report_all.text.get("es").contains("la madre, el padre o el tutor de Marisol"));
    let respond = page_text(&m, "respond");
    assert!(respond.contains("unless a caregiver is the person suspected of harming the child"));
    assert!(respond.contains("salvo que se sospeche que quien le hace daño"));
}

/// S7: on the Ciudad Juárez path the unaccompanied 15-year-old is a matter for the Procuraduría
/// de Protección / DIF through the shelter's coordinator, in the story and on the Mexico page.
#[test]
fn the_juarez_route_names_the_procuraduria_de_proteccion() {
    let juarez = ["juarez", "stay-calm", "write-notes", "listen", "be-honest", "report-mx"];
    let (m, run) = walk("04-responding-safely", "evening-meal", "side", &juarez);
    assert!(run.flags.contains("mx-side"), "the walk took the Ciudad Juárez side");
    assert_eq!(run.node, "danger");
    let report_mx = choice(&m, "evening-meal", "report", "report-mx");
    for text in [report_mx.text.get("en"), report_mx.text.get("es")] {
        assert!(text.contains("Procuraduría de Protección de Niñas, Niños y Adolescentes (DIF)"), "{text}");
    }
    assert!(report_mx.feedback.as_ref().unwrap().get("en").contains("decides his protection measures"));
    let page = page_text(&m, "report-mx");
    assert!(page.contains(
        "child protection authority, the **Procuraduría de Protección de Niñas, Niños y Adolescentes**"
    ));
    assert!(page.contains("your shelter keeps the local number"));
}

/// S9: in module 04 the Pass ending is reached only by a run that earned pass_score; the same
/// 911 call after missed steps ends on an honest ending that is not a pass.
#[test]
fn the_evening_meal_pass_ending_needs_the_points() {
    // The path `faro validate` named before the fix: no notes, then pressing the boy for details.
    let pressed = ["wait-and-see", "press", "stop-asking", "be-honest", "report-us"];
    let (m, a) = walk_attempt("04-responding-safely", "evening-meal", "after", &pressed);
    let s = scenario(&m, "evening-meal");
    let run = &a.scenarios["evening-meal"];
    assert!(run.score < s.pass_score.unwrap() - 1, "score {} after skipping notes and pressing", run.score);
    let offered: Vec<&str> = a.offered_choices(&m).iter().map(|c| c.id.as_str()).collect();
    assert!(offered.contains(&"call-911-gaps") && !offered.contains(&"call-911"), "{offered:?}");
    let mut then = pressed.to_vec();
    then.push("call-911-gaps");
    let (m, run) = walk("04-responding-safely", "evening-meal", "after", &then);
    assert_eq!(run.state, RunState::Ended("safe-with-gaps".into()));
    assert!(!run.passed(scenario(&m, "evening-meal")));
    let ending = scenario(&m, "evening-meal").endings.iter().find(|e| e.id == "safe-with-gaps").unwrap();
    assert_eq!(ending.outcome, Outcome::Neutral);

    // The careful run still passes.
    let careful = ["listen", "be-honest", "report-us", "call-911"];
    let (m, run) = walk("04-responding-safely", "evening-meal", "disclosure", &careful);
    assert_eq!(run.state, RunState::Ended("reported-safely".into()));
    assert!(run.passed(scenario(&m, "evening-meal")));
}

/// Module 02's figure caption names only the places the figure draws: it listed hotels, which
/// neither the figure nor its alt text shows.
#[test]
fn the_places_caption_names_only_what_the_figure_shows() {
    use faro::format::{Block, Step};
    let m = module("02-recognizing-indicators");
    let image = m
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::Page(p) => Some(&p.blocks),
            _ => None,
        })
        .flatten()
        .find_map(|b| match b {
            Block::Image(i) if i.path.ends_with("indicators-places.png") => Some(i),
            _ => None,
        })
        .expect("the places figure");
    let caption = image.caption.as_ref().expect("a caption");
    for lang in ["en", "es"] {
        assert!(!caption.get(lang).to_lowercase().contains("hotel"), "{lang}: {}", caption.get(lang));
        assert!(!image.alt.get(lang).to_lowercase().contains("hotel"), "{lang}");
    }
    for (drawn, listed) in [
        ("(shelter)", "shelters"),
        ("(bus station)", "bus stations"),
        ("(clinic)", "clinics"),
        ("(school)", "schools"),
        ("(farm)", "farms"),
        ("(online)", "online"),
    ] {
        assert!(image.alt.get("en").contains(drawn), "alt text draws {drawn}");
        assert!(caption.get("en").contains(listed), "caption lists {listed}");
    }
}
