package io.lopq.it;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Writes the malformed files of the bad-input tests byte by byte (the project's writers refuse to
 * make most of them): .fvecs records of mixed dimension or with NaN/Inf values, truncated files,
 * models with a flipped byte.
 */
final class BadFiles {
  private BadFiles() {}

  /** An .fvecs file whose records are exactly {@code rows} (each record may have its own length). */
  static Path fvecs(Path file, List<float[]> rows) {
    try {
      Files.createDirectories(file.getParent());
      try (OutputStream out = Files.newOutputStream(file)) {
        for (float[] row : rows) {
          ByteBuffer record = ByteBuffer.allocate(4 + 4 * row.length).order(ByteOrder.LITTLE_ENDIAN);
          record.putInt(row.length);
          for (float v : row) {
            record.putFloat(v);
          }
          out.write(record.array());
        }
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** A copy of {@code source} without its last {@code bytes} bytes. */
  static Path truncatedCopy(Path source, Path target, int bytes) {
    try {
      byte[] all = Files.readAllBytes(source);
      Files.createDirectories(target.getParent());
      Files.write(target, java.util.Arrays.copyOf(all, all.length - bytes));
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot truncate " + source, e);
    }
  }

  /** Flips every bit of the byte at {@code offset} (from the end if negative) of a file in place. */
  static void flipByte(Path file, long offset) {
    try (var channel = Files.newByteChannel(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long position = offset >= 0 ? offset : channel.size() + offset;
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.position(position).read(one);
      one.put(0, (byte) ~one.get(0)).rewind();
      channel.position(position).write(one);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot modify " + file, e);
    }
  }

  /** A text file. */
  static Path text(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** A copy of a folder tree. */
  static Path copyTree(Path source, Path target) {
    try (var walk = Files.walk(source)) {
      for (Path p : walk.toList()) {
        Path to = target.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + source, e);
    }
  }

  /** Writes ints as big-endian, for files that must not look like any known format. */
  static Path junk(Path file, int count) {
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
      for (int i = 0; i < count; i++) {
        out.writeInt(0x7F000000 + i);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
