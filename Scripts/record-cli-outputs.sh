#!/usr/bin/env bash
# Records what the command writes for a fixed set of inputs and options: maps, loss maps and
# gradients (.npy, Float and Double) for 2-D images under every convention, volumes and Kornia's
# MS-SSIM + L1 loss, plus the --json lines and a heat-map PNG. Run it before and after a change
# that must not change any result, then compare the two folders byte for byte:
#
#   Scripts/record-cli-outputs.sh /tmp/before [path/to/ssim]
#   Scripts/record-cli-outputs.sh /tmp/after  [path/to/ssim]
#   diff -r /tmp/before /tmp/after && echo identical
#
# The inputs are generated with NumPy from a fixed seed (python3 with numpy).
set -euo pipefail
out="$(mkdir -p "$1" && cd "$1" && pwd)"
ssim="${2:-}"
cd "$(dirname "$0")/.."
if [ -z "$ssim" ]; then
  swift build -c release --product ssim >/dev/null
  ssim="$(swift build -c release --show-bin-path)/ssim"
fi
ssim="$(cd "$(dirname "$ssim")" && pwd)/$(basename "$ssim")"
inputs="$out/inputs"
mkdir -p "$inputs"
python3 - "$inputs" <<'PY'
import sys, numpy as np
d = sys.argv[1]
rng = np.random.default_rng(20261202)
def pair(name, shape, dtype, scale=1.0):
    a = rng.random(shape) * scale
    b = np.clip(a + rng.normal(0, 0.08 * scale, shape), 0, scale)
    np.save(f"{d}/{name}1.npy", a.astype(dtype)); np.save(f"{d}/{name}2.npy", b.astype(dtype))
pair("f", (1, 3, 48, 52), np.float32)
pair("d", (2, 1, 40, 37), np.float64)
pair("big", (1, 3, 300, 280), np.float32)          # several 128-row bands
pair("v", (1, 1, 20, 24, 22), np.float32)          # volumes
pair("vd", (1, 2, 18, 21, 19), np.float64)
pair("u", (1, 3, 33, 35), np.float32, 255.0)       # 0..255 data
pair("pool", (1, 3, 600, 530), np.float32)         # piq's automatic pooling by 2
PY
cd "$inputs"
n=0
run() {   # run NAME ARGS...: writes NAME.json (stdout, exit status) and any outputs named NAME.*
  local name="$1"; shift
  n=$((n + 1))
  set +e
  "$ssim" "$@" --json > "$out/$name.json" 2> "$out/$name.stderr"
  echo "exit $?" >> "$out/$name.json"
  set -e
}
for conv in kornia scikit-image scikit-image-gaussian torchmetrics pytorch-msssim tensorflow piq matlab; do
  for p in f d big; do
    run "$conv-$p" ${p}1.npy ${p}2.npy --convention "$conv" --map "$out/$conv-$p.map.npy" \
      --loss-map "$out/$conv-$p.loss.npy" --grad "$out/$conv-$p.grad.npy"
  done
done
for p in f d; do
  run "valid-$p" ${p}1.npy ${p}2.npy --window-size 7 --padding valid --map "$out/valid-$p.map.npy" --grad "$out/valid-$p.grad.npy"
  run "sum-$p" ${p}1.npy ${p}2.npy --reduction sum --eps 0 --grad "$out/sum-$p.grad.npy"
  run "none-$p" ${p}1.npy ${p}2.npy --reduction none --loss-map "$out/none-$p.loss.npy" --grad "$out/none-$p.grad.npy"
  for border in symmetric replicate zero; do
    run "border-$border-$p" ${p}1.npy ${p}2.npy --border "$border" --sigma 2 --window-size 9 \
      --map "$out/border-$border-$p.map.npy" --grad "$out/border-$border-$p.grad.npy"
  done
  run "range-$p" ${p}1.npy ${p}2.npy --max-value 2 --k1 0.02 --k2 0.05 --map "$out/range-$p.map.npy" --grad "$out/range-$p.grad.npy"
done
run "u255" u1.npy u2.npy --max-value 255 --map "$out/u255.map.npy" --grad "$out/u255.grad.npy"
run "heat" f1.npy f2.npy --map "$out/heat.png"
run "piq-pool" pool1.npy pool2.npy --convention piq --map "$out/piq-pool.map.npy" --grad "$out/piq-pool.grad.npy"
for p in v vd; do
  run "vol-$p" ${p}1.npy ${p}2.npy --window-size 5 --map "$out/vol-$p.map.npy" --loss-map "$out/vol-$p.loss.npy" --grad "$out/vol-$p.grad.npy"
  run "vol-valid-$p" ${p}1.npy ${p}2.npy --window-size 7 --padding valid --reduction sum --map "$out/vol-valid-$p.map.npy" --grad "$out/vol-valid-$p.grad.npy"
done
for p in f d big; do
  run "msssim-$p" ${p}1.npy ${p}2.npy --loss ms-ssim --loss-map "$out/msssim-$p.loss.npy" --grad "$out/msssim-$p.grad.npy"
  run "msssim-opts-$p" ${p}1.npy ${p}2.npy --loss ms-ssim --sigmas 0.5,1.5,3 --alpha 0.3 --compensation 2 --reduction sum --grad "$out/msssim-opts-$p.grad.npy"
done
run "msssim-none-d" d1.npy d2.npy --loss ms-ssim --reduction none --loss-map "$out/msssim-none-d.loss.npy" --grad "$out/msssim-none-d.grad.npy"
echo "recorded $n runs, $(ls "$out"/*.npy | wc -l) .npy outputs in $out"
