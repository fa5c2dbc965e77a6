#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ (address sanitizer on) and runs one or all of them.
#
#   scripts/fuzz.sh                 # every target, 600 s each
#   scripts/fuzz.sh FuzzCSV 60      # one target, 60 s
#
# Seeds come from the repository (fixtures, pipelines) into Fuzz/.work/<target>/seeds; the
# growing corpus is Fuzz/.work/<target>/corpus and crashes land in Fuzz/.work/<target>/
# (crash-*, with the input that triggered them). Add each crash as a regression test.
# Leak detection is off: the Swift runtime caches metadata and the async readers allocate on
# other threads, which LeakSanitizer would re-scan the heap for after every input.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(${1:-FuzzCSV FuzzTokenizer FuzzSpec FuzzArchive})
seconds=${2:-600}
swift build --package-path Fuzz -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld --scratch-path Fuzz/.build

seed() {  # target dir
    local t=$1 d=$2
    mkdir -p "$d"
    case $t in
    FuzzCSV)
        head -c 3000 fixtures/jena-mini.csv > "$d/jena.csv"
        printf 'a,b\r\n1,2\r\n"3",-9999\r\n' > "$d/crlf.csv"
        printf '\xef\xbb\xbf"x";"y"\n1;NA\n2;3\n' > "$d/bom.csv"
        printf 'Date Time,T\n01.01.2009 00:10:00,1\n01.01.2009 00:20:00,\n01.01.2009 00:40:00,3\n' > "$d/gap.csv" ;;
    FuzzTokenizer)
        printf 'This movie was <br /><br />GREAT!!! 10/10, would watch again.' > "$d/review.txt"
        printf 'caf\xc3\xa9 \xc4\xb0stanbul \xff\xfe broken' > "$d/utf8.txt" ;;
    FuzzSpec)
        cp pipelines/*.yaml "$d/" ;;
    FuzzArchive)
        python3 - "$d" <<'PY'
import io, sys, tarfile, gzip, zipfile
d = sys.argv[1]
def tar(entries):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w") as t:
        for name, data in entries:
            i = tarfile.TarInfo(name); i.size = len(data); t.addfile(i, io.BytesIO(data))
    return b.getvalue()
t = tar([("aclImdb/train/pos/1_9.txt", b"great film"), ("aclImdb/train/neg/2_1.txt", b"bad"), ("../evil.txt", b"x")])
open(f"{d}/small.tar", "wb").write(t)
open(f"{d}/small.tar.gz", "wb").write(gzip.compress(t, mtime=0))
z = io.BytesIO()
with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as f:
    f.writestr("jena.csv", "a,b\n1,2\n")
open(f"{d}/small.zip", "wb").write(z.getvalue())
PY
        ;;
    esac
}

for t in "${targets[@]}"; do
    work=Fuzz/.work/$t
    seed "$t" "$work/seeds"
    mkdir -p "$work/corpus"
    echo "== $t for ${seconds}s"
    (cd "$work" && "$OLDPWD/Fuzz/.build/debug/$t" -max_total_time="$seconds" -print_final_stats=1 \
        -timeout=20 -rss_limit_mb=2048 -detect_leaks=0 corpus seeds 2>&1 | tail -25) | tee "$work/last-run.txt"
done
