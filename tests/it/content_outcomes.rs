//! Scoring fixes from the content review (issue 13): each walks the path a learner would take
//! through the real bundled module and asserts how the run ends.

use crate::common;

use common::walk::{
    choice, finished_runs, made, module, page_text, passing_runs, scenario, walk, walk_attempt,
};
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

/// S9: in module 04 the Pass ending is reached only by a run that earned pass_score. Since
/// pressing the boy for details became critical (issue 22), every run that avoids the unsafe acts
/// reaches 911 with the points, so no "with gaps" ending is needed: every run that reaches the
/// Pass ending passes.
#[test]
fn the_evening_meal_pass_ending_needs_the_points() {
    let (m, runs) = finished_runs("04-responding-safely", "evening-meal");
    let s = scenario(&m, "evening-meal");
    let mut reached = 0;
    for run in &runs {
        if run.state == RunState::Ended("reported-safely".into()) {
            assert!(run.passed(s), "the Pass ending with score {} on {:?}", run.score, run.path);
            reached += 1;
        }
    }
    assert!(reached > 0);

    // The careful run passes.
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

// Issue 22: one rule for each unsafe act, in every module. Each test walks the real bundled
// module with the engine, most of them over every run a learner can make.

/// 04: pressing the boy for details of what the man does to him is critical, as it is in 02, 03,
/// 05 and 06 (FACTS §4); it used to lead on to the Pass ending "You listened to the boy".
#[test]
fn pressing_the_boy_for_details_ends_the_run() {
    let (m, run) = walk("04-responding-safely", "evening-meal", "disclosure", &["press"]);
    assert_eq!(run.state, RunState::Critical { node: "disclosure".into(), choice: "press".into() });
    let critical = choice(&m, "evening-meal", "disclosure", "press").critical.clone().unwrap();
    assert!(critical.why.get("en").contains("trained forensic interviewers"));
    assert!(critical.why.get("es").contains("personal capacitado en entrevistas forenses"));
}

/// Promising a child secrecy is critical in every module (the safety policy's one class for the
/// act, FACTS §4 and §11): it was a Fail ending in 04, 05 and 07 and a detour in 03.
#[test]
fn promising_a_child_secrecy_is_critical_in_every_module() {
    let cases = [
        ("03-online-grooming", "youth-group", "listen", "promise"),
        ("04-responding-safely", "evening-meal", "promises", "keep-secret"),
        ("05-supporting-survivors", "papers-question", "dont-tell", "keep-secret"),
        ("06-trading-to-survive", "drop-in", "her-story", "promise-secret"),
        ("07-children-on-the-move", "traveling-alone", "promise", "keep-secret"),
    ];
    for (dir, scenario_id, node, unsafe_choice) in cases {
        let (m, run) = walk(dir, scenario_id, node, &[unsafe_choice]);
        assert_eq!(
            run.state,
            RunState::Critical { node: node.into(), choice: unsafe_choice.into() },
            "{dir} {node} {unsafe_choice}"
        );
        let critical = choice(&m, scenario_id, node, unsafe_choice).critical.clone().unwrap();
        for lang in ["en", "es"] {
            assert!(!critical.why.get(lang).is_empty() && !critical.instead.get(lang).is_empty());
        }
        assert!(
            critical.instead.get("en").to_lowercase().contains("can't keep"),
            "{dir}: {}",
            critical.instead.get("en")
        );
    }
}

/// 02: a 14-year-old is minutes from boarding a bus with the man. No run passes without the 911
/// call; calling the Hotline instead used to reach the Pass ending (FACTS §4, §5).
#[test]
fn no_run_at_the_bus_station_passes_without_911() {
    let (_, passing) = passing_runs("02-recognizing-indicators", "bus-station");
    for run in &passing {
        assert!(made(run, "call", "call-911"), "passes without 911: {:?}", run.path);
        assert!(
            !made(run, "call", "call-hotline"),
            "passes after the Hotline instead of 911: {:?}",
            run.path
        );
    }
}

/// 02: the Pass ending says the volunteer "kept the details"; every run that reaches it noted them
/// (the path `next-traveler > family-matter > … > tell-coordinator` used to reach it without).
#[test]
fn the_bus_station_ending_that_says_kept_the_details_needs_the_details() {
    let (m, runs) = finished_runs("02-recognizing-indicators", "bus-station");
    let s = scenario(&m, "bus-station");
    let mut checked = 0;
    for run in &runs {
        let RunState::Ended(id) = &run.state else { continue };
        if s.ending(id).unwrap().summary.get("en").contains("kept the details") {
            assert!(run.flags.contains("noted"), "{id} without notes: {:?}", run.path);
            checked += 1;
        }
    }
    assert!(checked > 0);
}

/// 06: Rosa volunteers on the Mexico side; sending her to the Texas Abuse Hotline is the wrong
/// country's line, and no run that does it passes with "You knew the route on the Mexico side".
#[test]
fn the_texas_line_for_a_mexico_side_volunteer_does_not_pass() {
    let (_, passing) = passing_runs("06-trading-to-survive", "drop-in");
    for run in &passing {
        assert!(!made(run, "rosa", "texas-line"), "passes with the Texas line: {:?}", run.path);
        assert!(made(run, "rosa", "mx-route"), "{:?}", run.path);
    }
}

/// 06 and 03: blaming the teen, then apologizing, is a repair worth making, but the run cannot
/// reach the Pass ending that says "did not blame her" (FACTS §4, §9).
#[test]
fn blaming_then_apologizing_does_not_pass() {
    for (dir, scenario_id, node, blame) in [
        ("06-trading-to-survive", "drop-in", "arrive", "shocked"),
        ("03-online-grooming", "youth-group", "disclosure", "scold"),
        ("07-children-on-the-move", "traveling-alone", "mx-arrival", "blame"),
    ] {
        let (_, passing) = passing_runs(dir, scenario_id);
        for run in &passing {
            assert!(!made(run, node, blame), "{dir}: passes after {blame}: {:?}", run.path);
            assert!(!run.flags.contains("blamed"), "{dir}: {:?}", run.path);
        }
    }
}

/// Every bundled scenario has a pass score (01 and 03 had none).
#[test]
fn every_bundled_scenario_has_a_pass_score() {
    let dirs = faro::load::module_dirs(std::path::Path::new("modules")).unwrap();
    for dir in dirs {
        let m = faro::load::load_module_dir(&dir).unwrap().module;
        for step in &m.steps {
            if let faro::format::Step::Scenario(s) = step {
                assert!(s.pass_score.is_some(), "{} {} has no pass_score", m.id, s.id);
            }
        }
    }
}

/// 03: telling Marisol "Yes, delete everything now" loses what the report needs (FACTS §11: don't
/// delete; block after the report); no run that says it passes with "You believed her".
#[test]
fn deleting_everything_does_not_pass() {
    let (_, passing) = passing_runs("03-online-grooming", "youth-group");
    for run in &passing {
        assert!(!made(run, "her-account", "delete-all"), "passes after delete-all: {:?}", run.path);
    }
    // The run goes on to an honest ending that names the mistake.
    let (m, runs) = finished_runs("03-online-grooming", "youth-group");
    let s = scenario(&m, "youth-group");
    let deleted = runs
        .iter()
        .filter(|r| made(r, "her-account", "delete-all") && matches!(r.state, RunState::Ended(_)))
        .collect::<Vec<_>>();
    assert!(!deleted.is_empty());
    for run in deleted {
        let RunState::Ended(id) = &run.state else { unreachable!() };
        assert_ne!(s.ending(id).unwrap().outcome, Outcome::Pass, "{:?}", run.path);
    }
}

/// 04: the Hotline *can* connect a survivor with law enforcement if the survivor chooses, and it
/// is not a promise of secrecy (FACTS §11); "only if" was a promise the course forbids.
#[test]
fn the_hotline_is_not_a_promise_of_secrecy() {
    let text = page_text(&module("04-responding-safely"), "report-us");
    assert!(!text.contains("only if the survivor chooses"), "{text}");
    assert!(!text.contains("si ella lo decide"), "{text}");
    for needle in [
        "it can connect a survivor with law enforcement if the survivor chooses",
        "it is **not a promise of secrecy**",
        "if it suspects child abuse or imminent harm",
        "puede poner a una persona sobreviviente en contacto con la policía si esa persona lo decide",
        "**no es una promesa de secreto**",
        "si sospecha abuso contra una niña, niño o adolescente o un daño inminente",
    ] {
        assert!(text.contains(needle), "the page should say: {needle}");
    }
}

/// 07: on the U.S. side child protection authorities do not decide a child's immigration case;
/// the reason given for "promise they can stay" says who does what, per FACTS §11.
#[test]
fn promise_stay_gives_each_side_its_own_authority() {
    let m = module("07-children-on-the-move");
    let why = choice(&m, "traveling-alone", "promise", "promise-stay").critical.clone().unwrap().why;
    let en = why.get("en");
    let es = why.get("es");
    assert!(!en.contains("that is for the child protection authorities"), "{en}");
    assert!(!es.contains("eso les toca a las autoridades de protección de la niñez"), "{es}");
    for needle in [
        "Procuraduría de Protección decides a child's protection measures",
        "ORR",
        "not immigration enforcement",
        "lawyer",
    ] {
        assert!(en.contains(needle), "{needle}: {en}");
    }
    for needle in [
        "Procuraduría de Protección decide las medidas de protección",
        "ORR",
        "no es una autoridad de control migratorio",
        "abogado",
    ] {
        assert!(es.contains(needle), "{needle}: {es}");
    }
}

/// 03's check: asking him to send the images "so you have proof" is wrong because having or
/// sending a sexual image of a child is a federal crime and each copy harms the child again
/// (FACTS §11), not only because it is "investigating".
#[test]
fn the_proof_answer_explains_the_crime_and_the_harm() {
    use faro::format::Step;
    let m = module("03-online-grooming");
    let answer = m
        .steps
        .iter()
        .filter_map(|s| if let Step::Check(c) = s { Some(c) } else { None })
        .flat_map(|c| &c.questions)
        .flat_map(|q| &q.answers)
        .find(|a| a.text.get("en") == "Ask him to send them to you, so you have proof.")
        .expect("the answer");
    assert!(!answer.correct);
    let (en, es) = (answer.explain.get("en"), answer.explain.get("es"));
    for needle in ["federal crime", "harms the child again", "not even as proof", "CyberTipline"] {
        assert!(en.contains(needle), "{needle}: {en}");
    }
    for needle in ["delito federal", "vuelve a dañar", "ni siquiera como prueba", "CyberTipline"] {
        assert!(es.contains(needle), "{needle}: {es}");
    }
}

/// 01: the real figure, with what it counts and its source (FACTS §8): 10,583 situations reached
/// the U.S. Hotline in 2020, according to Polaris; not a count of all victims.
#[test]
fn the_hotline_figure_is_given_with_what_it_counts() {
    let text = page_text(&module("01-what-is-trafficking"), "myths");
    for needle in [
        "**10,583 situations** of human trafficking in 2020",
        "Polaris",
        "not a count of all victims",
        "**10,583 situaciones** de trata de personas en 2020",
        "no es un conteo de todas las víctimas",
    ] {
        assert!(text.contains(needle), "the page should say: {needle}\n{text}");
    }
}

/// The help panel (F1) shows assets/regions.ron as it is: on the U.S. side the ICE HSI card says it
/// is federal law enforcement, decided with the coordinator under the protocol, 911 always for
/// immediate danger; on the Mexico side a card routes a child through the coordinator to the
/// Procuraduría de Protección / DIF, with no number (FACTS §11).
#[test]
fn the_help_panel_gives_the_route_on_each_side() {
    let regions = faro::bundled::regions().unwrap();
    let hsi = regions.contact("us-hsi-tipline").unwrap();
    let text = |t: &faro::format::Text, lang: &str| t.get(lang).to_owned();
    let en = [text(&hsi.when, "en"), hsi.hours.as_ref().map(|h| text(h, "en")).unwrap_or_default()].join(" ");
    let es = [text(&hsi.when, "es"), hsi.hours.as_ref().map(|h| text(h, "es")).unwrap_or_default()].join(" ");
    for needle in
        ["federal law enforcement", "with your coordinator, following your organization's protocol", "911"]
    {
        assert!(en.contains(needle), "{needle}: {en}");
    }
    for needle in
        ["autoridad policial federal", "con su coordinador(a), según el protocolo de su organización", "911"]
    {
        assert!(es.contains(needle), "{needle}: {es}");
    }

    let mx = regions.region("mx").unwrap();
    let card =
        mx.contacts.iter().find(|c| c.id == "mx-child-protection").expect("the Mexico-side child card");
    assert!(
        card.phone.is_none() && card.sms.is_none() && card.url.is_none(),
        "no number for the Procuraduría"
    );
    assert_eq!(card.region, "mx");
    assert!(card.name.get("en").contains("A child or teen"));
    assert!(card.name.get("en").contains("Procuraduría de Protección / DIF"));
    assert!(card.name.get("es").contains("Procuraduría de Protección / DIF"));
    let when = format!("{} {}", card.when.get("en"), card.when.get("es"));
    assert!(
        when.contains("coordinator") && when.contains("coordinador(a)") && when.contains("911"),
        "{when}"
    );
    // A card with no number has nothing for the keyboard to land on; the region's note, which a
    // screen reader hears when the panel opens, gives the route too.
    let note = mx.note.as_ref().expect("a note");
    assert!(note.get("en").contains("911") && note.get("en").contains("Procuraduría de Protección / DIF"));
    assert!(
        note.get("es").contains("coordinador(a)")
            && note.get("es").contains("Procuraduría de Protección / DIF")
    );
}
