#!/bin/bash
# The figures quoted for issue 5 (the kernel catalogue): one JMH run per group, JSON and logs in
# $1 (default bench/target/catalogue-figures). Run from the repository root on a quiet machine;
# about 40 minutes on 2 cores, 18 of them the segment rounds (bench/segment-rounds.sh). Summarise
# a JSON file with any JMH viewer or `./flynn bench report`.
set -u
R=${1:-bench/target/catalogue-figures}
mkdir -p "$R"
Q="-wi 3 -w 300ms -i 3 -r 300ms -f 1"
G="-p shape=1024x1024x1024,2048x2048x2048 -wi 3 -w 1s -i 4 -r 1s -f 1"
run() { name=$1; shift; echo "== $name $(date +%T)"; ./flynn jmh "$@" -rf json -rff "$R/$name.json" > "$R/$name.log" 2>&1; echo "   exit $?"; }
run gemm-1-thread '^dev.flynn.bench.GemmBenchmark.gemm$' -p mode=SIMD -p threads=1 $G
run gemm-2-threads '^dev.flynn.bench.GemmBenchmark.gemm$' -p mode=SIMD_MIMD -p threads=2 $G
run gemm-nd4j '^dev.flynn.bench.Nd4jGemmBenchmark.gemm$' -p threads=1,2 $G
run reductions 'FloatKernelBenchmark.(sum|dot|norm2|cosine)$' -p size=4096,65536,16777216 -p mode=SISD,SIMD,AUTO -p threads=0 $Q
run reductions-nd4j 'Nd4jPeerBenchmark.(sum|dot|norm2|cosine)$' -p size=4096,65536,16777216 -p threads=1,0 $Q
run transcendental 'FloatKernelBenchmark.(exp|log|tanh|sigmoid)$' -p size=65536 -p mode=SISD,SIMD -p threads=1 $Q
bench/segment-rounds.sh 5 MAPPED "$R/segment-rounds" > "$R/segment-rounds.txt" # segments against arrays, interleaved
run similarity 'SimilarityBenchmark.(dotScores|cosineScores)$' -p shape=10000x128 -p type=float -p mode=SISD,SIMD,SIMD_MIMD $Q
run maps 'FloatKernelBenchmark.(neg|abs|sqrt|log|tanh|sigmoid|relu|clamp|minimum|maximum|select|selectPairwise|convert|convertInts)$' -p size=4096,65536,16777216 -p mode=SIMD -p threads=1 -wi 2 -w 200ms -i 3 -r 200ms -f 1
run plain-and-auto '(FlynnPeerBenchmark|PlainLoopPeerBenchmark).(add|mul|scale|axpy|exp|neg|abs|sqrt|log|tanh|sigmoid|relu|clamp|minimum|maximum|select|selectPairwise|convert)$' -p size=4096,65536,16777216 -wi 2 -w 200ms -i 3 -r 200ms -f 1
