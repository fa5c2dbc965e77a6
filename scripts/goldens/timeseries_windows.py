"""Golden windows for PipelineTimeseries tests.

Run once with the Keras venv (Keras 3, TensorFlow backend):
    ~/.cache/anchors-venv/bin/python scripts/goldens/timeseries_windows.py
Writes Tests/PipelineTimeseriesTests/Golden/timeseries_windows.json:
  keras:  cases of keras.utils.timeseries_dataset_from_array (the documented examples and
          more): parameters, the batches (x flattened, y) for shuffle=False, the sorted
          window starts for shuffle=True, and the error message for invalid parameters.
  book:   the book's generator (Deep Learning with Python, 1st ed., listing 6.33) in NumPy on
          a small array, shuffle=False: rows, samples and targets of consecutive batches.
Data: data[i, f] = i * 10 + f, so every value names its row.
"""
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np  # noqa: E402
import keras  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "PipelineTimeseriesTests", "Golden",
                   "timeseries_windows.json")


def matrix(n, f):
    return (np.arange(n)[:, None] * 10 + np.arange(f)[None, :]).astype("float32")


def keras_case(name, n, f, targets, **kw):
    data = matrix(n, f) if f > 0 else np.arange(n, dtype="float32")
    tg = None
    if targets is not None:                      # ("shift", k): targets = data[k:, 0] (or data[k:])
        k = targets
        tg = (data[k:, 0] if f > 0 else data[k:]).astype("float32")
    case = {"name": name, "rows": n, "features": f, "target_shift": targets, "params": kw}
    try:
        ds = keras.utils.timeseries_dataset_from_array(data if f > 0 else data[:, None], tg, **kw)
    except ValueError as e:
        case["error"] = str(e)
        return case
    batches = []
    for item in ds:
        x, y = (item if tg is not None else (item, None))
        x = np.asarray(x)
        b = {"shape": list(x.shape), "starts": [int(v) // 10 for v in x[:, 0, 0]]}
        if not kw.get("shuffle"):
            b["x"] = x.reshape(-1).tolist()
        if y is not None:
            b["y"] = np.asarray(y).reshape(-1).tolist()
        batches.append(b)
    case["batches"] = batches
    if kw.get("shuffle"):
        case["sorted_starts"] = sorted(s for b in batches for s in b["starts"])
        for b in batches:
            del b["starts"]
    return case


def book_generator(data, lookback, delay, min_index, max_index, shuffle=False, batch_size=128, step=6):
    """Verbatim logic of listing 6.33 (1st ed.), as in bench-anchors/prep_bench.py."""
    if max_index is None:
        max_index = len(data) - delay - 1
    i = min_index + lookback
    while 1:
        if shuffle:
            rows = np.random.randint(min_index + lookback, max_index, size=batch_size)
        else:
            if i + batch_size >= max_index:
                i = min_index + lookback
            rows = np.arange(i, min(i + batch_size, max_index))
            i += len(rows)
        samples = np.zeros((len(rows), lookback // step, data.shape[-1]))
        targets = np.zeros((len(rows),))
        for j, row in enumerate(rows):
            indices = range(rows[j] - lookback, rows[j], step)
            samples[j] = data[indices]
            targets[j] = data[rows[j] + delay][1]
        yield rows, samples, targets


def book_case(name, n, f, batches, **kw):
    data = matrix(n, f)
    g = book_generator(data, **kw)
    out = []
    for _ in range(batches):
        rows, s, t = next(g)
        out.append({"rows": rows.tolist(), "x": s.reshape(-1).tolist(), "y": t.tolist(), "shape": list(s.shape)})
    return {"name": name, "rows": n, "features": f, "params": kw, "batches": out}


def main():
    keras_cases = [
        # Documented example 1: indices 0..98, length 10, rate 2, stride 3.
        keras_case("doc_example_1", 99, 0, None, sequence_length=10, sampling_rate=2, sequence_stride=3, batch_size=128),
        # Documented example 2: data[:-10] with targets data[10:], length 10.
        keras_case("doc_example_2", 90, 0, 10, sequence_length=10),
        # Documented example 3: non-overlapping windows of 20.
        keras_case("doc_example_3", 100, 0, None, sequence_length=20, sequence_stride=20),
        keras_case("features_batches", 50, 3, 0, sequence_length=5, sampling_rate=2, sequence_stride=2, batch_size=4),
        keras_case("start_end", 60, 2, 0, sequence_length=4, sampling_rate=3, batch_size=5, start_index=7, end_index=41),
        keras_case("short_targets", 40, 2, 25, sequence_length=3, batch_size=8),
        keras_case("end_only", 30, 1, None, sequence_length=6, sequence_stride=4, batch_size=3, end_index=20),
        keras_case("no_window", 10, 1, None, sequence_length=20, batch_size=3),
        keras_case("jena_like", 400, 4, 0, sequence_length=24, sampling_rate=6, batch_size=16),
        keras_case("shuffled", 200, 2, 0, sequence_length=8, sampling_rate=2, sequence_stride=3, batch_size=7,
                   shuffle=True, seed=7),
        keras_case("err_sampling_rate", 20, 1, None, sequence_length=3, sampling_rate=0),
        keras_case("err_sampling_rate_len", 20, 1, None, sequence_length=3, sampling_rate=20),
        keras_case("err_stride", 20, 1, None, sequence_length=3, sequence_stride=0),
        keras_case("err_stride_len", 20, 1, None, sequence_length=3, sequence_stride=25),
        keras_case("err_start_neg", 20, 1, None, sequence_length=3, start_index=-1),
        keras_case("err_start_len", 20, 1, None, sequence_length=3, start_index=20),
        keras_case("err_end_before_start", 20, 1, None, sequence_length=3, start_index=5, end_index=5),
        keras_case("err_end_len", 20, 1, None, sequence_length=3, end_index=20),
        keras_case("err_end_neg", 20, 1, None, sequence_length=3, end_index=-2),
    ]
    book_cases = [
        book_case("sequential_wrap", 300, 3, 12, lookback=24, delay=6, min_index=0, max_index=200, batch_size=16, step=3),
        book_case("sequential_val", 300, 3, 5, lookback=24, delay=6, min_index=201, max_index=None, batch_size=10, step=6),
        book_case("sequential_small_batch", 120, 2, 9, lookback=12, delay=4, min_index=10, max_index=60, batch_size=7, step=4),
    ]
    with open(OUT, "w") as fh:
        json.dump({"keras_version": keras.__version__, "numpy_version": np.__version__,
                   "keras": keras_cases, "book": book_cases}, fh, separators=(",", ":"))
    print(OUT, os.path.getsize(OUT), "bytes")


if __name__ == "__main__":
    main()
