//! What the command-line tests share: running `mfp` (to succeed, or to refuse), a scratch
//! folder, a ratings file, and its JSON lines read back.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use mf_playground::synthetic::{generate, SyntheticParams};

pub fn mfp(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mfp"))
        .args(args)
        .output()
        .expect("mfp runs")
}

/// Runs `mfp` with `args`, which must succeed, and returns what it printed.
pub fn ok(args: &[&str]) -> String {
    let out = mfp(args);
    assert!(
        out.status.success(),
        "mfp {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs `mfp` with `args`, which it must refuse as bad input (exit status 2), and returns what
/// it said.
pub fn refused(args: &[&str]) -> String {
    let out = mfp(args);
    assert_eq!(out.status.code(), Some(2), "mfp {args:?} should refuse");
    String::from_utf8(out.stderr).unwrap()
}

pub fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("mfp-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A synthetic explicit data set written as `user,item,rating` lines.
pub fn ratings_csv(dir: &Path) -> PathBuf {
    let s = generate(&SyntheticParams {
        n_users: 80,
        n_items: 50,
        density: 0.4,
        noise: 0.3,
        seed: 5,
        ..Default::default()
    })
    .unwrap();
    let r = &s.ratings;
    let mut text = String::from("user,item,rating\n");
    for k in 0..r.len() {
        let (u, i, v) = r.get(k);
        text += &format!("{},{},{v}\n", r.user_ids()[u], r.item_ids()[i]);
    }
    let path = dir.join("ratings.csv");
    std::fs::write(&path, text).unwrap();
    path
}

pub fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect()
}

/// Runs `mfp` with `args`, which must succeed, and reads its JSON lines.
pub fn mfp_json(args: &[&str]) -> Vec<serde_json::Value> {
    let out = mfp(args);
    assert!(
        out.status.success(),
        "mfp {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    json_lines(&out)
}
