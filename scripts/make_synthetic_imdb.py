#!/usr/bin/env python3
"""Writes a synthetic aclImdb archive N times the size of a real one, for the scaling benchmark
of `pipeline prepare` (issue: a 10x archive must take ~10x the time, with peak RSS at most 2x).

Every review of the source archive is written N times, copy k with id `id + k * 1_000_000`
(so ids stay unique) and its text unchanged: the same words per byte as the real data.

    python3 scripts/make_synthetic_imdb.py ../shared/data/aclImdb-train.tar.gz 10 /tmp/aclImdb-x10.tar.gz

The output is written to OUT.part and renamed when complete. Not committed: it is ~145 MB.
"""
import io
import os
import re
import sys
import tarfile

def main() -> None:
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    source, copies, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    name = re.compile(r"^(.*/(?:train|test)/(?:pos|neg)/)(\d+)_(\d+)\.txt$")
    reviews = []
    with tarfile.open(source, "r:gz") as tar:
        for member in tar:
            m = name.match(member.name)
            if member.isfile() and m:
                reviews.append((m.group(1), int(m.group(2)), m.group(3), tar.extractfile(member).read()))
    part = out + ".part"
    with tarfile.open(part, "w:gz", compresslevel=6) as tar:
        for k in range(copies):
            for folder, rid, rating, data in reviews:
                info = tarfile.TarInfo(f"{folder}{rid + k * 1_000_000}_{rating}.txt")
                info.size = len(data)
                info.mode = 0o644
                tar.addfile(info, io.BytesIO(data))
    os.replace(part, out)
    print(f"{out}: {copies} x {len(reviews)} reviews")

if __name__ == "__main__":
    main()
