#!/usr/bin/env python3
"""Golden values for the recurrent layers of PipelineTraining (SimpleRNN, LSTM, GRU, Bidirectional).

Run with the Keras 3 venv (TensorFlow backend):
    ~/.cache/anchors-venv/bin/python scripts/goldens/training_recurrent.py
Writes Tests/PipelineTrainingTests/Golden/recurrent_<case>.json, each with the layer config, the
weights in Keras order (forward layer then backward layer for Bidirectional), the input x
[B, T, F], the output y, an upstream gradient dy and Keras' gradients of sum(y * dy) with respect
to x and every weight (TF GradientTape). Inference mode (no dropout). Deterministic (seeded numpy).
"""
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "PipelineTrainingTests", "Golden")

B, T, F = 2, 5, 3


def make(kind, units, **kw):
    cls = {"SimpleRNN": keras.layers.SimpleRNN, "LSTM": keras.layers.LSTM, "GRU": keras.layers.GRU}[kind]
    return cls(units, **kw)


CASES = [
    # name, kind, units, layer kwargs, bidirectional merge mode (None: plain layer)
    ("simple_rnn", "SimpleRNN", 8, {}, None),
    ("simple_rnn_relu_seq_back", "SimpleRNN", 8, {"activation": "relu", "return_sequences": True, "go_backwards": True}, None),
    ("simple_rnn_scalar_h5", "SimpleRNN", 5, {"return_sequences": True}, None),
    ("lstm", "LSTM", 8, {}, None),
    ("lstm_seq_back", "LSTM", 8, {"return_sequences": True, "go_backwards": True}, None),
    ("lstm_scalar_h3", "LSTM", 3, {"return_sequences": True}, None),
    ("gru", "GRU", 8, {}, None),
    ("gru_reset_before", "GRU", 8, {"reset_after": False, "return_sequences": True}, None),
    ("gru_relu_seq", "GRU", 8, {"activation": "relu", "return_sequences": True}, None),
    ("gru_seq_back", "GRU", 8, {"return_sequences": True, "go_backwards": True}, None),
    ("gru_scalar_h5", "GRU", 5, {"return_sequences": True}, None),
    ("bidirectional_lstm_concat_seq", "LSTM", 8, {"return_sequences": True}, "concat"),
    ("bidirectional_gru_sum", "GRU", 8, {}, "sum"),
    ("bidirectional_simple_rnn_mul_seq", "SimpleRNN", 8, {"return_sequences": True}, "mul"),
    ("bidirectional_gru_ave", "GRU", 8, {}, "ave"),
]


def main():
    os.makedirs(OUT, exist_ok=True)
    for i, (name, kind, units, kw, merge) in enumerate(CASES):
        rng = np.random.default_rng(1000 + i)
        inner = make(kind, units, **kw)
        layer = keras.layers.Bidirectional(inner, merge_mode=merge) if merge else inner
        x = rng.uniform(-1, 1, size=(B, T, F)).astype(np.float32)
        layer.build((B, T, F))
        weights = [rng.uniform(-0.5, 0.5, size=w.shape).astype(np.float32) for w in layer.get_weights()]
        layer.set_weights(weights)
        xt = tf.constant(x)
        with tf.GradientTape() as tape:
            tape.watch(xt)
            y = layer(xt, training=False)
            dy = tf.constant(rng.uniform(-1, 1, size=y.shape).astype(np.float32))
            loss = tf.reduce_sum(y * dy)
        grads = tape.gradient(loss, [xt] + list(layer.trainable_weights))
        record = {
            "name": name, "kind": kind, "units": units,
            "return_sequences": bool(kw.get("return_sequences", False)),
            "go_backwards": bool(kw.get("go_backwards", False)),
            "activation": kw.get("activation", "tanh"),
            "reset_after": bool(kw.get("reset_after", True)),
            "merge_mode": merge,
            "keras_version": keras.__version__,
            "param_count": int(layer.count_params()),
            "x": {"shape": list(x.shape), "data": x.ravel().tolist()},
            "weights": [{"shape": list(w.shape), "data": w.ravel().tolist()} for w in weights],
            "y": {"shape": list(y.shape), "data": np.asarray(y).ravel().tolist()},
            "dy": {"shape": list(dy.shape), "data": np.asarray(dy).ravel().tolist()},
            "dx": np.asarray(grads[0]).ravel().tolist(),
            "dweights": [np.asarray(g).ravel().tolist() for g in grads[1:]],
        }
        path = os.path.join(OUT, f"recurrent_{name}.json")
        with open(path, "w") as f:
            json.dump(record, f)
        print(f"wrote {path}", file=sys.stderr)

    # Parameter counts at the chapter's shapes (and the build order of Bidirectional weights).
    counts = {}
    for label, kind, units, feats, merge in [
        ("SimpleRNN(32) on 32", "SimpleRNN", 32, 32, None), ("LSTM(32) on 32", "LSTM", 32, 32, None),
        ("GRU(32) on 32", "GRU", 32, 32, None), ("Bidirectional(LSTM(32)) on 32", "LSTM", 32, 32, "concat"),
        ("GRU(32) on 14", "GRU", 32, 14, None), ("GRU(64) on 32", "GRU", 64, 32, None),
        ("Bidirectional(GRU(32)) on 14", "GRU", 32, 14, "concat"),
    ]:
        layer = make(kind, units)
        layer = keras.layers.Bidirectional(layer, merge_mode=merge) if merge else layer
        layer.build((None, 10, feats))
        counts[label] = {"kind": kind, "units": units, "features": feats,
                         "bidirectional": merge is not None, "count": int(layer.count_params())}
    with open(os.path.join(OUT, "recurrent_param_counts.json"), "w") as f:
        json.dump(counts, f, indent=1)


if __name__ == "__main__":
    main()
