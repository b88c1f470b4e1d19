//! Every integration test in one binary (as ripgrep does): one link of eframe and wgpu instead
//! of one per file. Shared helpers live in `tests/common`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic in a test is a failed test

#[path = "../common/mod.rs"]
mod common;

/// Counts each thread's memory, for the tests that measure what checking a module needs.
#[global_allocator]
static ALLOCATOR: common::thread_heap::ThreadCountingAllocator = common::thread_heap::ThreadCountingAllocator;

mod architecture;
mod bundled_content;
mod cli;
mod content_module_06;
mod content_module_07;
mod content_outcomes;
mod content_policy;
mod crash_safety;
mod crash_safety_pack;
mod docs_findings;
mod hostile_sizes;
mod journey;
mod journey_props;
mod module_footprint;
mod mutation_modules;
mod mutation_packs_records;
mod new_and_map_cli;
mod pack_cli;
mod pack_hostile;
mod pack_install;
mod pack_owners;
mod planted_mistakes;
mod policy_bundled;
mod policy_cli;
mod preview_studio;
mod records_cli;
mod records_core;
mod review_copy;
mod self_contained;
mod snapshots;
mod spanish_voice;
mod translate_cli;
mod validate_corpus;
mod validate_hostile;
mod validate_images;
mod validate_markdown;
mod viewer;
mod viewer_bundled_walk;
mod viewer_coordinator_lock;
mod viewer_data_folder;
mod viewer_file_dialog;
mod viewer_matrix;
mod viewer_matrix_scale;
mod viewer_pack_builder;
mod viewer_packs;
mod viewer_records;
mod viewer_screen_reader;
mod viewer_screen_reader_screens;
