#!/usr/bin/env bash
# Checks a `pipeline export` file with h5py (Debian's python3-h5py), independently of the libhdf5 calls
# that wrote it: trains the bidirectional fixture for one epoch, exports it, and checks the archive's
# entries, config.json's Keras keys and the weights' groups, shapes and float32 dtype. A few seconds.
# Usage: scripts/check_keras_export.sh [path/to/pipeline]   (default .build/debug/pipeline)
set -euo pipefail
cd "$(dirname "$0")/.."
PIPELINE=${1:-.build/debug/pipeline}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$PIPELINE" run pipelines/fixtures/imdb-bilstm.yaml --quiet --set train.epochs=1 --output "$tmp/run" >/dev/null
"$PIPELINE" export "$tmp/run" --output "$tmp/model.keras" >/dev/null
PY=python3
$PY -c 'import h5py' 2>/dev/null || PY=/usr/bin/python3   # Debian's python3-h5py lives with the system Python
$PY - "$tmp/model.keras" <<'PY'
import io, json, sys, zipfile
import h5py
z = zipfile.ZipFile(sys.argv[1])
assert z.namelist() == ["metadata.json", "config.json", "model.weights.h5"], z.namelist()
assert all(i.compress_type == zipfile.ZIP_STORED for i in z.infolist())
assert z.testzip() is None, "CRC mismatch"
config = json.loads(z.read("config.json"))
assert config["module"] == "keras" and config["class_name"] == "Sequential", config.keys()
layers = config["config"]["layers"]
assert [l["class_name"] for l in layers] == ["InputLayer", "Embedding", "Bidirectional", "Dense"]
assert layers[2]["config"]["layer"]["class_name"] == "LSTM"
assert "from_logits" not in config["compile_config"]
expected = {
    "layers/embedding/vars/0": (400, 32), "layers/dense/vars/0": (64, 1), "layers/dense/vars/1": (1,),
    **{f"layers/bidirectional/{d}_layer/cell/vars/{i}": s for d in ("forward", "backward")
       for i, s in enumerate([(32, 128), (32, 128), (128,)])},
}
with h5py.File(io.BytesIO(z.read("model.weights.h5")), "r") as f:
    found = {}
    f.visititems(lambda name, obj: found.__setitem__(name, obj) if isinstance(obj, h5py.Dataset) else None)
    for path, shape in expected.items():
        assert path in found, f"missing {path}"
        assert found[path].shape == shape and found[path].dtype == "float32", (path, found[path].shape, found[path].dtype)
    assert f["layers/bidirectional/forward_layer/vars"].attrs["name"] == "forward_lstm"
    assert f["optimizer/vars/0"].dtype == "int64" and f["optimizer/vars/0"][()] > 0
    weights = [p for p in found if p.startswith("layers/")]
    assert sorted(weights) == sorted(expected), sorted(weights)
print(f"keras export check: {len(found)} datasets, layout and dtypes as Keras 3 writes them")
PY
