#!/usr/bin/env bash
# scripts/gpu-check.sh: the device check for a machine WITH a GPU, in under 8 minutes, without network.
#  1. `fedmem doctor` (text, then --json): which backends load, and the WebGPU adapters Dawn finds;
#  2. the tiny preset through `fedmem run` with compute.backend set to each GPU backend that loads here
#     (tensorflow-gpu; webgpu when its adapter is hardware);
#  3. `npm run bench` per model (cnn, vgg9, resnet18) on webgpu (then tensorflow-gpu while time remains), each
#     beside wasm in the same run and PyTorch on CUDA when /usr/bin/python3 can import torch;
#  4. one summary table: backend, model, samples/s, ratio to wasm, ratio to PyTorch.
# Each step has its own time limit (timeout) and the whole check a budget: a step that no longer fits is skipped
# and listed as such. Runs go to a temporary data folder, removed at the end unless a step failed. Exit status 1 when a step failed.
# Without a hardware GPU it says so and runs the doctor only; with --software also the tiny items (the tiny preset,
# the cnn bench) on WebGPU's software adapter (Mesa llvmpipe, SwiftShader: slow, for testing the path).
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bash scripts/gpu-check.sh [--software] [--budget SECONDS]
  The device check for a machine with a GPU (no network, under 8 minutes): fedmem doctor, the tiny preset
  on each GPU backend that loads (tensorflow-gpu; webgpu on a hardware adapter), npm run bench for cnn, vgg9
  and resnet18 on webgpu (then tensorflow-gpu) beside wasm and PyTorch on CUDA (when importable), and a
  summary table: backend, model, samples/s, ratio to wasm, ratio to PyTorch.
    --software        without a hardware GPU, also run the tiny items (tiny preset, cnn bench on 256 samples)
                      on WebGPU's software adapter
    --budget SECONDS  time for the whole check (default 470); steps that no longer fit are skipped
  Exit status: 0 when every step that ran passed, 1 when one failed or timed out, 2 on a usage error.
EOF
}

SOFTWARE=0
BUDGET=470
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --software) SOFTWARE=1 ;;
    --budget) BUDGET="${2:?--budget needs a number of seconds}"; shift ;;
    *) echo "gpu-check: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

cd "$(dirname "${BASH_SOURCE[0]}")/.."
FAILED=0
WORK="$(mktemp -d "${TMPDIR:-/tmp}/fedmem-gpu-check.XXXXXX")"
# The logs stay when a step failed (a failed run's message points into them).
trap 'if [[ $FAILED == 0 ]]; then rm -rf "$WORK"; else echo "gpu-check: logs kept in $WORK"; fi' EXIT
export FEDMEM_DATA_DIR="$WORK/data"
FEDMEM=(node bin/fedmem.js)
TSX=(node --import tsx --input-type=module -e)
ROWS=()  # backend|model|samples/s|ratio to wasm|ratio to PyTorch|note
STEPS=() # what ran, how it ended and how long it took

# Seconds left in the budget.
left() { echo $((BUDGET - SECONDS)); }

# step NAME LIMIT SHOW LOG CMD...: runs CMD with `timeout min(LIMIT, time left)`, its output to LOG and its last
# SHOW lines (all: every line) to the terminal; skips it when under 20 s remain. Sets STEP_RC (0 ok, 124 timed
# out, 125 skipped).
step() {
  local name="$1" limit="$2" show="$3" log="$4" t0=$SECONDS
  shift 4
  local rest
  rest=$(left)
  if ((rest < 20)); then
    STEPS+=("$name: skipped (the ${BUDGET} s budget is spent)")
    STEP_RC=125
    return 0
  fi
  ((limit > rest)) && limit=$rest
  echo "== $name (limit ${limit} s)"
  STEP_RC=0
  timeout --kill-after=10 "$limit" "$@" >"$log" 2>&1 || STEP_RC=$?
  if [[ "$show" == all ]]; then
    sed 's/^/   /' "$log"
  elif ((show > 0)); then
    grep -v '^Warning: maxDynamic' "$log" | tail -n "$show" | sed 's/^/   /'
  fi
  local how="ok"
  ((STEP_RC == 124 || STEP_RC == 137)) && how="timed out after ${limit} s"
  ((STEP_RC != 0 && STEP_RC != 124 && STEP_RC != 137)) && how="failed (exit $STEP_RC)"
  ((STEP_RC != 0)) && FAILED=1
  STEPS+=("$name: $how in $((SECONDS - t0)) s")
}

