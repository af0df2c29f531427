#!/usr/bin/env bash
# The shared-extract protocol: for each disease, split the registry extract 50/50 by patient
# (seed / holdout), learn a template from the seed half (and train the sequence model with DP-SGD
# at ε = 1, 3, 8), generate 300
# patients from each model and from the template alone, and evaluate every cohort against the
# seed half with the holdout as the real-vs-real baseline. Then the shipped models against the
# demonstration records they were trained on (docs/shipped-models.md), with a fresh demonstration
# extract as holdout. Prints a summary table and writes Output/shared-extract-evaluation/summary.md
# (reports in the folders beside it).
#
#     Benchmarks/shared-extract-evaluation.sh [path/to/registry-extracts]   (default: $ZEBRA_SHARED or ../shared)
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRACTS="${1:-${ZEBRA_SHARED:-../shared}/data/registry-extracts}"
if [ ! -d "$EXTRACTS/fabry" ]; then
  echo "shared-extract-evaluation.sh: no registry extracts at $EXTRACTS" >&2
  echo "  give their folder: Benchmarks/shared-extract-evaluation.sh path/to/registry-extracts (or set ZEBRA_SHARED)" >&2
  exit 2
fi
EXTRACTS=$(cd "$EXTRACTS" && pwd)
OUT=Output/shared-extract-evaluation
ZEBRA=.build/release/zebra
swift build -c release --product zebra >/dev/null
mkdir -p "$OUT"
for d in friedreich-ataxia fabry gaucher; do
  "$ZEBRA" split-records --records "$EXTRACTS/$d" --out-a "$OUT/$d/seed" --out-b "$OUT/$d/holdout" --seed 7 --overwrite >/dev/null
  for variant in model dp1 dp3 dp8 template; do
    case $variant in
      model) "$ZEBRA" train --disease "$d" --seed-records "$OUT/$d/seed" --out "$OUT/$d/$variant.model" --overwrite --quiet 2>/dev/null ;;
      dp*) "$ZEBRA" train --disease "$d" --seed-records "$OUT/$d/seed" --out "$OUT/$d/$variant.model" --overwrite --quiet \
             --generator sequence-vae --dp-epsilon "${variant#dp}" 2>/dev/null ;;
    esac
    if [ "$variant" = template ]; then
      "$ZEBRA" simulate --disease "$d" --template-only --patients 300 --seed 11 --out "$OUT/$d/$variant-records" --overwrite 2>/dev/null
      model=()
    else
      "$ZEBRA" simulate --disease "$d" --model "$OUT/$d/$variant.model" --patients 300 --seed 11 --out "$OUT/$d/$variant-records" --overwrite 2>/dev/null
      model=(--model "$OUT/$d/$variant.model")
    fi
    "$ZEBRA" evaluate --real "$OUT/$d/seed" --synthetic "$OUT/$d/$variant-records" --holdout "$OUT/$d/holdout" \
      "${model[@]}" --out "$OUT/$d/$variant-evaluation" --overwrite >/dev/null 2>&1
  done
done
# The shipped models: real = their training records, remade with the documented command.
for d in friedreich-ataxia fabry gaucher; do
  "$ZEBRA" simulate --disease "$d" --registry-extract --patients 300 --seed 2025 --template-only --out "$OUT/$d/demo-seed" --overwrite 2>/dev/null
  "$ZEBRA" simulate --disease "$d" --registry-extract --patients 300 --seed 2026 --template-only --out "$OUT/$d/demo-holdout" --overwrite 2>/dev/null
  "$ZEBRA" simulate --disease "$d" --model "DiseaseModels/$d.model" --patients 300 --seed 11 --out "$OUT/$d/shipped-records" --overwrite 2>/dev/null
  "$ZEBRA" evaluate --real "$OUT/$d/demo-seed" --synthetic "$OUT/$d/shipped-records" --holdout "$OUT/$d/demo-holdout" \
    --model "DiseaseModels/$d.model" --reference-model "$OUT/$d/model.model" --out "$OUT/$d/shipped-evaluation" --overwrite >/dev/null 2>&1
done
python3 - "$OUT" <<'PY'
import json, sys, os
out = sys.argv[1]
variants = [("model", "model"), ("dp8", "DP ε=8"), ("dp3", "DP ε=3"), ("dp1", "DP ε=1"), ("template", "template only")]
rows = ["measures.mean-ks", "detection.auc", "tstr.gap", "codes.unigram.r2", "codes.bigram.r2", "km.max-difference",
        "correlation.mean-absolute-difference", "copies", "mia.distance.auc", "mia.likelihood.auc", "mia.calibrated-likelihood.auc",
        "dcr.share-below-holdout-p5", "nnaa.privacy-loss", "representation.flagged-groups"]
lines = []
for disease in ["friedreich-ataxia", "fabry", "gaucher"]:
    summaries = {}
    for key, _ in variants:
        path = os.path.join(out, disease, f"{key}-evaluation", "metrics.json")
        summaries[key] = {s["metric"]: s for s in json.load(open(path))["summary"]}
    lines.append(f"\n### {disease}\n")
    lines.append("| figure | " + " | ".join(name for _, name in variants) + " | holdout (real vs real) |")
    lines.append("|---|" + "---|" * (len(variants) + 1))
    attribute = [m for m in summaries["model"] if m.startswith("attribute-inference")]
    for metric in rows + attribute:
        first = summaries["model"].get(metric) or summaries["template"].get(metric)
        if first is None:
            continue
        cells = []
        for key, _ in variants:
            s = summaries[key].get(metric)
            cells.append("—" if s is None or s["value"] is None else f"{s['value']:.3f}")
        baseline = first.get("baseline")
        lines.append(f"| {first['title']} | " + " | ".join(cells) + f" | {'—' if baseline is None else f'{baseline:.3f}'} |")
lines.append("\n### shipped models, against the demonstration records they were trained on\n")
lines.append("| figure | friedreich-ataxia | (holdout) | fabry | (holdout) | gaucher | (holdout) |")
lines.append("|---|---|---|---|---|---|---|")
shipped = {d: {s["metric"]: s for s in json.load(open(os.path.join(out, d, "shipped-evaluation", "metrics.json")))["summary"]}
           for d in ["friedreich-ataxia", "fabry", "gaucher"]}
fmt = lambda v: "—" if v is None else f"{v:.3f}"
for metric in rows:
    if metric not in shipped["fabry"]:
        continue
    cells = []
    for d in ["friedreich-ataxia", "fabry", "gaucher"]:
        s = shipped[d].get(metric) or {}
        cells += [fmt(s.get("value")), fmt(s.get("baseline"))]
    lines.append(f"| {shipped['fabry'][metric]['title']} | " + " | ".join(cells) + " |")
text = "\n".join(lines)
open(os.path.join(out, "summary.md"), "w").write(text + "\n")
print(text)
PY
