use super::*;

#[test]
fn dense_matrix_keeps_shape_and_missing_cells() {
    let r = Ratings::from_dense(
        &[
            vec![Some(5.0), None],
            vec![None, Some(1.0)],
            vec![None, None],
        ],
        Feedback::Explicit,
    )
    .unwrap();
    assert_eq!((r.n_users(), r.n_items(), r.len()), (3, 2, 2));
    let d = r.to_dense();
    assert_eq!(d[0], 5.0);
    assert!(d[1].is_nan());
    assert_eq!(d[3], 1.0);
    assert_eq!(r.scale(), Scale { min: 1.0, max: 5.0 });
    assert!((r.density() - 2.0 / 6.0).abs() < 1e-12);
}

#[test]
fn ragged_dense_matrix_names_the_row() {
    let e =
        Ratings::from_dense(&[vec![Some(1.0), None], vec![None]], Feedback::Explicit).unwrap_err();
    assert_eq!(e.code(), "parse_error");
    assert!(e.to_string().starts_with("line 2, column 2"), "{e}");
}

#[test]
fn duplicate_pair_is_rejected_with_both_ids() {
    let mut b = RatingsBuilder::new(Feedback::Explicit);
    b.push("u", "i", 1.0).unwrap();
    let e = b.push("u", "i", 2.0).unwrap_err();
    assert!(
        e.to_string().contains("\"u\" already rated item \"i\""),
        "{e}"
    );
}

#[test]
fn duplicate_policies_keep_first_last_or_mean() {
    let build = |policy| {
        let mut b = RatingsBuilder::new(Feedback::Explicit).duplicates(policy);
        for v in [1.0, 2.0, 4.5] {
            b.push("u", "i", v).unwrap();
        }
        b.push("u", "j", 3.0).unwrap();
        b.build().unwrap()
    };
    assert_eq!(build(DuplicatePolicy::KeepFirst).values(), &[1.0, 3.0]);
    assert_eq!(build(DuplicatePolicy::KeepLast).values(), &[4.5, 3.0]);
    assert_eq!(build(DuplicatePolicy::Mean).values(), &[2.5, 3.0]);
}

#[test]
fn declared_scale_is_enforced() {
    let mut b = RatingsBuilder::new(Feedback::Explicit).scale(1.0, 5.0);
    b.push("u", "i", 6.0).unwrap();
    let e = b.build().unwrap_err();
    assert!(
        e.to_string().contains("outside the declared scale 1..5"),
        "{e}"
    );
}

#[test]
fn implicit_values_must_be_binary() {
    let mut b = RatingsBuilder::new(Feedback::Implicit);
    b.push("u", "i", 0.5).unwrap();
    assert_eq!(b.build().unwrap_err().code(), "invalid_param");
}

#[test]
fn empty_and_non_finite_are_rejected() {
    assert_eq!(
        RatingsBuilder::new(Feedback::Explicit)
            .build()
            .unwrap_err()
            .code(),
        "empty_dataset"
    );
    let mut b = RatingsBuilder::new(Feedback::Explicit);
    assert!(b.push("u", "i", f32::NAN).is_err());
}

#[test]
fn align_reindexes_and_drops_unknown_ids() {
    let mut b = RatingsBuilder::new(Feedback::Explicit);
    b.push("a", "x", 1.0).unwrap();
    b.push("b", "y", 2.0).unwrap();
    let train = b.build().unwrap();
    let mut b = RatingsBuilder::new(Feedback::Explicit);
    b.push("b", "x", 3.0).unwrap();
    b.push("z", "x", 4.0).unwrap();
    let (test, dropped) = train.align(&b.build().unwrap());
    assert_eq!(dropped, 1);
    assert_eq!(test.get(0), (1, 0, 3.0));
    assert_eq!(test.n_users(), 2);
}

