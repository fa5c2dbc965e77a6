"""Golden cases for PipelineText's standardisation, vocabulary ranking and ids:
keras.layers.TextVectorization itself, plus tf.strings.lower's UTF-8 mapping.

Run with the Keras venv:
    ~/.cache/anchors-venv/bin/python scripts/goldens/text_vectorization.py
Writes Tests/PipelineTextTests/Golden/text_vectorization.json:
  corpus/queries: the texts; configs: for each (standardize, html, max_tokens) the vocabulary
  (get_vocabulary(), pad "" and "[UNK]" first) and the ids of every corpus and query text;
  lower_utf8: {code point: [lowered code points]} for U+0080..U+04FF from
  tf.strings.lower(x, encoding="utf-8"), for the code points it changes.
html "space" is Keras on text where "<br />" was replaced by " " beforehand.
"""
import json
import os
import pathlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests/PipelineTextTests/Golden/text_vectorization.json"

corpus = [
    "The movie was GREAT!!! I loved it.<br /><br />The acting, the plot... all of it.",
    "I didn't like it: the plot was thin; the acting (mostly) wooden. 3/10",
    "ab abc abd b a zz zy ZZ Zy ab abc abd b a",
    "Café CAFÉ café naïve NAÏVE Ünïcode Straße ΑΒΓ Ωμέγα ПРИВЕТ мир",
    "e-mail a.b.c 50% $5 don't [tag] {x} back\\slash quote\"d under_score tilde~ caret^ pipe| at@ hash#",
    "tab\tsep\x0bvtab\x0cformfeed\r\ncrlf  double  space\xa0nbsp\u2028ls x\x1cfs",
    "<br/>not a break<BR />nor this<br  />but<br />this is",
    "",
    "!!! ??? ... ---",
    "the the the THE The tHe plot plot acting",
    "Numbers 1 22 333 1 22 1 and emoji \U0001F600 \U0001F600 ok",
]
queries = [
    "The plot was GREAT, unseen words here!",
    "",
    "zz zy ab-c café CAFÉ",
    "<br />the<br />end",
]


def run(standardize, html, max_tokens):
    prep = (lambda t: t) if html == "keep" else (lambda t: t.replace("<br />", " "))
    tv = keras.layers.TextVectorization(max_tokens=max_tokens, standardize=standardize, ragged=True)
    tv.adapt([prep(t) for t in corpus])
    vocab = [w if isinstance(w, str) else w.decode("utf-8") for w in tv.get_vocabulary()]
    ids = lambda texts: [[int(v) for v in row] for row in tv([prep(t) for t in texts]).to_list()]  # noqa: E731
    return {"standardize": standardize or "none", "html": html, "max_tokens": max_tokens,
            "vocabulary": vocab, "corpus_ids": ids(corpus), "query_ids": ids(queries)}


configs = []
for standardize in ["lower_and_strip_punctuation", "lower", "strip_punctuation", None]:
    for html in ["keep", "space"]:
        for max_tokens in [None, 12]:
            configs.append(run(standardize, html, max_tokens))

lower = {}
for cp in range(0x80, 0x500):
    if 0xD800 <= cp < 0xE000:
        continue
    out = tf.strings.lower(chr(cp), encoding="utf-8").numpy().decode("utf-8")
    if out != chr(cp):
        lower[str(cp)] = [ord(c) for c in out]

OUT.write_text(json.dumps({"keras": keras.__version__, "tensorflow": tf.__version__, "corpus": corpus,
                           "queries": queries, "configs": configs, "lower_utf8": lower},
                          indent=1, ensure_ascii=False) + "\n")
print(f"wrote {len(configs)} configs, {len(lower)} lowercase pairs to {OUT}")
