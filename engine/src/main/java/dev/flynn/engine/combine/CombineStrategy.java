package dev.flynn.engine.combine;

/**
 * How parallel workers combine their partial results into one: the classic locks, their lock-free
 * alternatives, and no sharing at all. Every strategy gives exactly the same result for the
 * workloads of {@link Combiner} (integer counts and sums, and minima, whose combination is
 * associative and commutative), so the choice is about cost only; {@code docs/combine.md} has the
 * measurements of {@code CombineBenchmark}.
 *
 * <p>With {@link Grain#FINE} every element updates the shared structure (one critical section or
 * atomic operation per element); with {@link Grain#COARSE} each block is first reduced into a
 * private partial and the partial is combined once.
 */
public enum CombineStrategy {

  /**
   * A monitor ({@code synchronized}) around every update of one shared array. Cheapest lock when
   * uncontended (a CAS on the object header); under contention threads inflate the monitor and
   * park. Right for rare, short updates.
   */
  SYNCHRONIZED,

  /**
   * A non-fair {@link java.util.concurrent.locks.ReentrantLock} around every update of one shared
   * array. Costs about what {@code synchronized} costs; it adds timed and interruptible acquisition
   * and conditions, which combining does not need.
   */
  REENTRANT_LOCK,

  /**
   * Each worker reduces into its own partial, then waits on a {@link
   * java.util.concurrent.locks.Condition} until every worker's partial is in; the last one to
   * arrive combines them in worker order and wakes the others. One synchronisation per worker, but
   * every worker idles until the slowest is done. A worker that fails breaks the barrier and wakes
   * every waiter. Right when the workers must all see the combined result before going on (a phase
   * of an iterative algorithm).
   */
  CONDITION_BARRIER,

  /**
   * A binary {@link java.util.concurrent.Semaphore} (one permit, so a mutex) around every update of
   * one shared array. Binary because the structure is one array that every update writes: permits
   * as slots would need one copy of the structure per permit (striping), which is what {@link
   * #PARTIALS} does fully. A semaphore has no owner, so any thread may release it; that makes it
   * the wrong tool for mutual exclusion, and it is here to be measured, not used.
   */
  SEMAPHORE,

  /**
   * An {@link java.util.concurrent.atomic.AtomicLongArray}: additions by {@code getAndAdd} (one
   * hardware atomic add), minima by a compare-and-set loop. No lock, no parking; under contention
   * the cache line of a hot slot bounces between cores.
   */
  ATOMIC,

  /**
   * One {@link java.util.concurrent.atomic.LongAdder} per added slot and one {@link
   * java.util.concurrent.atomic.LongAccumulator} per minimum: contended updates spread over
   * per-thread cells, summed when read. Fast for a few hot counters; for a histogram of many bins
   * each adder's cells multiply the memory.
   */
  LONG_ADDER,

  /**
   * Each worker reduces into its own partial array, never shared; the caller adds the partials in
   * worker order once every worker is done. No synchronisation per element or per block, memory of
   * one partial per worker. What the engine's histograms do.
   */
  PARTIALS
}
