//! The bad-input corpus (tests/corpus/, written by tests/corpus/make.py): every file gets an
//! error naming its line and column, from the engine's reader and from `mfp train` (exit
//! status 2, the file named). The browser walk over the same files is tests/e2e/corpus.test.mjs.

use std::path::{Path, PathBuf};
use std::process::Command;

use mf_playground::data::parse::{read_ratings, Layout, ReadOptions};
use mf_playground::data::{Feedback, Scale};

struct Entry {
    file: String,
    options: String,
    line: usize,
    column: usize,
    words: String,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn entries() -> Vec<Entry> {
    let text = std::fs::read_to_string(corpus_dir().join("expected.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 5, "expected.tsv: {l}");
            Entry {
                file: f[0].into(),
                options: f[1].into(),
                line: f[2].parse().unwrap(),
                column: f[3].parse().unwrap(),
                words: f[4].into(),
            }
        })
        .collect()
}

/// The manifest's options as reader options and as `mfp` flags.
fn options(spec: &str) -> (ReadOptions, Vec<String>) {
    let mut o = ReadOptions::default();
    let mut flags = Vec::new();
    for kv in spec.split(',').filter(|s| *s != "-") {
        let (k, v) = kv.split_once('=').unwrap();
        match k {
            "scale" => {
                let (lo, hi) = v.split_once("..").unwrap();
                o.scale = Some(Scale {
                    min: lo.parse().unwrap(),
                    max: hi.parse().unwrap(),
                });
                flags.extend(["--scale".into(), v.into()]);
            }
            "layout" => {
                assert_eq!(v, "dense");
                o.layout = Some(Layout::Dense);
                flags.extend(["--format".into(), "dense".into()]);
            }
            "feedback" => {
                assert_eq!(v, "implicit");
                o.feedback = Some(Feedback::Implicit);
                flags.extend(["--feedback".into(), "implicit".into()]);
            }
            other => panic!("unknown option {other}"),
        }
    }
    (o, flags)
}

#[test]
fn the_corpus_has_at_least_forty_files_all_listed() {
    let listed: Vec<String> = entries().into_iter().map(|e| e.file).collect();
    assert!(listed.len() >= 40, "{} files", listed.len());
    let mut on_disk: Vec<String> = std::fs::read_dir(corpus_dir().join("bad"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(
        sorted, on_disk,
        "every file in bad/ is in expected.tsv and back"
    );
}

#[test]
fn every_bad_file_gets_its_line_and_column_from_the_reader() {
    let mut wrong = Vec::new();
    for e in entries() {
        let bytes = std::fs::read(corpus_dir().join("bad").join(&e.file)).unwrap();
        let (opts, _) = options(&e.options);
        match read_ratings(&bytes, &opts) {
            Ok((r, _)) => wrong.push(format!("{}: read {} ratings", e.file, r.len())),
            Err(err) => {
                let msg = err.to_string();
                let at = format!("line {}, column {}: ", e.line, e.column);
                if err.code() != "parse_error" || !msg.starts_with(&at) || !msg.contains(&e.words) {
                    wrong.push(format!("{}: {msg} (want {at}...{})", e.file, e.words));
                }
                assert!(msg.len() < 400, "{}: message too long: {msg}", e.file);
            }
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn every_bad_file_makes_mfp_exit_2_naming_file_line_and_column() {
    for e in entries() {
        let path = corpus_dir().join("bad").join(&e.file);
        let (_, flags) = options(&e.options);
        let out = Command::new(env!("CARGO_BIN_EXE_mfp"))
            .args(["train", "--train", path.to_str().unwrap(), "--split", "0.2"])
            .args(&flags)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{}: {err}", e.file);
        let want = format!("{}: line {}, column {}: ", path.display(), e.line, e.column);
        assert!(
            err.contains(&want) && err.contains(&e.words),
            "{}: {err}",
            e.file
        );
        assert!(out.stdout.is_empty(), "{}: nothing on stdout", e.file);
    }
}
