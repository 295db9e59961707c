package dev.flynn.engine.stream;

/** The type of the values in a stream: IEEE 754 binary32 or binary64, little-endian. */
public enum ElementType {
  /** 4-byte little-endian floats. */
  FLOAT(4),
  /** 8-byte little-endian doubles. */
  DOUBLE(8);

  private final int bytes;

  ElementType(int bytes) {
    this.bytes = bytes;
  }

  /** Bytes per value. */
  public int bytes() {
    return bytes;
  }
}
