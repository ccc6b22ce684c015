use super::*;

#[test]
fn genres_are_every_one_listed() {
    let (mut r, _) = read_ratings(b"1::a::7\n1::b::8\n", &ReadOptions::default()).unwrap();
    let (n, g) = read_item_metadata(b"a::A (1999)::Crime|Drama\nb::B (2000)::\n", &mut r).unwrap();
    assert_eq!(n, 2);
    assert_eq!(g, vec![vec!["Crime", "Drama"], vec![]]);
    assert_eq!(r.item_label(0), "A (1999)");
}

#[test]
fn an_item_titled_twice_is_an_error_naming_both_lines() {
    // Found by the read_titles fuzz target: the count of titled items went above the items.
    let (mut r, _) = read_ratings(b"1::a::7\n1::b::8\n", &ReadOptions::default()).unwrap();
    let e = read_item_metadata(b"a::A\nb::B\na::Again\n", &mut r).unwrap_err();
    assert_eq!(
        e.to_string(),
        "line 3, column 1: item \"a\" already has a title, on line 1"
    );
}

fn read(text: &str) -> Result<(Ratings, Detected)> {
    read_ratings(text.as_bytes(), &ReadOptions::default())
}

fn err(text: &str) -> String {
    read(text).unwrap_err().to_string()
}

#[test]
fn movielens_formats_are_detected() {
    let (r, d) =
        read("196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t377\t1\t878887116\n").unwrap();
    assert_eq!(
        (d.layout, d.delimiter, d.header),
        (Layout::Triplets, Delimiter::Tab, false)
    );
    assert_eq!((r.n_users(), r.n_items(), r.len()), (3, 3, 3));
    assert_eq!(r.feedback(), Feedback::Explicit);
    let (r, d) = read("1::1074638::7::1365029107\n1::1853728::8::1366576639\n").unwrap();
    assert_eq!(d.delimiter, Delimiter::DoubleColon);
    assert_eq!(r.item_ids(), &["1074638", "1853728"]);
}

#[test]
fn headers_and_whitespace_and_two_column_interactions() {
    let (r, d) =
        read("userId,movieId,rating,timestamp\n1,31,2.5,1260759144\n1,1029,3.0,1260759179\n")
            .unwrap();
    assert!(d.header);
    assert_eq!(r.values(), &[2.5, 3.0]);
    let (r, d) = read("a x 5\nb  y 4\n").unwrap();
    assert_eq!(d.delimiter, Delimiter::Whitespace);
    assert_eq!(r.len(), 2);
    let (r, _) = read("user,item\nann,heat\nann,up\nbob,heat\n").unwrap();
    assert_eq!(r.feedback(), Feedback::Implicit);
    assert_eq!(r.values(), &[1.0, 1.0, 1.0]);
}

#[test]
fn dense_matrix_with_missing_cells_and_labels() {
    let text = "user,Heat,Up,Alien\nann,5,,3\nbob,?,4,NA\ncy,1,NaN,2\n";
    let (r, d) = read(text).unwrap();
    assert_eq!((d.layout, d.header), (Layout::Dense, true));
    assert_eq!((r.n_users(), r.n_items(), r.len()), (3, 3, 5));
    assert_eq!(r.user_ids(), &["ann", "bob", "cy"]);
    assert_eq!(r.item_ids(), &["Heat", "Up", "Alien"]);
    let dense = r.to_dense();
    assert_eq!(dense[0], 5.0);
    assert!(dense[1].is_nan());
    assert_eq!(dense[4], 4.0);
}

#[test]
fn dense_zero_one_matrix_reads_zero_as_value_or_as_missing() {
    let text = "1 0 1 0 0 0\n0 1 0 1 0 0\n1 0 1 0 1 0\n";
    let (r, d) = read(text).unwrap();
    assert_eq!(d.layout, Layout::Dense);
    assert_eq!((r.len(), r.feedback()), (18, Feedback::Implicit));
    let opts = ReadOptions {
        zero_is_missing: true,
        ..Default::default()
    };
    let (r, _) = read_ratings(text.as_bytes(), &opts).unwrap();
    assert_eq!(r.len(), 7);
    assert_eq!((r.n_users(), r.n_items()), (3, 6));
}

