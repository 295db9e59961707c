package dev.flynn.engine.combine;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The combining structure of one call, one subclass per {@link CombineStrategy}. Workers are
 * numbered {@code [0, workers)}; worker {@code w} calls {@link #fine} or {@link #coarseTarget} and
 * {@link #afterCoarse} for each of its blocks, then {@link #arrive} once, or {@link #abort} when it
 * fails. {@link #result} is read by the caller after every worker has ended.
 */
abstract class Shared {

  final Workload workload;
  private final long[][] scratch;

  Shared(Workload workload, int workers) {
    this.workload = workload;
    this.scratch = new long[workers][];
  }

  static Shared of(CombineStrategy strategy, Workload workload, int workers) {
    return switch (strategy) {
      case SYNCHRONIZED -> new Monitor(workload, workers);
      case REENTRANT_LOCK -> new Locked(workload, workers);
      case CONDITION_BARRIER -> new Barrier(workload, workers);
      case SEMAPHORE -> new Binary(workload, workers);
      case ATOMIC -> new Atomic(workload, workers);
      case LONG_ADDER -> new Adders(workload, workers);
      case PARTIALS -> new Partials(workload, workers);
    };
  }

  /** The fine grain: every element of {@code a[from .. from + length)} updates the structure. */
  abstract void fine(float[] a, int from, int length, int worker);

  /**
   * Where the coarse grain reduces worker {@code worker}'s next block: by default the worker's
   * scratch partial, emptied, which {@link #afterCoarse} then combines.
   */
  long[] coarseTarget(int worker) {
    long[] s = scratch[worker];
    if (s == null) {
      s = scratch[worker] = workload.identity();
    } else {
      workload.clear(s);
    }
    return s;
  }

  /** The partial of worker {@code worker}'s last block. */
  final long[] scratch(int worker) {
    return scratch[worker];
  }

  /** Combines the block just reduced into {@link #coarseTarget}. */
  abstract void afterCoarse(int worker);

  /** Worker {@code worker} has done all its blocks. */
  void arrive(int worker) {}

  /** A worker failed: wake whoever waits for it. Never throws. */
  void abort() {}

  /** The combined slots, once every worker has ended. */
  abstract long[] result();

  // ------------------------------------------------------------- one shared array under a lock

  /** One shared array, combined into under a lock. */
  abstract static class SharedArray extends Shared {
    final long[] values;
    final Workload.ArraySlots slots;

    SharedArray(Workload workload, int workers) {
      super(workload, workers);
      this.values = workload.identity();
      this.slots = new Workload.ArraySlots(values);
    }

    @Override
    final long[] result() {
      return values;
    }
  }

  static final class Monitor extends SharedArray {
    Monitor(Workload workload, int workers) {
      super(workload, workers);
    }

    @Override
    void fine(float[] a, int from, int length, int worker) {
      for (int i = from; i < from + length; i++) {
        synchronized (this) {
          workload.element(a[i], slots);
        }
      }
    }

    @Override
    void afterCoarse(int worker) {
      synchronized (this) {
        workload.merge(scratch(worker), values);
      }
    }
  }

  static final class Locked extends SharedArray {
    private final ReentrantLock lock = new ReentrantLock();

    Locked(Workload workload, int workers) {
      super(workload, workers);
    }

    @Override
    void fine(float[] a, int from, int length, int worker) {
      for (int i = from; i < from + length; i++) {
        lock.lock();
        try {
          workload.element(a[i], slots);
        } finally {
          lock.unlock();
        }
      }
    }

    @Override
    void afterCoarse(int worker) {
      lock.lock();
      try {
        workload.merge(scratch(worker), values);
      } finally {
        lock.unlock();
      }
    }
  }

  /** A semaphore of one permit as the mutex; released in {@code finally}, so never leaked. */
  static final class Binary extends SharedArray {
    private final Semaphore permit = new Semaphore(1);

    Binary(Workload workload, int workers) {
      super(workload, workers);
    }

    @Override
    void fine(float[] a, int from, int length, int worker) {
      for (int i = from; i < from + length; i++) {
        permit.acquireUninterruptibly();
        try {
          workload.element(a[i], slots);
        } finally {
          permit.release();
        }
      }
    }

    @Override
    void afterCoarse(int worker) {
      permit.acquireUninterruptibly();
      try {
        workload.merge(scratch(worker), values);
      } finally {
        permit.release();
      }
    }
  }

  // ------------------------------------------------------------------------------ lock-free

  /** Atomic slots: {@code getAndAdd} for sums, a compare-and-set loop for minima. */
  static final class Atomic extends Shared implements Workload.Slots {
    private final AtomicLongArray values;

    Atomic(Workload workload, int workers) {
      super(workload, workers);
      this.values = new AtomicLongArray(workload.identity());
    }

    @Override
    public void add(int slot, long value) {
      values.getAndAdd(slot, value);
    }

    @Override
    public void min(int slot, long value) {
      long current = values.get(slot);
      // Retry only while the value would still lower the slot: a larger one loses at once.
      while (value < current && !values.compareAndSet(slot, current, value)) {
        current = values.get(slot);
      }
    }

    @Override
    void fine(float[] a, int from, int length, int worker) {
      for (int i = from; i < from + length; i++) {
        workload.element(a[i], this);
      }
    }

    @Override
    void afterCoarse(int worker) {
      long[] s = scratch(worker);
      for (int slot = 0; slot < workload.adds; slot++) {
        if (s[slot] != 0) {
          add(slot, s[slot]);
        }
      }
      for (int slot = workload.adds; slot < workload.width(); slot++) {
        min(slot, s[slot]);
      }
    }

    @Override
    long[] result() {
      long[] r = new long[values.length()];
      for (int slot = 0; slot < r.length; slot++) {
        r[slot] = values.get(slot);
      }
      return r;
    }
  }

  /** A {@code LongAdder} per sum and a {@code LongAccumulator} per minimum. */
  static final class Adders extends Shared implements Workload.Slots {
    private final LongAdder[] sums;
    private final LongAccumulator[] minima;

    Adders(Workload workload, int workers) {
      super(workload, workers);
      this.sums = new LongAdder[workload.adds];
      for (int s = 0; s < sums.length; s++) {
        sums[s] = new LongAdder();
      }
      this.minima = new LongAccumulator[workload.mins];
      for (int m = 0; m < minima.length; m++) {
        minima[m] = new LongAccumulator(Math::min, Long.MAX_VALUE);
      }
    }

    @Override
    public void add(int slot, long value) {
      sums[slot].add(value);
    }

    @Override
    public void min(int slot, long value) {
      minima[slot - workload.adds].accumulate(value);
    }

    @Override
    void fine(float[] a, int from, int length, int worker) {
      for (int i = from; i < from + length; i++) {
        workload.element(a[i], this);
      }
    }

    @Override
    void afterCoarse(int worker) {
      long[] s = scratch(worker);
      for (int slot = 0; slot < workload.adds; slot++) {
        if (s[slot] != 0) {
          sums[slot].add(s[slot]);
        }
      }
      for (int m = 0; m < minima.length; m++) {
        minima[m].accumulate(s[workload.adds + m]);
      }
    }

    @Override
    long[] result() {
      long[] r = new long[workload.width()];
      for (int s = 0; s < sums.length; s++) {
        r[s] = sums[s].sum();
      }
      for (int m = 0; m < minima.length; m++) {
        r[workload.adds + m] = minima[m].get();
      }
      return r;
    }
  }

  // ------------------------------------------------------------------- per-worker partials

  /**
   * One partial per worker, never shared; the caller adds them up in worker order. Each worker
   * allocates its own partial, so that partials come from the workers' own allocation buffers and
   * the hot slots of two workers do not share a cache line.
   */
  static class Partials extends Shared {
    private final long[][] partials;
    private final Workload.ArraySlots[] slots;

    Partials(Workload workload, int workers) {
      super(workload, workers);
      this.partials = new long[workers][];
      this.slots = new Workload.ArraySlots[workers];
    }

    private Workload.ArraySlots own(int worker) {
      Workload.ArraySlots own = slots[worker];
      if (own == null) {
        partials[worker] = workload.identity();
        own = slots[worker] = new Workload.ArraySlots(partials[worker]);
      }
      return own;
    }

    @Override
    final void fine(float[] a, int from, int length, int worker) {
      Workload.ArraySlots own = own(worker);
      for (int i = from; i < from + length; i++) {
        workload.element(a[i], own);
      }
    }

    @Override
    final long[] coarseTarget(int worker) {
      return own(worker).values;
    }

    @Override
    final void afterCoarse(int worker) {}

    /** The partials added up in worker order; a worker that had no block has none. */
    final long[] combined() {
      long[] r = workload.identity();
      for (long[] p : partials) {
        if (p != null) {
          workload.merge(p, r);
        }
      }
      return r;
    }

    @Override
    long[] result() {
      return combined();
    }
  }

  /**
   * Per-worker partials and a barrier on a {@link Condition}: each worker arrives when its blocks
   * are done and waits; the last to arrive combines the partials in worker order and wakes the
   * others. A worker that fails breaks the barrier, and the waiters return at once.
   */
  static final class Barrier extends Partials {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition opened = lock.newCondition();
    private final int workers;
    private int arrived;
    private boolean broken;
    private long[] combined;

    Barrier(Workload workload, int workers) {
      super(workload, workers);
      this.workers = workers;
    }

    @Override
    void arrive(int worker) {
      lock.lock();
      try {
        if (++arrived == workers) {
          combined = combined();
          opened.signalAll();
          return;
        }
        // Uninterruptible: the runner never interrupts its workers during a call (close waits for
        // the call), and a failing worker wakes everyone through abort.
        while (combined == null && !broken) {
          opened.awaitUninterruptibly();
        }
      } finally {
        lock.unlock();
      }
    }

    @Override
    void abort() {
      lock.lock();
      try {
        broken = true;
        opened.signalAll();
      } finally {
        lock.unlock();
      }
    }

    @Override
    long[] result() {
      lock.lock();
      try {
        return combined;
      } finally {
        lock.unlock();
      }
    }
  }
}
