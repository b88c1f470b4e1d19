//! `faro export review` (issue 28, item 5): the review copy holds every text of a module in both
//! languages, its version and fingerprint, loads nothing, embeds its images, escapes hostile
//! text, and is refused (nothing written) for a module with errors.

use std::path::{Path, PathBuf};

use faro::format::{Block, Step};
use faro::markup::escape;
use faro::review::markdown_to_html;

use crate::common::cli::faro;

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 temporary path")
}

fn bundled_dirs() -> Vec<PathBuf> {
    faro::load::module_dirs(Path::new("modules")).unwrap()
}

/// Exports every bundled module at once (the folder form) and returns each module's folder and copy.
fn export_bundled(out: &Path) -> Vec<(PathBuf, String)> {
    let (code, stdout, stderr) = faro(&["export", "review", "modules", "--out", path(out)]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    bundled_dirs()
        .into_iter()
        .map(|dir| {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            let html = std::fs::read_to_string(out.join(format!("{name}.html"))).unwrap();
            (dir, html)
        })
        .collect()
}

/// A text as the review copy writes it: escaped (titles, choices, answers) or as Markdown.
fn written(html: &str, text: &str) -> bool {
    html.contains(&escape(text)) || html.contains(&markdown_to_html(text))
}

#[test]
fn every_text_of_every_bundled_module_is_in_its_copy_in_both_languages() {
    let temp = tempfile::tempdir().unwrap();
    let copies = export_bundled(temp.path());
    assert_eq!(copies.len(), 7);
    for (dir, html) in &copies {
        let loaded = faro::load::load_module_dir(dir).unwrap();
        let module = &loaded.module;
        assert_eq!(module.languages, ["en", "es"], "{}", dir.display());
        let mut checked = 0;
        faro::validate::for_each_text(module, &loaded.locator(), &mut |text, what, _| {
            for lang in ["en", "es"] {
                let s = text.0.get(lang).unwrap();
                assert!(written(html, s), "{}: {} ({lang}) is not in the copy: {s:?}", dir.display(), what());
                checked += 1;
            }
        });
        assert!(checked > 100, "{}: only {checked} texts", dir.display());
        // The version and the fingerprint completion records carry, under every step heading.
        let fingerprint = faro::records::content_hash(dir).unwrap();
        let stamp = format!("{} · version {} · content SHA-256 {fingerprint}", module.id, module.version);
        assert!(html.matches(&stamp).count() > module.steps.len(), "{}", dir.display());
        // And in the printed pages' margins.
        assert!(html.contains(&format!("@top-right {{ content: \"SHA-256 {fingerprint}\"; }}")));
        assert!(html.contains(&format!("@top-left {{ content: \"{} {}\"; }}", module.id, module.version)));
        for step in &module.steps {
            assert!(html.contains(&format!("id=\"step-{}\"", step.id())), "step {}", step.id());
        }
    }
}

#[test]
fn choices_are_marked_unsafe_and_answers_correct_or_not() {
    let temp = tempfile::tempdir().unwrap();
    for (dir, html) in export_bundled(temp.path()) {
        let module = faro::load::load_module_dir(&dir).unwrap().module;
        for step in &module.steps {
            match step {
                Step::Scenario(scenario) => {
                    // Every node's article lists all its choices, each with its feedback or its
                    // unsafe explanation, and every ending is there with its outcome.
                    for node in &scenario.nodes {
                        let start = format!("<article class=\"node\" id=\"{}--{}\">", scenario.id, node.id);
                        let at = html.find(&start).unwrap_or_else(|| panic!("node {}", node.id));
                        let article = &html[at..at + html[at..].find("</article>").unwrap()];
                        for choice in &node.choices {
                            let head =
                                format!("{} <span class=\"id\">{}</span>", "Choice · Opción", choice.id);
                            assert!(article.contains(&head), "choice {} of node {}", choice.id, node.id);
                            let critical =
                                format!("<li class=\"choice critical\"><p class=\"choice-head\">{head}");
                            assert_eq!(
                                article.contains(&critical),
                                choice.critical.is_some(),
                                "{}",
                                choice.id
                            );
                            for lang in ["en", "es"] {
                                assert!(written(article, choice.text.get(lang)), "{}", choice.id);
                                if let Some(feedback) = &choice.feedback {
                                    assert!(written(article, feedback.get(lang)), "feedback {}", choice.id);
                                }
                                if let Some(critical) = &choice.critical {
                                    assert!(written(article, critical.why.get(lang)), "why {}", choice.id);
                                    assert!(written(article, critical.instead.get(lang)), "{}", choice.id);
                                }
                            }
                        }
                    }
                    for ending in &scenario.endings {
                        assert!(
                            html.contains(&format!("id=\"{}--{}\"", scenario.id, ending.id)),
                            "{}",
                            ending.id
                        );
                    }
                    if let Some(note) = &scenario.content_note {
                        let box_at = html.find("<div class=\"box content-note\">").unwrap();
                        assert!(html[box_at..].contains(&markdown_to_html(note.get("es"))));
                    }
                }
                Step::Check(check) => {
                    for (number, question) in check.questions.iter().enumerate() {
                        let start = format!(
                            "<article class=\"question\"><h4>Question · Pregunta {} <span class=\"id\">{}</span>",
                            number + 1,
                            question.id
                        );
                        let at = html.find(&start).unwrap_or_else(|| panic!("question {}", question.id));
                        let article = &html[at..at + html[at..].find("</article>").unwrap()];
                        for answer in &question.answers {
                            let mark = if answer.correct {
                                "<li class=\"answer correct\"><p class=\"answer-head\"><strong>✓ Correct · Correcta</strong>"
                            } else {
                                "<li class=\"answer wrong\"><p class=\"answer-head\"><strong>✗ Incorrect · Incorrecta</strong>"
                            };
                            let head = format!("{mark} <span class=\"id\">{}</span>", answer.id);
                            assert!(article.contains(&head), "answer {} of {}", answer.id, question.id);
                            for lang in ["en", "es"] {
                                assert!(written(article, answer.text.get(lang)));
                                assert!(written(article, answer.explain.get(lang)));
                            }
                        }
                    }
                }
                Step::Page(_) => {}
            }
        }
    }
}

#[test]
fn the_copy_loads_nothing_and_embeds_its_images_and_maps() {
    let temp = tempfile::tempdir().unwrap();
    for (dir, html) in export_bundled(temp.path()) {
        let lower = html.to_lowercase();
        for remote in
            ["src=\"http", "href=\"http", "src='http", "href='http", "url(http", "url(\"http", "@import"]
        {
            assert!(!lower.contains(remote), "{}: {remote}", dir.display());
        }
        for tag in ["<script", "<link", "<iframe", "<object", "<embed"] {
            assert!(!lower.contains(tag), "{}: {tag}", dir.display());
        }
        let module = faro::load::load_module_dir(&dir).unwrap().module;
        let mut images = 0;
        let mut scenarios = 0;
        for step in &module.steps {
            match step {
                Step::Page(page) => {
                    images += page.blocks.iter().filter(|b| matches!(b, Block::Image(_))).count()
                }
                Step::Scenario(s) => {
                    scenarios += 1;
                    images += s.nodes.iter().filter(|n| n.image.is_some()).count();
                }
                Step::Check(_) => {}
            }
        }
        assert!(images > 0, "{}", dir.display());
        assert_eq!(html.matches("<img ").count(), images, "{}", dir.display());
        assert_eq!(html.matches("<img src=\"data:image/png;base64,").count(), images, "{}", dir.display());
        // One map per scenario and language, inline, each with its own ids.
        assert_eq!(html.matches("<svg ").count(), 2 * scenarios, "{}", dir.display());
        assert!(!html.contains("<?xml"));
        assert!(!html.contains(" id=\"arrow\""), "map ids are prefixed");
    }
}

/// A module written by `faro new module`, with `edits` applied to its `module.ron`.
fn new_module(parent: &Path, edits: &[(&str, &str)]) -> PathBuf {
    let dir = parent.join("m");
    let (code, out, err) = faro(&["new", "module", path(&dir), "--id", "hostile"]);
    assert_eq!(code, 0, "{out}{err}");
    let file = dir.join("module.ron");
    let mut source = std::fs::read_to_string(&file).unwrap();
    for (from, to) in edits {
        assert!(source.contains(from), "{from}");
        source = source.replacen(from, to, 1);
    }
    std::fs::write(&file, source).unwrap();
    dir
}

#[test]
fn hostile_text_is_escaped_everywhere() {
    let temp = tempfile::tempdir().unwrap();
    // Written in RON: `\"` is a quote.
    let dir = new_module(
        temp.path(),
        &[
            (r#""en": "Hostile""#, r#""en": "</title><script>alert(\"title\")</script> & \"q\" 'a'""#),
            (
                "Replace this text with your own.",
                r#"<script>alert(1)</script> <img src=x onerror=\"alert(2)\"> & </div>\n\nA [x](javascript:alert(3)) link."#,
            ),
            (
                "Tell the adult you know what he is doing.",
                r#"Tell him</p></li></ol><style>*{display:none}</style>"#,
            ),
            ("Placeholder image: replace", r#"\"><script>alert(4)</script> Placeholder image: replace"#),
        ],
    );
    let out = temp.path().join("copy.html");
    let (code, stdout, stderr) = faro(&["export", "review", path(&dir), "--out", path(&out)]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(!html.contains("<script"), "a script tag got through");
    assert!(!html.contains("<img src=x"), "an image tag got through");
    assert!(!html.contains("</title><"), "the title was closed early");
    assert!(!html.contains("<style>*"), "a style tag got through");
    assert!(!html.contains("href=\"javascript"), "a link got through");
    assert!(!html.contains("\"><script"), "an attribute was closed early");
    assert!(html.contains("&lt;/title&gt;&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; &amp; &quot;q&quot; &apos;a&apos;"));
    assert!(html.contains("&lt;img src=x onerror=&quot;alert(2)&quot;&gt;"), "the author's HTML is shown");
    assert!(html.contains("x <span class=\"address\">(javascript:alert(3))</span>"), "a link is written out");
    assert!(html.contains("Tell him&lt;/p&gt;&lt;/li&gt;&lt;/ol&gt;&lt;style&gt;"));
    // The image's description, in its `alt` attribute and under it.
    assert!(html.contains("alt=\"&quot;&gt;&lt;script&gt;alert(4)&lt;/script&gt; Placeholder image"));
    // Only the copy's own tags: one style sheet, one title.
    assert_eq!(html.matches("<style>").count(), 1);
    // The validator's warnings (the template's placeholder texts) are listed for the reviewer.
    assert!(html.contains("<li>module.ron:") && html.contains("still the placeholder text"), "warnings");
    let head = &html[..html.find("<body>").unwrap()];
    assert_eq!(head.matches("<title>").count(), 1);
}

#[test]
fn a_module_with_errors_is_refused_with_its_errors_and_nothing_is_written() {
    let temp = tempfile::tempdir().unwrap();
    let dir = new_module(temp.path(), &[(r#"goto: "call","#, r#"goto: "nowhere","#)]);
    let out = temp.path().join("copy.html");
    let (code, stdout, stderr) = faro(&["export", "review", path(&dir), "--out", path(&out)]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    let located = format!("{}:", dir.join("module.ron").display());
    // file:line:col, as `faro validate` says it.
    let located_error = |l: &&str| {
        let place: Vec<&str> = l.strip_prefix(&located).unwrap_or("").splitn(3, ':').collect();
        matches!(place.as_slice(), [line, col, rest] if line.parse::<u32>().is_ok() && col.parse::<u32>().is_ok() && rest.starts_with(" error: "))
            && l.contains("nowhere")
    };
    assert!(stderr.lines().any(|l| located_error(&l)), "{stderr}");
    assert!(stderr.contains("no review copy was written"), "{stderr}");
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(temp.path()).unwrap().count(), 1, "only the module folder");

    // In a folder of modules, one broken module stops them all.
    let modules = temp.path().join("modules");
    crate::common::copy_dir(Path::new("modules/01-what-is-trafficking"), &modules.join("01"));
    std::fs::rename(&dir, modules.join("02")).unwrap();
    let out = temp.path().join("copies");
    let (code, _, stderr) = faro(&["export", "review", path(&modules), "--out", path(&out)]);
    assert_eq!(code, 1, "{stderr}");
    assert!(!out.exists(), "nothing written");
}

#[test]
fn usage_errors_exit_two_and_write_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let missing = temp.path().join("missing");
    let (code, _, stderr) = faro(&["export", "review", path(&missing), "--out", "x.html"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no such file or folder"), "{stderr}");
    // A copy inside the module folder would change the fingerprint it prints.
    let dir = new_module(temp.path(), &[]);
    let inside = dir.join("copy.html");
    let (code, _, stderr) = faro(&["export", "review", path(&dir), "--out", path(&inside)]);
    assert_eq!(code, 2);
    assert!(stderr.contains("would change the module's content fingerprint"), "{stderr}");
    assert!(!inside.exists());
    // Several modules need a folder, not a file.
    let file = temp.path().join("file.html");
    std::fs::write(&file, "mine").unwrap();
    let (code, _, stderr) = faro(&["export", "review", "modules", "--out", path(&file)]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--out must be a folder"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
}
