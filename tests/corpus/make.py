#!/usr/bin/env python3
"""Writes the bad-input corpus (tests/corpus/bad/) and its manifest (tests/corpus/expected.tsv).

Each entry: a file, the read options a user would set (`-` for none), and the line, column
and words the error message must have. The native test (tests/corpus.rs) reads every file with
the engine and with `mfp train`; the browser test (tests/e2e/corpus.test.mjs) loads every file
into the page. Rerun this after changing an entry; the files are committed.
"""
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
BAD = os.path.join(HERE, "bad")

entries = []


def add(name, data, line, column, words, options="-"):
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(BAD, name), "wb") as f:
        f.write(data)
    entries.append((name, options, line, column, words))


H = "user,item,rating\n"
add("01-semicolons-in-a-comma-file.csv", H + "ann,heat,4\nbob;heat;5\n", 3, 2, "found 1 field where earlier lines have 3")
add("02-ragged-short-row.csv", "ann,heat,4\nbob,heat\n", 2, 3, "found 2 fields where earlier lines have 3")
add("03-ragged-long-row.csv", "ann,heat,4\nbob,heat,5,999,extra\n", 2, 4, "found 5 fields where earlier lines have 3")
add("04-unclosed-quote.csv", 'ann,"heat,4\n', 1, 2, "quote")
add("05-quoted-fields-bad-rating.csv", '"ann","The Heat, 2013","4"\n"bob","Up","five"\n', 2, 3, 'rating "five" is not a number')
add("06-utf8-bom-bad-rating.csv", b"\xef\xbb\xbf" + (H + "ann,heat,4\nbob,heat,x\n").encode(), 3, 3, 'rating "x" is not a number')
add("07-utf16le-bad-rating.csv", b"\xff\xfe" + (H + "ann,heat,4\nbob,heat,x\n").encode("utf-16-le"), 3, 3, 'rating "x" is not a number')
add("08-utf16be-bad-rating.csv", b"\xfe\xff" + (H + "ann,heat,4\nbob,heat,x\n").encode("utf-16-be"), 3, 3, 'rating "x" is not a number')
add("09-utf16-without-bom.csv", (H + "ann,heat,4\n").encode("utf-16-le"), 1, 1, "NUL character")
add("10-latin1-bad-rating.csv", "ann,café,4\nbob,crème brûlée,high\n".encode("latin-1"), 2, 3, 'rating "high" is not a number')
add("11-nan-rating.csv", "ann,heat,4\nbob,heat,NaN\n", 2, 3, "not a finite number")
add("12-infinite-rating.csv", "ann,heat,inf\n", 1, 3, "not a finite number")
add("13-minus-infinity.csv", "ann,heat,4\nbob,heat,-infinity\n", 2, 3, "not a finite number")
add("14-huge-number.csv", "ann,heat,4\nbob,heat,1e40\n", 2, 3, "too large")
add("15-negative-below-scale.csv", "ann,heat,4\nbob,heat,-3\n", 2, 3, "outside the declared scale 1..5", "scale=1..5")
add("16-rating-above-scale.csv", "ann,heat,4\nbob,up,5\ncid,up,50\n", 3, 3, "outside the declared scale 1..5", "scale=1..5")
add("17-duplicate-pair.csv", "ann,heat,4\nbob,heat,3\nann,heat,5\n", 3, 3, 'user "ann" already rated item "heat" on line 1')
add("18-empty.csv", b"", 1, 1, "the file is empty")
add("19-header-only.csv", H, 2, 1, "header but no ratings")
add("20-blank-lines-only.csv", "\n   \n\t\n", 4, 1, "no lines with data")
add("21-comments-only.csv", "# my ratings\n# none yet\n", 3, 1, "no lines with data")
add("22-one-row-one-field.csv", "ann\n", 1, 2, "found 1 field")
random.seed(7)
junk = bytes(random.randrange(256) for _ in range(4096))
add("23-binary-junk.bin", b"\x00\x01" + junk, 1, 1, "NUL character")
add("24-png-image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00", 3, 1, "NUL character")
add("25-very-long-line.csv", "ann,heat,4\nbob,heat,3\ncid,up,5\ndee,up,2\n" + "x" * 300_000 + "\n", 5, 2, "found 1 field where earlier lines have 3")
add("26-html-in-ids.csv", '<img src=x onerror="window.__pwned=1">,heat,4\n<script>window.__pwned=2</script>,heat,oops\n', 2, 3, 'rating "oops" is not a number')
add("27-script-in-rating.csv", "ann,heat,<script>window.__pwned=3</script>\n", 1, 3, "is not a number")
add("28-empty-user-id.csv", "ann,heat,4\n,heat,4\n", 2, 1, "the user id is empty")
add("29-empty-item-id.csv", "ann,heat,4\nbob,,4\n", 2, 2, "the item id is empty")
add("30-empty-rating.csv", "ann,heat,4\nbob,heat,\n", 2, 3, "the rating is empty")
add("31-dense-ragged-row.csv", ",heat,up,jaws\nann,4,,5\nbob,3,2\n", 3, 4, "row has 3 cells, the first row has 4")
add("32-dense-bad-cell.csv", ",heat,up,jaws\nann,4,,5\nbob,3,abc,1\n", 3, 3, 'rating "abc" is not a number')
add("33-dense-header-only.csv", "heat,up,jaws,alien,brazil\n", 2, 1, "header row but no rows", "layout=dense")
add("34-decimal-comma.csv", "ann;heat;4,5\n", 1, 3, "write decimals with a point")
add("35-rating-with-units.csv", "ann,heat,4 stars\n", 1, 3, 'rating "4 stars" is not a number')
add("36-hex-rating.csv", "ann,heat,0x10\n", 1, 3, "is not a number")
add("37-old-mac-line-endings.csv", "ann,heat,4\rbob,heat,5\rcid,heat,x\r", 3, 3, 'rating "x" is not a number')
add("38-nul-in-an-id.csv", "ann,heat,4\nbob,he\x00at,5\n", 2, 2, "NUL character")
add("39-very-long-id.csv", "ann,heat,4\n" + "b" * 5000 + ",heat,3\n", 2, 1, "5000 characters long")
add("40-no-final-newline.csv", "ann,heat,4\nbob,heat,5x", 2, 3, 'rating "5x" is not a number')
add("41-whitespace-ragged.txt", "ann heat 4\nbob heat\n", 2, 3, "found 2 fields where earlier lines have 3")
add("42-movielens-dat-bad.dat", "1::10::4::978300760\n2::10::five::978300761\n", 2, 3, 'rating "five" is not a number')
add("43-pipe-ragged.txt", "ann|heat|4\nbob|heat|4|5|6\n", 2, 4, "found 5 fields where earlier lines have 3")
add("44-implicit-not-0-or-1.csv", "ann,heat,1\nbob,heat,0\ncid,up,2\n", 3, 3, "not 0 or 1", "feedback=implicit")
add("45-all-cells-missing.csv", ",heat,up,jaws\nann,,,\nbob,?,NA,\n", 2, 2, "every cell of the matrix is missing", "layout=dense")
add("46-dense-duplicate-item-names.csv", "user,heat,up,heat\nann,4,3,5\n", 1, 4, 'item "heat" names columns 2 and 4', "layout=dense")

with open(os.path.join(HERE, "expected.tsv"), "w") as f:
    f.write("# file\toptions\tline\tcolumn\tthe message has\n")
    for e in entries:
        f.write("\t".join(str(x) for x in e) + "\n")
print(f"{len(entries)} files")
