#!/usr/bin/env python3
"""Golden values from Keras 3 for the several-class losses and metrics of PipelineTraining:
sparse_categorical_crossentropy and categorical_crossentropy (probabilities and from_logits),
their gradients, sparse_categorical_accuracy / categorical_accuracy, how Keras resolves
'accuracy', and a few SGD steps of Dense(softmax) models trained with train_on_batch.

Run with a TensorFlow + Keras 3 venv (the anchors venv, or any venv outside the repo):
    python3 -m venv /tmp/kvenv && /tmp/kvenv/bin/pip install 'tensorflow-cpu==2.21.*' 'keras>=3,<4'
    /tmp/kvenv/bin/python scripts/goldens/training_categorical.py
Writes Tests/PipelineTrainingTests/Golden/layers_categorical.json. Inputs come from a fixed numpy
seed and are stored in the JSON, so the Swift tests feed exactly the same numbers.

Loss gradients are taken with tf.GradientTape on the standalone loss (eager: the probability
formulas with clipping). The model steps run Keras' compiled train step, where a softmax output's
cached logits are used (same numbers as the probability path when nothing is clipped, which is
the case for these inputs)."""
import json
import os
import pathlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests" / "PipelineTrainingTests" / "Golden"
rng = np.random.default_rng(20261130)


def arr(shape, lo=-1.0, hi=1.0):
    return rng.uniform(lo, hi, size=shape).astype(np.float32)


def tensor(a):
    a = np.asarray(a, dtype=np.float32)
    return {"shape": list(a.shape), "data": [float(v) for v in a.reshape(-1)]}


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return (e / e.sum(axis=-1, keepdims=True)).astype(np.float32)


def loss_case(name, loss, target, prediction):
    p = tf.Variable(prediction)
    with tf.GradientTape() as tape:
        value = loss(tf.constant(target), p)
    grad = tape.gradient(value, p)
    return {"name": name, "target": tensor(target), "prediction": tensor(prediction),
            "loss": float(value), "gradient": tensor(np.asarray(grad))}


def losses():
    c = 4
    logits = arr((6, c), -3, 3)
    probs = softmax(logits)
    probs[4] = [0.0, 1.0, 0.0, 0.0]                 # clipped at both ends
    probs[5] = [0.5, 0.2, 2e-8, 0.3 - 2e-8]         # one value below ε
    labels = np.array([0, 3, 1, 2, 2, 1], dtype=np.float32)
    onehot = np.eye(c, dtype=np.float32)[labels.astype(int)]
    unnormalised = probs.copy()
    unnormalised[1] *= 1.7                          # categorical renormalises the row first
    soft = onehot.copy()
    soft[3] = [0.1, 0.1, 0.7, 0.1]                  # soft labels (label smoothing)
    seq_logits = arr((2, 3, c), -3, 3)             # a [B, T, C] output with [B, T] class ids
    seq_labels = rng.integers(0, c, size=(2, 3)).astype(np.float32)
    scce, cce = keras.losses.SparseCategoricalCrossentropy, keras.losses.CategoricalCrossentropy
    cases = [
        loss_case("sparse", scce(), labels, probs),
        loss_case("sparse_column", scce(), labels.reshape(-1, 1), probs),
        loss_case("sparse_logits", scce(from_logits=True), labels, logits * 4),
        loss_case("sparse_sequence_logits", scce(from_logits=True), seq_labels, seq_logits),
        loss_case("sparse_sequence", scce(), seq_labels, softmax(seq_logits)),
        loss_case("categorical", cce(), onehot, probs),
        loss_case("categorical_unnormalised", cce(), onehot, unnormalised),
        loss_case("categorical_logits", cce(from_logits=True), onehot, logits * 4),
        loss_case("categorical_soft_logits", cce(from_logits=True), soft, logits),
        loss_case("categorical_soft", cce(), soft, probs),
    ]
    return cases