#[test]
fn preview_shows_the_first_rows_split() {
    let text = b"user,item,rating\na,x,5\nb,y,3\n";
    let (_, d) = read_ratings(text, &ReadOptions::default()).unwrap();
    let rows = preview_rows(text, &d, 2);
    assert_eq!(
        rows,
        vec![vec!["user", "item", "rating"], vec!["a", "x", "5"]]
    );
}

#[test]
fn implicit_threshold_binarises() {
    let opts = ReadOptions {
        implicit_threshold: Some(4.0),
        ..Default::default()
    };
    let (r, _) = read_ratings(b"a,x,5\na,y,3\nb,x,4\n", &opts).unwrap();
    assert_eq!(r.feedback(), Feedback::Implicit);
    assert_eq!(r.values(), &[1.0, 0.0, 1.0]);
}

#[test]
fn errors_name_line_column_and_problem() {
    assert_eq!(
        err("a,x,5\nb,y,abc\n"),
        "line 2, column 3: rating \"abc\" is not a number"
    );
    assert_eq!(
        err("a,x,5\nb,y,inf\n"),
        "line 2, column 3: rating \"inf\" is not a finite number"
    );
    assert_eq!(
        err("a,x,5\nb,y,NaN\n"),
        "line 2, column 3: rating \"NaN\" is not a finite number"
    );
    assert_eq!(
        err("a,x,5\nb,y\n"),
        "line 2, column 3: found 2 fields where earlier lines have 3"
    );
    assert_eq!(
        err("a,x,5\n,y,3\n"),
        "line 2, column 1: the user id is empty"
    );
    assert_eq!(
        err("a,x,5\nb,y,4\na,x,2\n"),
        "line 3, column 3: user \"a\" already rated item \"x\" on line 1"
    );
    assert_eq!(
        err("# comment\n\na,x,5\n\"b,y,4\n"),
        "line 4, column 1: a quoted field is not closed on this line"
    );
    assert!(err("").contains("empty"));
    assert!(
        err("user,item,rating\n").contains("header but no ratings"),
        "{}",
        err("user,item,rating\n")
    );
    assert_eq!(
        err("1,2,3,4,5\n1,2,3\n"),
        "line 2, column 4: row has 3 cells, the first row has 5"
    );
}

#[test]
fn declared_scale_names_the_cell() {
    let opts = ReadOptions {
        scale: Some(Scale { min: 1.0, max: 5.0 }),
        ..Default::default()
    };
    let e = read_ratings(b"a,x,5\nb,x,6\n", &opts).unwrap_err();
    assert_eq!(
        e.to_string(),
        "line 2, column 3: rating 6 is outside the declared scale 1..5"
    );
}

#[test]
fn duplicates_follow_the_policy() {
    let opts = ReadOptions {
        duplicates: DuplicatePolicy::Mean,
        ..Default::default()
    };
    let (r, _) = read_ratings(b"a,x,5\na,x,3\n", &opts).unwrap();
    assert_eq!(r.values(), &[4.0]);
}

#[test]
fn titles_from_movies_dat_and_u_item_latin1() {
    let (mut r, _) = read("1::0004936::7::1\n1::0005078::8::2\n").unwrap();
    let n = read_item_titles(
        b"0004936::The Bank (1915)::Comedy|Short\n0009999::Other::Drama\n",
        &mut r,
    )
    .unwrap();
    assert_eq!(n, 1);
    assert_eq!(r.item_label(0), "The Bank (1915)");
    assert_eq!(r.item_label(1), "0005078");
    let (mut r, _) = read("1\t1\t5\n1\t2\t3\n").unwrap();
    read_item_titles(
        b"1|Toy Story (1995)|01-Jan-1995\n2|Am\xe9lie (2001)|x\n",
        &mut r,
    )
    .unwrap();
    assert_eq!(r.item_label(1), "Amélie (2001)");
}

