package dev.flynn.engine.process;

/**
 * A worker process failed: it exited with a non-zero status, its output could not be read or made
 * no sense, or it was destroyed because the {@link WorkerProcesses} that started it was closed. The
 * message names the child (its number, process id and main class), what went wrong, and the last
 * lines the child wrote on stderr; the cause, when there is one, is the original exception (for
 * example the parser's). By the time the caller sees this exception every child of the run has
 * ended.
 */
public final class WorkerProcessException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int child;
  private final int exitStatus;

  WorkerProcessException(String message, int child, int exitStatus, Throwable cause) {
    super(message, cause);
    this.child = child;
    this.exitStatus = exitStatus;
  }

  /** The failed child's number in the run, from 0. */
  public int child() {
    return child;
  }

  /** The child's exit status; -1 when it had not exited on its own. */
  public int exitStatus() {
    return exitStatus;
  }
}