#[test]
fn cells_can_be_added_changed_and_removed() {
    let r = Ratings::from_dense(
        &[vec![Some(5.0), None], vec![None, Some(1.0)]],
        Feedback::Explicit,
    )
    .unwrap();
    let added = r.with_cell(0, 1, Some(3.0)).unwrap();
    assert_eq!(added.len(), 3);
    assert_eq!(added.to_dense()[1], 3.0);
    let changed = added.with_cell(0, 0, Some(2.0)).unwrap();
    assert_eq!(changed.to_dense()[0], 2.0);
    let removed = changed.with_cell(1, 1, None).unwrap();
    assert!(removed.to_dense()[3].is_nan());
    assert_eq!(
        r.with_cell(5, 0, Some(1.0)).unwrap_err().code(),
        "out_of_range"
    );
    assert_eq!(
        r.with_cell(0, 0, Some(f32::NAN)).unwrap_err().code(),
        "invalid_param"
    );
    let one = Ratings::from_dense(&[vec![Some(1.0)]], Feedback::Implicit).unwrap();
    assert_eq!(
        one.with_cell(0, 0, None).unwrap_err().code(),
        "empty_dataset"
    );
    assert_eq!(
        one.with_cell(0, 0, Some(0.5)).unwrap_err().code(),
        "invalid_param"
    );
}

#[test]
fn csv_round_trips_through_the_reader() {
    let mut b = RatingsBuilder::new(Feedback::Explicit);
    b.push("ann", "Heat, The", 4.5).unwrap();
    b.push("b\"ob", "Up", 2.0).unwrap();
    let r = b.build().unwrap();
    let (back, _) =
        parse::read_ratings(r.to_csv().as_bytes(), &parse::ReadOptions::default()).unwrap();
    assert_eq!(back.user_ids(), r.user_ids());
    assert_eq!(back.item_ids(), r.item_ids());
    assert_eq!(back.values(), r.values());
}

#[test]
fn labels_default_to_ids() {
    let mut b = RatingsBuilder::new(Feedback::Explicit);
    b.push("u", "tt1", 3.0).unwrap();
    b.push("u", "tt2", 4.0).unwrap();
    b.label_item("tt2", "Heat (1995)");
    let r = b.build().unwrap();
    assert_eq!(r.item_label(0), "tt1");
    assert_eq!(r.item_label(1), "Heat (1995)");
}

#[test]
fn the_fingerprint_follows_the_ratings() {
    use crate::data::parse::{read_ratings, ReadOptions};
    let read = |t: &str| {
        read_ratings(t.as_bytes(), &ReadOptions::default())
            .unwrap()
            .0
    };
    let a = read("u1,i1,5\nu1,i2,3\nu2,i1,4\n");
    assert_eq!(
        a.fingerprint(),
        read("u1,i1,5\nu1,i2,3\nu2,i1,4\n").fingerprint()
    );
    assert!(a.fingerprint().starts_with("3-"));
    assert_eq!(a.fingerprint().len(), 2 + 16);
    // One value, one id or the order changed: another fingerprint.
    for other in [
        "u1,i1,5\nu1,i2,2\nu2,i1,4\n",
        "u1,i1,5\nu1,i3,3\nu2,i1,4\n",
        "u1,i2,3\nu1,i1,5\nu2,i1,4\n",
    ] {
        assert_ne!(a.fingerprint(), read(other).fingerprint(), "{other}");
    }
}

#[test]
fn leave_one_out_holds_out_one_interaction_per_user_and_never_a_stored_zero() {
    let mut b = RatingsBuilder::new(Feedback::Implicit);
    for u in 0..30 {
        for i in 0..20 {
            // User u has (u % 4) ones and zeros elsewhere on even items.
            let v = if i < u % 4 { 1.0 } else { 0.0 };
            if i < u % 4 || i % 2 == 0 {
                b.push(&format!("u{u}"), &format!("i{i}"), v).unwrap();
            }
        }
    }
    let data = b.build().unwrap();
    let s = crate::data::split::leave_one_out(&data, 9).unwrap();
    assert_eq!(s.train.len() + s.test.len(), data.len());
    let mut held = vec![0; data.n_users()];
    for k in 0..s.test.len() {
        let (u, _, v) = s.test.get(k);
        assert_eq!(v, 1.0, "a stored 0 was held out");
        held[u] += 1;
    }
    for (u, &h) in held.iter().enumerate() {
        let ones = (0..data.len())
            .filter(|&k| data.get(k).0 == u && data.get(k).2 == 1.0)
            .count();
        assert_eq!(h, usize::from(ones >= 2), "user {u} with {ones} ones");
    }
}
