package dev.flynn.engine.combine;

/** How often a worker touches the combining structure of a {@link CombineStrategy}. */
public enum Grain {

  /**
   * Every element updates the combining structure directly: one critical section, atomic update or
   * adder increment per element (several for a {@link Summary}). For {@link
   * CombineStrategy#PARTIALS} and {@link CombineStrategy#CONDITION_BARRIER} the structure is the
   * worker's own partial, so this is the cost of the element loop without sharing.
   */
  FINE,

  /**
   * Each block is first reduced into a private partial (the histogram by the engine's vector
   * kernel), and the partial is combined once per block; for {@link CombineStrategy#PARTIALS} and
   * {@link CombineStrategy#CONDITION_BARRIER} the block adds to the worker's own partial.
   */
  COARSE
}
