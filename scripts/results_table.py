#!/usr/bin/env python3
"""Prints the RESULTS.md tables from the run folders written by scripts/real_runs.sh.

    python3 scripts/results_table.py runs/real
"""
import json
import os
import sys

BOOK = {
    "imdb-simplernn": "val_acc ≈ 0.85", "imdb-lstm": "val_acc ≈ 0.89", "imdb-gru": "-", "imdb-bilstm": "val_acc ≈ 0.89",
    "imdb-stacked-simplernn": "-", "jena-baseline": "MAE 0.29", "jena-dense": "≈ 0.30+", "jena-gru": "MAE ≈ 0.265",
    "jena-gru-dropout": "MAE ≈ 0.26", "jena-stacked-gru": "≈ 0.26", "jena-bigru": "≈ 0.265", "jena-conv1d-gru": "≈ 0.27",
}

root = sys.argv[1] if len(sys.argv) > 1 else "runs/real"
rows = []
for name in sorted(os.listdir(root)):
    path = os.path.join(root, name, "run.json")
    if not os.path.exists(path):
        continue
    run = json.load(open(path))
    final = run.get("final", {})
    if name.startswith("imdb"):
        metric = f"val_acc {final.get('val_acc', float('nan')):.4f} (best {run.get('best_val_acc', float('nan')):.4f})"
    elif "baseline_mae" in run and "final" not in run:
        metric = f"MAE {run['baseline_mae']:.4f} ({run.get('baseline_mae_celsius', float('nan')):.2f} °C)"
    else:
        metric = (f"val_mae {final.get('val_mae', float('nan')):.4f} (best {run.get('best_val_mae', float('nan')):.4f}); "
                  f"baseline {run.get('baseline_mae', float('nan')):.4f}")
    epochs = run.get("epochs", "-")
    spe = run.get("seconds_per_epoch")
    rows.append(f"| {name} | {metric} | {BOOK.get(name, '-')} | {epochs} | {f'{spe:.1f}' if spe else '-'} |")
print("| pipeline | measured (validation) | book | epochs | s/epoch |")
print("| --- | --- | --- | ---: | ---: |")
print("\n".join(rows))
