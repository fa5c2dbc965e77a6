"""Golden cases for PipelineText's padSequences: keras.utils.pad_sequences itself.

Run with the Keras venv:
    ~/.cache/anchors-venv/bin/python scripts/goldens/text_pad_sequences.py
Writes Tests/PipelineTextTests/Golden/text_pad_sequences.json: a list of
{sequences, maxlen, padding, truncating, value, expected} with expected as a list of rows.
"""
import json
import os
import pathlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np  # noqa: E402
import keras  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests/PipelineTextTests/Golden/text_pad_sequences.json"


def case(seqs, **kw):
    out = keras.utils.pad_sequences(seqs, **kw)
    assert out.dtype == np.int32
    return {"sequences": seqs, "maxlen": kw.get("maxlen"), "padding": kw.get("padding", "pre"),
            "truncating": kw.get("truncating", "pre"), "value": int(kw.get("value", 0)),
            "expected": out.tolist(), "shape": list(out.shape)}


cases = []
doc = [[1], [2, 3], [4, 5, 6]]            # the docstring examples
cases += [case(doc), case(doc, value=-1), case(doc, padding="post"), case(doc, maxlen=2)]
rng = np.random.RandomState(20240611)
for _ in range(60):
    n = int(rng.randint(1, 7))
    seqs = [[int(v) for v in rng.randint(1, 1000, size=int(rng.randint(0, 9)))] for _ in range(n)]
    maxlen = [None, 1, 3, 5, 8, 12][int(rng.randint(0, 6))]
    if maxlen is None and all(len(s) == 0 for s in seqs):
        seqs[0] = [7]
    cases.append(case(seqs, maxlen=maxlen, padding=["pre", "post"][int(rng.randint(0, 2))],
                      truncating=["pre", "post"][int(rng.randint(0, 2))],
                      value=[0, 0, -1, 9][int(rng.randint(0, 4))]))
cases.append(case([[], [], []], maxlen=3))
cases.append(case([[], [1, 2, 3, 4]], maxlen=2, padding="post", truncating="post"))
OUT.write_text(json.dumps({"keras": keras.__version__, "cases": cases}, indent=1) + "\n")
print(f"wrote {len(cases)} cases to {OUT}")
