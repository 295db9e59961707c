#!/bin/bash
# The figures quoted for issue 6 (the concurrency toolkit): one JMH run per suite and the threads
# against processes comparison, JSON and logs in $1 (default bench/target/concurrency-figures),
# then one report over all of them in $1/report. Run from the repository root on a quiet machine;
# about 10 minutes on 2 cores. `./flynn bench --kernels concurrency` runs the same suites with
# each class's own settings.
set -u
R=${1:-bench/target/concurrency-figures}
mkdir -p "$R/report"
run() { name=$1; shift; echo "== $name $(date +%T)"; ./flynn jmh "$@" -rf json -rff "$R/$name.json" > "$R/$name.log" 2>&1; echo "   exit $?"; }
run async 'AsyncBenchmark' -f 1 -wi 4 -w 300ms -i 5 -r 300ms
run requests 'RequestsBenchmark' -f 1 -wi 2 -w 1s -i 3 -r 1s
run combine 'CombineBenchmark' -p threads=1,2 -f 1 -wi 3 -w 200ms -i 3 -r 200ms
run stats 'StatsBenchmark' -f 1 -wi 5 -w 500ms -i 5 -r 500ms
run pipeline 'PipelineBenchmark' -f 1 -wi 3 -w 1s -i 4 -r 1s
echo "== processes $(date +%T)"
./flynn processes "$R/floats.f32" --generate 64Mi --workers 1,2 --rounds 3 --json "$R/report/processes.json" > "$R/processes.log" 2>&1
echo "   exit $?"
rm -f "$R/floats.f32"
python3 - "$R" <<'PY'
import json, sys
r = sys.argv[1]
merged = []
for name in ["async", "requests", "combine", "stats", "pipeline"]:
    try:
        merged += json.load(open(f"{r}/{name}.json"))
    except (OSError, ValueError) as e:
        print(f"   {name}: no results ({e})")
json.dump(merged, open(f"{r}/merged.json", "w"), indent=1)
PY
./flynn bench report --jmh "$R/merged.json" --out "$R/report"