def metrics():
    pred = arr((7, 3))
    pred[6] = [0.4, 0.4, 0.2]                       # a tie: the first maximum wins
    labels = np.array([0, 1, 2, 2, 1, 0, 1], dtype=np.float32)
    onehot = np.eye(3, dtype=np.float32)[labels.astype(int)]
    out = {"prediction": tensor(pred), "labels": tensor(labels), "onehot": tensor(onehot)}
    for key, metric, target in [("sparse_categorical_accuracy", keras.metrics.SparseCategoricalAccuracy(), labels),
                                ("sparse_categorical_accuracy_column", keras.metrics.SparseCategoricalAccuracy(), labels.reshape(-1, 1)),
                                ("categorical_accuracy", keras.metrics.CategoricalAccuracy(), onehot)]:
        metric.update_state(target, pred)
        out[key] = float(metric.result())
    # Which class Keras' compile gives 'accuracy' for each loss (with the matching label shapes).
    resolved = {}
    x = arr((4, 2))
    for loss, y, units, act in [("binary_crossentropy", np.array([[0], [1], [1], [0]], np.float32), 1, "sigmoid"),
                                ("sparse_categorical_crossentropy", np.array([0, 2, 1, 2], np.float32), 3, "softmax"),
                                ("sparse_categorical_crossentropy_column", np.array([[0], [2], [1], [2]], np.float32), 3, "softmax"),
                                ("categorical_crossentropy", np.eye(3, dtype=np.float32)[[0, 2, 1, 2]], 3, "softmax")]:
        m = keras.Sequential([keras.Input((2,)), layers.Dense(units, activation=act)])
        m.compile(optimizer="sgd", loss=loss.replace("_column", ""), metrics=["accuracy"])
        m.train_on_batch(x, y)
        kinds = [type(mm).__name__ for mm in m.metrics[1].metrics] if hasattr(m.metrics[1], "metrics") else []
        resolved[loss] = kinds[0] if kinds else type(m.metrics[-1]).__name__
    out["resolved_accuracy"] = resolved
    return out


def training():
    cases = []
    x = arr((8, 5))
    labels = np.array([0, 1, 2, 1, 0, 2, 2, 1], dtype=np.float32)
    onehot = np.eye(3, dtype=np.float32)[labels.astype(int)]
    hidden_k, hidden_b = arr((5, 4)), arr((4,), -0.1, 0.1)
    out_k, out_b = arr((4, 3)), arr((3,), -0.1, 0.1)
    direct_k = arr((5, 3))
    for name, loss, y, hidden, act in [
        ("sparse_softmax", "sparse_categorical_crossentropy", labels, False, "softmax"),
        ("sparse_softmax_hidden", "sparse_categorical_crossentropy", labels, True, "softmax"),
        ("sparse_logits_hidden", keras.losses.SparseCategoricalCrossentropy(from_logits=True), labels, True, "linear"),
        ("categorical_softmax_hidden", "categorical_crossentropy", onehot, True, "softmax"),
        ("categorical_logits", keras.losses.CategoricalCrossentropy(from_logits=True), onehot, False, "linear"),
    ]:
        stack = [keras.Input((5,))]
        weights = []
        if hidden:
            stack.append(layers.Dense(4, activation="relu"))
            weights += [hidden_k, hidden_b]
            weights += [out_k, out_b]
        else:
            weights += [direct_k, out_b]
        stack.append(layers.Dense(3, activation=act))
        m = keras.Sequential(stack)
        m.set_weights(weights)
        m.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5), loss=loss)
        losses = [float(m.train_on_batch(x, y)) for _ in range(3)]
        cases.append({"name": name, "hidden": hidden, "activation": act,
                      "loss": loss if isinstance(loss, str) else loss.name + "_from_logits",
                      "y": tensor(y), "initial": [tensor(w) for w in weights],
                      "losses": losses, "final": [tensor(w) for w in m.get_weights()]})
    return {"x": tensor(x), "learning_rate": 0.5, "steps": 3, "cases": cases}


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    payload = {"losses": losses(), "metrics": metrics(), "training": training(),
               "generator": f"scripts/goldens/training_categorical.py (keras {keras.__version__}, tensorflow {tf.__version__})"}
    (OUT / "layers_categorical.json").write_text(json.dumps(payload, indent=1) + "\n")
    print("wrote", OUT / "layers_categorical.json")
