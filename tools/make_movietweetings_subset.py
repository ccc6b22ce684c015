#!/usr/bin/env python3
"""Derives the playground's built-in movie data set from ../shared/data/movietweetings-100k.

MovieTweetings is very sparse (about 6 ratings per user); a teaching matrix needs density. This
keeps the 150 most-rated movies, then the 300 users with the most ratings among them: about 7,900
ratings, 17% of the matrix filled, ratings 0-10. Output in www/data/movietweetings/:
ratings.dat (user::movie::rating::timestamp, as in the source), movies.dat (movie::title::genres),
LICENSE (MIT, unchanged) and README.md (provenance and the citation).

usage: tools/make_movietweetings_subset.py [SOURCE_DIR]
"""

import os
import sys
from collections import Counter

N_MOVIES, N_USERS = 150, 300
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "data", "movietweetings-100k")
    out = os.path.join(ROOT, "www", "data", "movietweetings")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(src, "ratings.dat"), encoding="utf-8") as f:
        ratings = [line.rstrip("\n").split("::") for line in f if line.strip()]
    movie_count = Counter(r[1] for r in ratings)
    movies = {m for m, _ in movie_count.most_common(N_MOVIES)}
    in_movies = [r for r in ratings if r[1] in movies]
    user_count = Counter(r[0] for r in in_movies)
    users = {u for u, _ in user_count.most_common(N_USERS)}
    kept = sorted((r for r in in_movies if r[0] in users), key=lambda r: (int(r[0]), r[1]))
    with open(os.path.join(out, "ratings.dat"), "w", encoding="utf-8") as f:
        for user, movie, rating, timestamp in kept:
            f.write(f"{user}::{movie}::{rating}::{timestamp}\n")
    with open(os.path.join(src, "movies.dat"), encoding="utf-8") as f:
        titles = [line.rstrip("\n") for line in f if line.split("::", 1)[0] in movies]
    with open(os.path.join(out, "movies.dat"), "w", encoding="utf-8") as f:
        f.write("\n".join(titles) + "\n")
    with open(os.path.join(src, "LICENSE"), encoding="utf-8") as f:
        license_text = f.read()
    with open(os.path.join(out, "LICENSE"), "w", encoding="utf-8") as f:
        f.write(license_text)
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8") as f:
        f.write(
            "# MovieTweetings subset\n\n"
            f"The {N_MOVIES} most-rated movies and the {N_USERS} users with the most ratings among them "
            f"({len(kept)} ratings on a 0-10 scale) from the MovieTweetings 100K snapshot by Simon Dooms "
            "(Ghent University), public repository sidooms/MovieTweetings, commit 4d8280a (2013-09-02), "
            "folder snapshots/100K/. Ids, titles and timestamps (seconds since 1970) are unchanged. "
            "Made by tools/make_movietweetings_subset.py.\n\n"
            "License: MIT (see LICENSE, \"Copyright (c) 2013 Simon Dooms\").\n\n"
            "Please cite: S. Dooms, T. De Pessemier, L. Martens. \"MovieTweetings: a Movie Rating "
            "Dataset Collected From Twitter\", CrowdRec workshop at RecSys 2013.\n"
        )
    print(f"{out}: {len(kept)} ratings, {len(users)} users, {len(titles)} movies")


if __name__ == "__main__":
    main()
