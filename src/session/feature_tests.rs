//! Features in the session: a features file read for the loaded data and shown in its summary,
//! a bad one changing nothing, and a hybrid model that carries its features in its file.

use super::*;
use crate::data::Side;
use crate::train::{Family, TrainParams};

/// 12 users of two tastes rating 8 films of two genres.
fn films() -> Session {
    let mut text = String::new();
    for u in 1..=12 {
        for i in 1..=8 {
            let fan = (u % 2 == 0) == (i % 2 == 0);
            if (u + i) % 3 != 0 {
                text.push_str(&format!("{u},{i},{}\n", if fan { 5 } else { 1 }));
            }
        }
    }
    let mut s = Session::new(Limits::PAGE, None);
    s.load_bytes(text.as_bytes(), &ReadOptions::default(), None)
        .unwrap();
    s
}

fn genres() -> &'static [u8] {
    b"film,genres\n1,Drama\n2,Comedy\n3,Drama|War\n4,Comedy\n5,Drama\n6,Comedy|Romance\n7,Drama\n8,Comedy\n"
}

#[test]
fn a_features_file_shows_in_the_summary_and_a_bad_one_changes_nothing() {
    let mut s = films();
    let r = s.set_features(Side::Item, Some(genres())).unwrap();
    assert_eq!(r.format, "lists");
    assert_eq!((r.matched, r.unmatched), (8, 0));
    let f = r.summary.features.item.clone().unwrap();
    assert_eq!((f.rows_with, f.n_features), (8, 4));
    assert_eq!(
        f.top[..2],
        [("Drama".to_string(), 4), ("Comedy".to_string(), 4)]
    );
    let three = r.preview.iter().find(|(id, _)| id == "3").unwrap();
    assert_eq!(three.1, ["Drama", "War"]);
    // A bad file: the error, and the features as they were.
    let ages: String = (1..=12)
        .map(|u| {
            format!(
                "{u},{}\n",
                if u == 5 {
                    "old".into()
                } else {
                    (20 + u).to_string()
                }
            )
        })
        .collect();
    let e = s
        .set_features(Side::User, Some(format!("user,age\n{ages}").as_bytes()))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "line 6, column 2: column \"age\" holds numbers, and \"old\" is not one"
    );
    assert!(s.data_ref().unwrap().features(Side::User).is_none());
    assert_eq!(
        s.data_ref()
            .unwrap()
            .features(Side::Item)
            .unwrap()
            .n_features(),
        4
    );
    // Taken away.
    let r = s.set_features(Side::Item, None).unwrap();
    assert!(r.summary.features.item.is_none());
}

#[test]
fn a_hybrid_model_file_brings_its_features_to_data_without_them() {
    let mut s = films();
    s.set_features(Side::Item, Some(genres())).unwrap();
    let p = TrainParams {
        family: Family::Hybrid,
        ..TrainParams::new(2).learning_rate(0.05).n_epochs(10)
    };
    s.configure(p.clone(), 0.2).unwrap();
    s.train_epochs(10).unwrap();
    let json = s.export_model("films").unwrap();
    let before = s.predicted_matrix().unwrap();
    // The same ratings without features: the hybrid cannot be made, until its file brings them.
    let mut other = films();
    let e = other.configure(p.clone(), 0.2).unwrap_err();
    assert!(e.to_string().contains("needs features"), "{e}");
    let (params, epoch) = other.import_model(&json, 0.2).unwrap();
    assert_eq!((params.family, epoch), (Family::Hybrid, 10));
    assert_eq!(other.predicted_matrix().unwrap(), before);
    let mut names = other
        .data_ref()
        .unwrap()
        .features(Side::Item)
        .unwrap()
        .names()
        .to_vec();
    names.sort();
    assert_eq!(names, ["Comedy", "Drama", "Romance", "War"]);
    other.train_epochs(1).unwrap();
}

#[test]
fn a_network_with_features_as_inputs_shows_them_on_its_map() {
    let mut s = films();
    s.set_features(Side::Item, Some(genres())).unwrap();
    let p = TrainParams {
        use_features: true,
        n_factors: 4,
        loss: crate::train::Loss::Squared,
        negatives: 0,
        ..TrainParams::for_family(Family::Gmf)
    };
    s.configure(p, 0.2).unwrap();
    s.train_epochs(3).unwrap();
    let map = s.embeddings(None).unwrap();
    assert_eq!(map.table, "gmf");
    let mut names = map.item_features.unwrap().names;
    names.sort();
    assert_eq!(names, ["Comedy", "Drama", "Romance", "War"]);
    assert!(map.user_features.is_none());
}

#[test]
fn a_new_item_with_one_feature_lands_on_that_features_point() {
    let mut s = films();
    s.set_features(Side::Item, Some(genres())).unwrap();
    s.set_holdout(crate::data::split::Holdout::ColdItems)
        .unwrap();
    let p = TrainParams {
        n_factors: 2,
        ..TrainParams::for_family(Family::Hybrid)
    };
    s.configure(p, 0.4).unwrap();
    s.train_epochs(5).unwrap();
    let train = s.fit().unwrap().trainer.data().clone();
    let rated = train.has_ratings(Side::Item);
    let features = train.features(Side::Item).unwrap().clone();
    let map = s.embeddings(None).unwrap();
    let points = map.item_features.unwrap();
    let mut checked = 0;
    for i in (0..train.n_items()).filter(|&i| !rated[i]) {
        let (cols, _) = features.row(i);
        if cols.len() != 1 {
            continue;
        }
        let name = &features.names()[cols[0] as usize];
        let at = points.names.iter().position(|n| n == name).unwrap();
        let (x, y) = (map.items.coords[2 * i], map.items.coords[2 * i + 1]);
        let (fx, fy) = (points.coords[2 * at], points.coords[2 * at + 1]);
        assert!(
            (x - fx).abs() < 1e-5 && (y - fy).abs() < 1e-5,
            "{name}: ({x}, {y}) vs ({fx}, {fy})"
        );
        checked += 1;
    }
    assert!(checked > 0, "a new item with one feature");
}
