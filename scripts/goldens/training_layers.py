#!/usr/bin/env python3
"""Golden values from Keras 3 for the feed-forward layers, losses and optimizers of
PipelineTraining (Dense, Conv1D, MaxPooling1D, GlobalMaxPooling1D, Embedding; BCE/MSE/MAE;
RMSprop, Adam, SGD with clipping).

Run with the anchors venv (TensorFlow + Keras 3):
    ~/.cache/anchors-venv/bin/python scripts/goldens/training_layers.py
Writes Tests/PipelineTrainingTests/Golden/layers_*.json. Inputs come from a fixed numpy seed
and are stored in the JSON, so the Swift tests feed exactly the same numbers."""
import json
import os
import pathlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests" / "PipelineTrainingTests" / "Golden"
rng = np.random.default_rng(20240607)


def arr(shape, lo=-1.0, hi=1.0):
    return rng.uniform(lo, hi, size=shape).astype(np.float32)


def tensor(a):
    a = np.asarray(a, dtype=np.float32)
    return {"shape": list(a.shape), "data": [float(v) for v in a.reshape(-1)]}


def run(layer, x):
    return np.asarray(layer(x, training=False))


def write(name, payload):
    payload["generator"] = f"scripts/goldens/training_layers.py (keras {keras.__version__})"
    (OUT / f"layers_{name}.json").write_text(json.dumps(payload, indent=1) + "\n")


def dense():
    cases = []
    for act in ["linear", "relu", "sigmoid", "tanh", "softmax"]:
        for shape in [(4, 5), (2, 3, 5)]:
            x = arr(shape)
            layer = layers.Dense(3, activation=act)
            layer.build(shape)
            k, b = arr((5, 3)), arr((3,))
            layer.set_weights([k, b])
            cases.append({"activation": act, "units": 3, "x": tensor(x), "kernel": tensor(k), "bias": tensor(b),
                          "y": tensor(run(layer, x))})
    write("dense", {"cases": cases})


def conv1d():
    cases = []
    for padding in ["valid", "same"]:
        for strides in [1, 2, 3]:
            for ks, act in [(3, "linear"), (4, "relu")]:
                x = arr((2, 10, 3))
                layer = layers.Conv1D(4, ks, strides=strides, padding=padding, activation=act)
                layer.build(x.shape)
                k, b = arr((ks, 3, 4)), arr((4,))
                layer.set_weights([k, b])
                cases.append({"filters": 4, "kernel_size": ks, "strides": strides, "padding": padding,
                              "activation": act, "x": tensor(x), "kernel": tensor(k), "bias": tensor(b),
                              "y": tensor(run(layer, x))})
    write("conv1d", {"cases": cases})


def pooling():
    cases = []
    for pool, strides in [(2, None), (3, None), (3, 2), (5, 1)]:
        x = arr((2, 11, 3))
        y = run(layers.MaxPooling1D(pool_size=pool, strides=strides), x)
        cases.append({"pool_size": pool, "strides": strides if strides else pool, "x": tensor(x), "y": tensor(y)})
    x = arr((3, 7, 4))
    glob = {"x": tensor(x), "y": tensor(run(layers.GlobalMaxPooling1D(), x))}
    write("pooling", {"max_pooling1d": cases, "global_max_pooling1d": glob})


def embedding():
    ids = rng.integers(0, 10, size=(3, 6)).astype(np.float32)
    layer = layers.Embedding(10, 4)
    layer.build((3, 6))
    table = arr((10, 4))
    layer.set_weights([table])
    y = run(layer, ids.astype(np.int32))
    write("embedding", {"input_dim": 10, "output_dim": 4, "ids": tensor(ids), "embeddings": tensor(table),
                        "y": tensor(y)})


def losses():
    t = rng.integers(0, 2, size=(6, 1)).astype(np.float32)
    p = np.array([[0.1], [0.9], [0.0], [1.0], [0.5], [0.3]], dtype=np.float32)
    logits = arr((6, 1), -4, 4)
    reg_t, reg_p = arr((5, 2)), arr((5, 2))
    out = {
        "target": tensor(t), "probabilities": tensor(p), "logits": tensor(logits),
        "bce": float(keras.losses.BinaryCrossentropy()(t, p)),
        "bce_logits": float(keras.losses.BinaryCrossentropy(from_logits=True)(t, logits)),
        "regression_target": tensor(reg_t), "regression_prediction": tensor(reg_p),
        "mse": float(keras.losses.MeanSquaredError()(reg_t, reg_p)),
        "mae": float(keras.losses.MeanAbsoluteError()(reg_t, reg_p)),
    }
    acc = keras.metrics.BinaryAccuracy()
    acc.update_state(t, p)
    out["binary_accuracy"] = float(acc.result())
    write("losses", out)


def optimizers():
    shapes = [(3, 2), (4,)]
    init = [arr(s) for s in shapes]
    steps = 4
    grads = [[arr(s, -2, 2) for s in shapes] for _ in range(steps)]
    grads[2][1] = grads[2][1] * 10  # a large step so that clipping acts
    configs = [
        ("rmsprop", {}), ("rmsprop", {"momentum": 0.9}), ("rmsprop", {"centered": True}),
        ("rmsprop", {"clipnorm": 1.0}), ("rmsprop", {"global_clipnorm": 1.5}),
        ("rmsprop", {"learning_rate": 0.01, "rho": 0.8, "epsilon": 1e-3}),
        ("adam", {}), ("adam", {"learning_rate": 0.01, "clipnorm": 0.5}),
        ("sgd", {}), ("sgd", {"momentum": 0.9}), ("sgd", {"momentum": 0.9, "nesterov": True}),
    ]
    cases = []
    for name, kw in configs:
        opt = {"rmsprop": keras.optimizers.RMSprop, "adam": keras.optimizers.Adam, "sgd": keras.optimizers.SGD}[name](**kw)
        variables = [keras.Variable(v.copy()) for v in init]
        after = []
        for g in grads:
            opt.apply_gradients(zip([keras.ops.convert_to_tensor(x) for x in g], variables))
            after.append([tensor(np.asarray(v)) for v in variables])
        cases.append({"optimizer": name, "config": kw, "after": after})
    write("optimizers", {"init": [tensor(v) for v in init], "grads": [[tensor(x) for x in g] for g in grads],
                         "cases": cases})


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    dense(); conv1d(); pooling(); embedding(); losses(); optimizers()
    print("wrote", sorted(p.name for p in OUT.glob("layers_*.json")))
