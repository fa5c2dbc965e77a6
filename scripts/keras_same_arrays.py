#!/usr/bin/env python3
"""Trains the same recipe in Keras on the arrays `pipeline prepare` wrote, so the two trainers see
identical data, split and epochs (only the initial weights and the shuffling RNG differ).

    pipeline prepare pipelines/ag-news-lstm.yaml --output /tmp/agprep
    ~/.cache/anchors-venv/bin/python scripts/keras_same_arrays.py /tmp/agprep --classes 4 --epochs 10

Model: Embedding(10000, 32) + LSTM(32) + Dense(C, softmax) (C = 1: Dense(1, sigmoid) and binary
cross-entropy), rmsprop, batch 128, validation_split 0.2, shuffle, as pipelines/ag-news-lstm.yaml.
Prints one JSON line: test loss and accuracy, per-epoch seconds, Keras and TF versions.
"""
import argparse
import json
import os
import time

import numpy as np

p = argparse.ArgumentParser()
p.add_argument("data")
p.add_argument("--classes", type=int, default=4)
p.add_argument("--epochs", type=int, default=10)
p.add_argument("--num-words", type=int, default=10000)
p.add_argument("--seed", type=int, default=1337)
a = p.parse_args()

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

keras.utils.set_random_seed(a.seed)
x_train = np.load(os.path.join(a.data, "x_train.npy")).astype("int32")
y_train = np.load(os.path.join(a.data, "y_train.npy"))
x_test = np.load(os.path.join(a.data, "x_test.npy")).astype("int32")
y_test = np.load(os.path.join(a.data, "y_test.npy"))
binary = a.classes <= 2
model = keras.Sequential([
    keras.Input(shape=(x_train.shape[1],), dtype="int32"),
    keras.layers.Embedding(a.num_words, 32),
    keras.layers.LSTM(32),
    keras.layers.Dense(1, activation="sigmoid") if binary else keras.layers.Dense(a.classes, activation="softmax"),
])
model.compile(optimizer="rmsprop", loss="binary_crossentropy" if binary else "sparse_categorical_crossentropy", metrics=["acc"])
times = []


class Timer(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.t = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        times.append(time.perf_counter() - self.t)


h = model.fit(x_train, y_train, epochs=a.epochs, batch_size=128, validation_split=0.2, verbose=0, callbacks=[Timer()])
loss, acc = model.evaluate(x_test, y_test, batch_size=128, verbose=0)
print(json.dumps({"keras": keras.__version__, "tensorflow": tf.__version__, "epochs": a.epochs,
                  "val_acc": [round(v, 4) for v in h.history["val_acc"]], "test_loss": round(loss, 4),
                  "test_acc": round(acc, 4), "epoch_seconds": [round(t, 2) for t in times]}))
