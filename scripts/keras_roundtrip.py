#!/usr/bin/env python3
"""Round trip through real Keras: train each fixture pipeline with `pipeline run`, export it with
`pipeline export --format keras`, load the file with `keras.models.load_model` (and the run's
model.json with `keras.models.model_from_json`), and compare Keras' predictions with `pipeline predict`
on the same inputs.

Inputs compared:
- IMDB fixtures: every test review of fixtures/aclImdb-mini.tar.gz through `pipeline predict --text`,
  and the run's own encoded test rows (data/x_test.npy) through Keras. The rows are shuffled in the
  prepared file, so the two sets of probabilities are compared sorted (a wrong weight would move
  them apart; both sets have one value per review).
- Weather fixtures: the CSV cut after K rows for several K, through `pipeline predict --csv` (the
  forecast from its last window), and the same window of the run's normalised data/data.npy through
  Keras (rows K-lookback .. K-1, every `step`-th).

Needs Keras 3 with a backend (the environment of ../shared/bench-anchors, or
`python3 -m venv /tmp/kvenv && /tmp/kvenv/bin/pip install 'tensorflow-cpu==2.21.*' 'keras>=3,<4'`).
Usage: /tmp/kvenv/bin/python scripts/keras_roundtrip.py [--pipeline .build/debug/pipeline] [SPEC ...]
Prints one JSON line per spec and a Markdown table (for RESULTS.md).
"""
import argparse, json, os, re, subprocess, sys, tarfile, tempfile, time, warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import keras  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPECS = ["imdb-simplernn", "imdb-lstm", "imdb-gru", "imdb-bilstm", "imdb-stacked-simplernn",
         "jena-dense", "jena-gru", "jena-gru-dropout", "jena-stacked-gru", "jena-bigru", "jena-conv1d-gru"]


def sh(*args):
    r = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({r.returncode}):\n{r.stderr[-2000:]}")
    return r.stdout


def imdb_texts():
    with tarfile.open(os.path.join(ROOT, "fixtures/aclImdb-mini.tar.gz")) as t:
        return [t.extractfile(m).read().decode("utf-8") for m in sorted(t.getmembers(), key=lambda m: m.name)
                if m.isfile() and "/test/" in m.name and m.name.endswith(".txt") and ("/pos/" in m.name or "/neg/" in m.name)]


def spec_value(text, key, default=None):
    """`key: value` from a fixture spec (flat scalars only; the fixtures are simple enough)."""
    m = re.search(rf"^\s*{key}:\s*([^#\n]+)", text, re.M)
    return m.group(1).strip() if m else default


def pipeline_probability(pipeline, run, text):
    out = json.loads(sh(pipeline, "predict", run, "--text", text, "--json").splitlines()[0])
    for key in ("probability_positive", "p_positive", "probability"):
        if key in out:
            return float(out[key])
    sys.exit(f"no probability in {out}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pipeline", default=os.path.join(ROOT, ".build/debug/pipeline"))
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("specs", nargs="*", default=SPECS)
    a = ap.parse_args()
    rows = []
    texts = None
    with tempfile.TemporaryDirectory() as tmp:
        for name in a.specs:
            spec_path = f"pipelines/fixtures/{name}.yaml"
            spec = open(os.path.join(ROOT, spec_path)).read()
            run, model_file = os.path.join(tmp, name), os.path.join(tmp, name + ".keras")
            sh(a.pipeline, "run", spec_path, "--quiet", "--set", f"train.epochs={a.epochs}", "--output", run)
            sh(a.pipeline, "export", run, "--format", "keras", "--output", model_file)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                model = keras.models.load_model(model_file)
            from_json = keras.models.model_from_json(open(os.path.join(run, "model.json")).read())
            assert from_json.count_params() == model.count_params(), (from_json.count_params(), model.count_params())
            if re.search(r"^text:", spec, re.M):
                texts = texts or imdb_texts()
                ours = np.array(sorted(pipeline_probability(a.pipeline, run, t) for t in texts))
                x = np.load(os.path.join(run, "data/x_test.npy"))
                theirs = np.sort(model.predict(x, verbose=0).ravel())
                inputs = f"{len(texts)} test reviews"
            else:
                lookback, step = int(spec_value(spec, "lookback")), int(spec_value(spec, "step", 1))
                data = np.load(os.path.join(run, "data/data.npy"))
                lines = open(os.path.join(ROOT, spec_value(spec, "url").replace("../../", ""))).read().splitlines()
                cuts = np.linspace(lookback + 1, len(lines) - 1, 20).astype(int)
                ours, windows = [], []
                for k in cuts:
                    csv = os.path.join(tmp, "cut.csv")
                    open(csv, "w").write("\n".join(lines[:k + 1]) + "\n")
                    ours.append(json.loads(sh(a.pipeline, "predict", run, "--csv", csv, "--json").splitlines()[0])["normalized"])
                    windows.append(data[k - lookback:k:step])
                ours = np.array(ours)
                theirs = model.predict(np.stack(windows), verbose=0).ravel()
                inputs = f"{len(cuts)} CSV windows"
            diff = np.abs(ours - theirs)
            row = {"spec": name, "params": int(model.count_params()), "inputs": inputs,
                   "max_abs_diff": float(diff.max()), "max_rel_diff": float((diff / np.maximum(np.abs(theirs), 1e-6)).max()),
                   "keras_warnings": [str(w.message)[:120] for w in caught], "file_bytes": os.path.getsize(model_file)}
            print(json.dumps(row), flush=True)
            rows.append(row)
    print(f"\nKeras {keras.__version__} ({keras.backend.backend()} backend), {a.epochs} epochs per fixture, "
          f"{time.strftime('%Y-%m-%d')}\n")
    print("| fixture | parameters | inputs | max abs diff | max rel diff | Keras warnings |")
    print("| --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['spec']} | {r['params']:,} | {r['inputs']} | {r['max_abs_diff']:.2e} | {r['max_rel_diff']:.2e} | "
              f"{len(r['keras_warnings'])} |")


if __name__ == "__main__":
    main()
