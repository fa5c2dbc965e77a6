"""Golden cases for PipelineText's `imdb` index convention, produced by the real
keras.datasets.imdb.load_data on a small corpus.

load_data reads ragged rank lists (1 = most frequent word) from imdb.npz; here its file loading
is replaced by our corpus, ranked by keras.layers.TextVectorization (counts descending, ties by
bytes descending), and load_data's own code adds start_char, index_from, num_words, skip_top and
oov_char. Its seed-113 shuffle is undone through the labels (we pass row numbers as labels).
Words of the test texts that the training texts lack are skipped, as imdb.npz documents.

Run:  ~/.cache/anchors-venv/bin/python scripts/goldens/text_imdb_convention.py
Writes Tests/PipelineTextTests/Golden/text_imdb_convention.json.
"""
import json
import os
import pathlib
from unittest import mock

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras.src.datasets import imdb  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests/PipelineTextTests/Golden/text_imdb_convention.json"

train = [
    "A great, great film. The acting was great and the plot was good.",
    "The worst film I have seen: bad acting, bad plot, bad everything.",
    "Good fun. The kids loved it and so did I.<br /><br />Great!",
    "Not good, not bad; the film is just dull and the plot is thin.",
    "I loved the music, the acting and the film. A good, fun film.",
]
test = ["A great plot and unseenword acting", "", "The film was bad bad bad, zzz."]

tv = keras.layers.TextVectorization()
tv.adapt([t.replace("<br />", " ") for t in train])
words = tv.get_vocabulary()[2:]
rank = {w: i + 1 for i, w in enumerate(words)}
split = lambda t: keras.layers.TextVectorization(  # noqa: E731
    vocabulary=words)._preprocess(t.replace("<br />", " ")).numpy().tolist()
to_ranks = lambda texts: [[rank[w.decode()] for w in split(t) if w.decode() in rank] for t in texts]  # noqa: E731
x_train, x_test = to_ranks(train), to_ranks(test)


def load(**kw):
    arrays = {"x_train": np.array(x_train, dtype=object), "y_train": np.arange(len(train)),
              "x_test": np.array(x_test, dtype=object), "y_test": np.arange(len(test))}
    with mock.patch.object(imdb, "get_file", return_value="unused"), \
         mock.patch.object(imdb.npz_utils, "load_npz", return_value=arrays):
        (xt, yt), (xs, ys) = imdb.load_data(**kw)
    unshuffle = lambda x, y: [list(map(int, x[list(y).index(i)])) for i in range(len(y))]  # noqa: E731
    return {"args": kw, "train": unshuffle(xt, yt), "test": unshuffle(xs, ys)}


cases = [load(num_words=10), load(num_words=8, skip_top=5), load(num_words=1000),
         load(num_words=12, oov_char=None), load(num_words=9, start_char=None, index_from=2),
         load(num_words=10, start_char=7, oov_char=5, index_from=8)]
OUT.write_text(json.dumps({"keras": keras.__version__, "train": train, "test": test, "words": words,
                           "cases": cases}, indent=1) + "\n")
print(f"wrote {len(cases)} cases to {OUT}")
