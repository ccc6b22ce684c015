use super::*;
use crate::data::features::MAX_FEATURES;
use crate::data::Side;

/// Ratings of users 1..=n_users on items a, b, c.
fn ratings(n_users: usize) -> Ratings {
    let mut text = String::new();
    for u in 1..=n_users {
        for i in ["a", "b", "c"] {
            text.push_str(&format!("{u},{i},{}\n", 1 + (u % 5)));
        }
    }
    read_ratings(text.as_bytes(), &ReadOptions::default())
        .unwrap()
        .0
}

#[test]
fn a_list_file_with_a_header_gives_each_item_its_features_and_skips_unknown_ids() {
    let r = ratings(2);
    let f = read_features(
        b"item,genres\na,Comedy|Drama\nb,Drama\nzz,Horror\nb,Drama|War\n",
        &r,
        Side::Item,
    )
    .unwrap();
    assert_eq!(f.format, "lists");
    assert_eq!((f.matched, f.unmatched), (3, 1));
    let m = &f.matrix;
    assert_eq!(m.row_names(0), ["Comedy", "Drama"]);
    // Two lines for b add up; a repeat counts once.
    assert_eq!(m.row_names(1), ["Drama", "War"]);
    assert!(m.row_names(2).is_empty());
    assert_eq!(m.row(0).1, [1.0 / 3.0, 1.0 / 3.0]);
    assert_eq!(f.columns[0].name, "genres");
    assert_eq!(f.columns[0].distinct, 3);
}

#[test]
fn u_item_and_movies_dat_give_every_genre() {
    let r = ratings(1);
    let line = |id: &str, flags: &str| format!("{id}|T ({id})|01-Jan-1995||url|{flags}\n");
    let text = line("a", "0|0|0|0|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0")
        + &line("b", "1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0");
    let f = read_features(text.as_bytes(), &r, Side::Item).unwrap();
    assert_eq!(f.format, "u.item genres");
    assert_eq!(f.matrix.row_names(0), ["Children's", "Comedy"]);
    assert_eq!(f.matrix.row_names(1), ["unknown"]);
    let f = read_features(b"a::A (1999)::Crime|Drama\nc::C::Comedy\n", &r, Side::Item).unwrap();
    assert_eq!(f.format, "movies.dat genres");
    assert_eq!(f.matrix.row_names(2), ["Comedy"]);
}

#[test]
fn u_user_columns_are_binned_coded_and_the_zip_code_is_skipped() {
    let r = ratings(60);
    let mut text = String::new();
    for u in 1..=60 {
        let sex = if u % 2 == 0 { "M" } else { "F" };
        let job = ["student", "writer", "none"][u % 3];
        text.push_str(&format!("{u}|{}|{sex}|{job}|{}\n", 10 + u, 10_000 + u * 7));
    }
    let f = read_features(text.as_bytes(), &r, Side::User).unwrap();
    assert_eq!(f.format, "u.user");
    let kinds: Vec<(&str, &str)> = f
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("age", "numeric"),
            ("gender", "categorical"),
            ("occupation", "categorical"),
            ("zip", "skipped")
        ]
    );
    assert_eq!(f.columns[0].distinct, 5);
    // User "1" is 11, a woman and a writer: the first age bin holds the 12 youngest.
    assert_eq!(
        f.matrix.row_names(0),
        ["age 11-22", "gender=F", "occupation=writer"]
    );
    assert_eq!(f.matrix.n_features(), 5 + 2 + 3);
}

#[test]
fn bad_feature_files_say_what_and_where() {
    let r = ratings(30);
    let err = |text: String, side| {
        read_features(text.as_bytes(), &r, side)
            .unwrap_err()
            .to_string()
    };
    // A word in a column of numbers.
    let mut text = String::from("user,age\n");
    for u in 1..=30 {
        text.push_str(&format!(
            "{u},{}\n",
            if u == 17 {
                "old".into()
            } else {
                (20 + u).to_string()
            }
        ));
    }
    assert_eq!(
        err(text, Side::User),
        "line 18, column 2: column \"age\" holds numbers, and \"old\" is not one"
    );
    // Ids that match nothing (the users' file given as the items').
    assert_eq!(
        err("1,M\n2,F\n".into(), Side::Item),
        "line 1, column 1: none of the file's 2 ids is one of the ratings' items (the first is \"1\"): \
         is it the users' features?"
    );
    // Too many features.
    let mut text = String::from("a,");
    text.push_str(
        &(0..=MAX_FEATURES)
            .map(|k| format!("t{k}"))
            .collect::<Vec<_>>()
            .join("|"),
    );
    text.push('\n');
    let e = err(text, Side::Item);
    assert!(
        e.starts_with("line 1, column 2: \"t20000\" would be feature 20001"),
        "{e}"
    );
    // One field.
    assert_eq!(
        err("a\n".into(), Side::Item),
        "line 1, column 2: expected an item id and its features: found one field (separated by whitespace)"
    );
    assert!(err(String::new(), Side::Item).contains("has no lines"));
}
