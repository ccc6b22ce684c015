//! LIBMF on a train/test pair of `user,item,rating` CSV files (header line first), timed like
//! `mfp train`: the fit alone. Prints one JSON object: seconds, updates per second, test RMSE.
//!
//! usage: libmf-peer TRAIN TEST FACTORS ITERATIONS LEARNING_RATE LAMBDA

use std::collections::HashMap;
use std::time::Instant;

fn read(path: &str) -> Vec<(String, String, f32)> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut f = l.split(',');
            let (u, i, r) = (f.next(), f.next(), f.next());
            match (u, i, r.and_then(|r| r.trim().parse().ok())) {
                (Some(u), Some(i), Some(r)) => (u.to_string(), i.to_string(), r),
                _ => panic!("{path}: not user,item,rating: {l}"),
            }
        })
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 7 && args.len() != 8 {
        eprintln!("usage: libmf-peer TRAIN TEST FACTORS ITERATIONS LEARNING_RATE LAMBDA [THREADS]");
        std::process::exit(2);
    }
    let num = |i: usize| -> f64 { args[i].parse().expect("a number") };
    let (train, test) = (read(&args[1]), read(&args[2]));
    let (mut users, mut items) = (HashMap::new(), HashMap::new());
    let mut m = libmf::Matrix::with_capacity(train.len());
    for (u, i, r) in &train {
        let n = users.len() as i32;
        let u = *users.entry(u.clone()).or_insert(n);
        let n = items.len() as i32;
        let i = *items.entry(i.clone()).or_insert(n);
        m.push(u, i, *r);
    }
    let mut params = libmf::Model::params();
    params
        .factors(num(3) as i32)
        .iterations(num(4) as i32)
        .learning_rate(num(5) as f32)
        .lambda_p2(num(6) as f32)
        .lambda_q2(num(6) as f32)
        .threads(args.get(7).map_or(1, |t| t.parse().expect("a number of threads")))
        .quiet(true);
    let t0 = Instant::now();
    let model = params.fit(&m).expect("LIBMF fits");
    let seconds = t0.elapsed().as_secs_f64();
    // Predictions clipped to the training data's scale, as mfp and Surprise do.
    let lo = train.iter().map(|t| t.2).fold(f32::INFINITY, f32::min);
    let hi = train.iter().map(|t| t.2).fold(f32::NEG_INFINITY, f32::max);
    let (mut sq, mut n) = (0.0f64, 0usize);
    for (u, i, r) in &test {
        if let (Some(&u), Some(&i)) = (users.get(u), items.get(i)) {
            let e = model.predict(u, i).clamp(lo, hi) - r;
            sq += (e * e) as f64;
            n += 1;
        }
    }
    println!(
        "{{\"seconds\": {seconds}, \"updates_per_second\": {}, \"test_rmse\": {}, \"test_ratings\": {n}}}",
        train.len() as f64 * num(4) / seconds,
        (sq / n.max(1) as f64).sqrt()
    );
}