#[test]
fn u_item_genres_come_from_its_19_flags_not_the_release_date() {
    let (mut r, _) = read("1\t242\t5\n1\t302\t3\n2\t377\t4\n2\t1\t4\n").unwrap();
    let u_item = "242|Kolya (1996)|24-Jan-1997||http://us.imdb.com/M/title-exact?Kolya%20(1996)|0|0|0|0|0|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n\
                  302|L.A. Confidential (1997)|01-Jan-1997||http://us.imdb.com/M/title-exact?L%2EA%2E+Confidential+(1997)|0|0|0|0|0|0|1|0|0|0|1|0|0|1|0|0|1|0|0\n\
                  377|Heavyweights (1994)|01-Jan-1994||http://us.imdb.com/M/title-exact?Heavyweights%20(1994)|0|0|0|0|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n\
                  1|Toy Story (1995)|01-Jan-1995||url|1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0\n";
    let (n, g) = read_item_metadata(u_item.as_bytes(), &mut r).unwrap();
    assert_eq!(n, 4);
    assert_eq!(r.item_label(1), "L.A. Confidential (1997)");
    // Kolya: Comedy; L.A. Confidential: Crime, Film-Noir, Mystery, Thriller; Heavyweights:
    // Children's and Comedy; an item flagged "unknown" alone is "unknown".
    assert_eq!(
        g,
        [
            vec!["Comedy"],
            vec!["Crime", "Film-Noir", "Mystery", "Thriller"],
            vec!["Children's", "Comedy"],
            vec!["unknown"]
        ]
    );
    // A flag that is neither 0 nor 1 is named with its line and column.
    let (mut r, _) = read("1\t242\t5\n").unwrap();
    let bad = "242|Kolya (1996)|24-Jan-1997||url|0|0|0|0|0|2|0|0|0|0|0|0|0|0|0|0|0|0|0\n";
    let e = read_item_metadata(bad.as_bytes(), &mut r).unwrap_err();
    assert_eq!(
        e.to_string(),
        "line 1, column 11: a genre flag of u.item is 0 or 1, not \"2\""
    );
}

#[test]
fn a_fourth_column_of_times_is_read_and_one_of_words_is_ignored() {
    let (r, d) =
        read("196\t242\t3\t881250949\n186\t302\t3\t891717742\n196\t302\t1\t878887116\n").unwrap();
    assert!(d.timestamps);
    assert_eq!(r.times(), Some(&[881250949, 891717742, 878887116][..]));
    let (r, d) = read("user,item,rating,when\na,x,4,2015-03-01\nb,x,5,2015-03-02 10:00\n").unwrap();
    assert!(d.timestamps);
    assert_eq!(
        r.times().unwrap()[1] - r.times().unwrap()[0],
        86_400 + 36_000
    );
    let (r, d) = read("a,x,4,comedy\nb,x,5,drama\n").unwrap();
    assert!(!d.timestamps);
    assert_eq!((r.times(), r.len()), (None, 2));
    let (r, d) = read("a,x,4\nb,x,5\n").unwrap();
    assert_eq!((d.timestamps, r.times()), (false, None));
}

#[test]
fn a_time_that_is_not_one_is_named_by_line_and_column() {
    assert_eq!(
        err("a,x,4,881250949\nb,x,5,yesterday\n"),
        "line 2, column 4: timestamp \"yesterday\" is not a time: earlier lines give seconds \
         since 1970 or a date such as 2015-03-01 14:30"
    );
}

#[test]
fn times_survive_csv_and_duplicates_keep_the_later_time() {
    let (r, _) = read("a,x,4,100\nb,x,5,200\na,y,3,50\n").unwrap();
    let (back, _) = read(&r.to_csv()).unwrap();
    assert_eq!(back, r);
    let opts = ReadOptions {
        duplicates: DuplicatePolicy::KeepLast,
        ..ReadOptions::default()
    };
    let (r, _) = read_ratings(b"a,x,4,100\na,x,2,300\nb,x,1,5\n", &opts).unwrap();
    assert_eq!((r.values()[0], r.times().unwrap()[0]), (2.0, 300));
}