# 1. The doctor, for people, then as JSON for this script; and the WebGPU adapters as Dawn lists them.
step "fedmem doctor" 90 all "$WORK/doctor.txt" "${FEDMEM[@]}" doctor
step "fedmem doctor --json" 60 0 "$WORK/doctor.json" "${FEDMEM[@]}" doctor --json --seconds 0
step "WebGPU adapters" 60 0 "$WORK/adapters.json" "${TSX[@]}" "
  const { listWebGpuAdapters } = await import('./src/main/engine/compute/webgpu.ts');
  console.log(JSON.stringify(await listWebGpuAdapters()));"

# Reads the doctor's JSON and Dawn's adapter list: prints 'tensorflow-gpu', 'webgpu' (hardware adapter) or
# 'webgpu-software', one a line, and the reason there is no hardware GPU on stderr.
PLAN="$(node -e '
  const fs = require("fs");
  const read = (f) => { try { const t = fs.readFileSync(f, "utf8"); return JSON.parse(t.slice(t.search(/^\{/m))); } catch { return null; } };
  const lastJson = (f) => { try { const l = fs.readFileSync(f, "utf8").trim().split("\n").filter((s) => s.startsWith("[")); return JSON.parse(l.pop()); } catch { return null; } };
  const doctor = read(process.argv[1]);
  const probes = lastJson(process.argv[2]) || [];
  const entry = (n) => doctor?.backends?.find((b) => b.name === n);
  const adapters = probes.filter((p) => p.adapter).map((p) => p.adapter);
  const webgpuOk = entry("webgpu") ? entry("webgpu").loads : true;
  const out = [];
  if (entry("tensorflow-gpu")?.loads) out.push("tensorflow-gpu");
  if (webgpuOk && adapters.some((a) => !a.software)) out.push("webgpu");
  else if (webgpuOk && adapters.length) out.push("webgpu-software");
  const why = [];
  if (!out.includes("tensorflow-gpu")) why.push("tensorflow-gpu does not load (" + (entry("tensorflow-gpu")?.summary ?? "no doctor report") + ")");
  if (!out.includes("webgpu")) why.push(adapters.length ? "WebGPU has only a software adapter (" + adapters.map((a) => a.device || a.description).join(", ") + ")" : "WebGPU finds no adapter");
  if (!out.some((b) => b !== "webgpu-software")) console.error(why.join("; "));
  console.log(out.join("\n"));
' "$WORK/doctor.json" "$WORK/adapters.json" 2>"$WORK/why.txt")"

GPU_BACKENDS=()
HAS_SOFTWARE=0
while IFS= read -r b; do
  [[ "$b" == webgpu-software ]] && HAS_SOFTWARE=1
  [[ "$b" == tensorflow-gpu || "$b" == webgpu ]] && GPU_BACKENDS+=("$b")
done <<<"$PLAN"

# Items: backend, the preset run's limit, bench models and samples.
TINY_BACKENDS=()
BENCH_ITEMS=() # backend:model:samples
if ((${#GPU_BACKENDS[@]} > 0)); then
  echo "== hardware GPU backends here: ${GPU_BACKENDS[*]}"
  TINY_BACKENDS=("${GPU_BACKENDS[@]}")
  # webgpu first (the backend this check is for), then tensorflow-gpu while the budget lasts.
  for b in webgpu tensorflow-gpu; do
    [[ " ${GPU_BACKENDS[*]} " == *" $b "* ]] || continue
    BENCH_ITEMS+=("$b:cnn:2048" "$b:vgg9:256" "$b:resnet18:128")
  done
else
  echo "== no hardware GPU here: $(cat "$WORK/why.txt")"
  if ((SOFTWARE == 1 && HAS_SOFTWARE == 1)); then
    echo "   --software: the tiny items on WebGPU's software adapter (slow; it tests the path, not the speed)"
    TINY_BACKENDS=(webgpu)
    BENCH_ITEMS=("webgpu:cnn:256")
  elif ((SOFTWARE == 1)); then
    echo "   --software: WebGPU has no software adapter either; nothing to run on it"
  else
    echo "   (bash scripts/gpu-check.sh --software runs the tiny items on WebGPU's software adapter)"
  fi
fi

# 2. The tiny preset on each backend, through the CLI with a config whose compute.backend is that backend.
for b in ${TINY_BACKENDS[@]+"${TINY_BACKENDS[@]}"}; do
  "${TSX[@]}" "
    const { getPreset } = await import('./src/shared/presets.ts');
    const c = getPreset('tiny');
    console.log(JSON.stringify({ ...c, name: 'gpu-check tiny on $b', compute: { ...c.compute, backend: '$b' } }));
  " >"$WORK/tiny-$b.json" || true
  step "tiny preset on $b" 150 8 "$WORK/tiny-$b.log" "${FEDMEM[@]}" run --config "$WORK/tiny-$b.json"
done

# 3. The per-model bench; its last line (--json) holds the figures.
for item in ${BENCH_ITEMS[@]+"${BENCH_ITEMS[@]}"}; do
  IFS=: read -r b model samples <<<"$item"
  log="$WORK/bench-$b-$model.log"
  step "bench $model on $b ($samples samples)" 120 10 "$log" \
    node --import tsx scripts/bench.ts --backend "$b" --model "$model" --samples "$samples" --json
  if ((STEP_RC == 125)); then
    ROWS+=("$b|$model|-|-|-|skipped: out of time")
    continue
  fi
  ROWS+=("$(node -e '
    const fs = require("fs");
    const [log, b, model, rc] = process.argv.slice(1);
    const line = fs.readFileSync(log, "utf8").trim().split("\n").filter((l) => l.startsWith("{")).pop();
    const r = line ? JSON.parse(line) : null;
    const f = (v, d) => (v == null ? "-" : v.toFixed(d));
    if (!r) {
      const err = fs.readFileSync(log, "utf8").split("\n").find((l) => /^\w*Error\b|^error:/.test(l)) ?? "";
      const how = rc === "124" || rc === "137" ? "timed out" : "failed (exit " + rc + ") " + err.slice(0, 80);
      console.log([b, model, "-", "-", "-", how.trim()].join("|"));
      process.exit(0);
    }
    const torch = r.torch ? "PyTorch " + r.torch.device + " " + f(r.torch.samplesPerSecond, 1) + "/s" : r.torchMissing ? "no PyTorch" : "";
    console.log([r.backend, model, f(r.samplesPerSecond, 1), f(r.ratioToWasm, 2), f(r.ratioToTorch, 2), "wasm " + f(r.wasm, 1) + "/s; " + torch].join("|"));
  ' "$log" "$b" "$model" "$STEP_RC")")
done

# 4. The summary.
echo
echo "== steps"
for s in "${STEPS[@]}"; do echo "   $s"; done
echo
echo "== throughput (samples/s; ratios of the backend's figure to wasm's with all cores and to PyTorch's)"
if ((${#ROWS[@]} == 0)); then
  echo "   nothing measured"
else
  printf '%s\n' "backend|model|samples/s|x wasm|x PyTorch|beside it" "${ROWS[@]}" | node -e '
    const rows = require("fs").readFileSync(0, "utf8").trim().split("\n").map((l) => l.split("|"));
    const w = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
    for (const r of rows) console.log("   " + r.map((c, i) => (i < 2 || i === r.length - 1 ? c.padEnd(w[i]) : c.padStart(w[i]))).join("  ").trimEnd());
  '
fi
echo
echo "gpu-check: $([[ $FAILED == 0 ]] && echo 'every step that ran passed' || echo 'a step failed or timed out (logs above)') in ${SECONDS} s"
exit "$FAILED"
