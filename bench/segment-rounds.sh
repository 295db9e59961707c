#!/bin/bash
# Segments against arrays at DRAM size, measured in interleaved rounds (issue 5's "within 10%"):
#   bench/segment-rounds.sh [rounds (5)] [storage to compare with ARRAY (MAPPED)] [output dir]
# Each round is one JMH run of SegmentBenchmark and one of IntegerSegmentBenchmark with one fork
# per kernel and storage, so a kernel's array and segment forks run seconds apart. On a shared
# machine the forks of one benchmark differ by up to 30% (where the memory lands, what the
# neighbours do), and JMH runs all forks of one variant back to back; a ratio taken inside each
# round, then the median over rounds, cancels that drift where -f 5 would not. Prints, per kernel,
# the median and range of the per-round time ratios (storage / array; below 1: the segment is
# faster) and the geometric mean over every pair. Run from the repository root on a quiet machine;
# about 3.5 minutes a round on 2 cores. Needs python3 for the summary.
set -u
rounds=${1:-5}
storage=${2:-MAPPED}
R=${3:-bench/target/segment-rounds}
mkdir -p "$R"
Q="-p mode=SIMD -p threads=1 -p storage=ARRAY,$storage -f 1 -wi 2 -w 300ms -i 3 -r 300ms"
for round in $(seq 1 "$rounds"); do
  for suite in SegmentBenchmark IntegerSegmentBenchmark; do
    echo "== round $round of $rounds: $suite $(date +%T)"
    ./flynn jmh "bench\\.$suite\\." $Q -rf json -rff "$R/$suite-$round.json" > "$R/$suite-$round.log" 2>&1 \
      || { echo "JMH failed: $R/$suite-$round.log" >&2; exit 1; }
  done
done
python3 - "$R" "$storage" <<'PY'
import collections, glob, json, math, statistics, sys
folder, storage = sys.argv[1], sys.argv[2]
ratios, arrays = collections.defaultdict(list), collections.defaultdict(list)
for name in sorted(glob.glob(folder + '/*.json')):
    scores = {}
    for row in json.load(open(name)):
        p = row['params']
        kernel = row['benchmark'].rsplit('.', 1)[1] + (' ' + p['type'].lower() if 'type' in p else '')
        scores[(kernel, p['storage'])] = row['primaryMetric']['score']
    for (kernel, s), score in scores.items():
        if s == storage and (kernel, 'ARRAY') in scores:
            ratios[kernel].append(score / scores[(kernel, 'ARRAY')])
            arrays[kernel].append(scores[(kernel, 'ARRAY')])
print(f"{storage.lower()} / array, per-round ratios at 16 Mi elements, one thread, SIMD")
print(f"{'kernel':16s} {'median':>6s} {'range':>11s} {'rounds':>6s} {'array ms':>9s}")
for kernel, rs in sorted(ratios.items(), key=lambda kv: -statistics.median(kv[1])):
    print(f"{kernel:16s} {statistics.median(rs):6.2f} {min(rs):5.2f}-{max(rs):4.2f} {len(rs):6d}"
          f" {statistics.median(arrays[kernel]) / 1000:9.2f}")
logs = [math.log(r) for rs in ratios.values() for r in rs]
print(f"geometric mean of all {len(logs)} pairs: {math.exp(sum(logs) / len(logs)):.3f}")
PY
