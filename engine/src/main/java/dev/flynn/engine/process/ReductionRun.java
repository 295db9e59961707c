package dev.flynn.engine.process;

import java.time.Duration;

/**
 * One reduction of a mapped file by {@link MappedFileReduction}, with what it cost. The figures are
 * measured, not estimated, and are as noisy as the machine.
 *
 * @param way {@code threads} or {@code processes}
 * @param workers the threads or worker processes that shared the file (at most one per part)
 * @param summary the result
 * @param wall from the call's start to the combined result
 * @param cpu CPU time, user plus system: with threads, this JVM's during the call (JIT and GC
 *     included); with processes, the sum over the children of each one's whole life (its JVM's
 *     start-up included), as each child reports it at its end
 * @param startup with threads, until the last worker thread began its work; with processes, until
 *     the last child wrote its first line (a child writes it as its main method starts: that is the
 *     JVM's start-up as the parent sees it)
 * @param peakRssBytes the peak resident set (Linux {@code VmHWM}, mapped file pages included): with
 *     threads, this whole JVM's since it started; with processes, the sum of the children's peaks;
 *     -1 where the system does not tell
 */
public record ReductionRun(
    String way,
    int workers,
    FloatFileSummary summary,
    Duration wall,
    Duration cpu,
    Duration startup,
    long peakRssBytes) {}
