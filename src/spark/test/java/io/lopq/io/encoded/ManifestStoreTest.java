package io.lopq.io.encoded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.format.encoded.EncodedFile;
import io.lopq.format.encoded.EncodedFormat;
import io.lopq.format.encoded.EncodedManifest;
import io.lopq.format.encoded.EncodedPartition;
import io.lopq.format.encoded.KeptColumn;
import io.lopq.format.encoded.ManifestJson;
import io.lopq.format.vectors.InvalidInputException;
import io.lopq.model.LopqModel;
import io.lopq.model.ModelMetadata;
import io.lopq.model.TestModels;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest's revision files on a Hadoop file system: newest wins, atomic publication, races refused. */
class ManifestStoreTest {
  private static final LopqModel MODEL = TestModels.random(7, 8, 3, 4, 5, ModelMetadata.EMPTY);
  private static final KeptColumn URL = new KeptColumn("url", KeptColumn.Type.STRING, true);
  private static final Configuration CONF = new Configuration();

  @TempDir File temp;

  private static EncodedManifest next(EncodedManifest manifest, int i) {
    EncodedFile f = new EncodedFile("p" + i + "/part-0.parquet", 10 + i, 100, 0, 1, 2, 0);
    return manifest.withPartition(new EncodedPartition("p" + i, "v" + i, 10 + i, i, "2026-01-01T00:00:00Z",
        List.of(f)));
  }

  @Test
  void manifestRoundTripsAndKeepsOnlyRecentRevisions() throws IOException {
    Path root = new Path(temp.getAbsolutePath(), "revisions");
    FileSystem fs = root.getFileSystem(CONF);
    fs.mkdirs(root);
    EncodedManifest manifest = EncodedManifest.empty(MODEL, true, List.of(URL), null);
    assertNull(ManifestStore.read(fs, root));
    List<EncodedManifest> all = new ArrayList<>();
    for (int i = 0; i < ManifestStore.KEPT_REVISIONS + 2; i++) {
      manifest = next(manifest, i);
      ManifestStore.commit(fs, root, manifest);
      all.add(manifest);
    }
    EncodedManifest read = ManifestStore.read(fs, root);
    assertEquals(manifest.revision(), read.revision());
    assertArrayEquals(ManifestJson.render(manifest), ManifestJson.render(read));
    assertEquals(manifest.partitions(), read.partitions());
    assertEquals(manifest, read);
    assertEquals(ManifestStore.KEPT_REVISIONS, fs.listStatus(root, p -> p.getName().startsWith(
        EncodedFormat.MANIFEST_PREFIX)).length);
    assertFalse(fs.exists(new Path(root, EncodedFormat.manifestFileName(1))));
    // A stale writer (based on an older revision) is refused instead of losing partitions.
    EncodedManifest stale = all.get(2).withPartition(new EncodedPartition("late", null, 0, 0, "2026-01-01T00:00:00Z",
        List.of()));
    FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
        () -> ManifestStore.commit(fs, root, stale));
    assertTrue(e.getMessage().contains("revision " + manifest.revision() + " exists already"), e.getMessage());
    assertEquals(manifest.revision(), ManifestStore.read(fs, root).revision());
    assertEquals(List.of(), hiddenLeftovers(root), "no temporary file is left");
  }

  @Test
  void writesTheCodecsBytesUnderTheRevisionsName() throws IOException {
    Path root = new Path(temp.getAbsolutePath(), "bytes");
    FileSystem fs = root.getFileSystem(CONF);
    fs.mkdirs(root);
    EncodedManifest manifest = next(next(EncodedManifest.empty(MODEL, false, List.of(), "date"), 0), 1);
    ManifestStore.commit(fs, root, manifest);
    File file = new File(temp, "bytes/_lopq_manifest-0000000002.json");
    assertArrayEquals(ManifestJson.render(manifest), Files.readAllBytes(file.toPath()));
    assertThrows(IllegalStateException.class, () -> ManifestStore.commit(fs, root,
        EncodedManifest.empty(MODEL, false, List.of(), null)), "revision 0 is never stored");
  }

  @Test
  void missingRootOrNoManifestReadsAsNull() throws IOException {
    Path root = new Path(temp.getAbsolutePath(), "absent");
    FileSystem fs = root.getFileSystem(CONF);
    assertNull(ManifestStore.read(fs, root));
    fs.mkdirs(root);
    Files.writeString(new File(temp, "absent/_lopq_manifest-x.json").toPath(), "{}");
    Files.writeString(new File(temp, "absent/._lopq_manifest-0000000003.json.tmp-1").toPath(), "{}");
    assertNull(ManifestStore.read(fs, root), "neither a foreign name nor a temporary file is a revision");
  }

  @Test
  void readErrorsNameTheNewestFile() throws IOException {
    Path root = new Path(temp.getAbsolutePath(), "bad");
    FileSystem fs = root.getFileSystem(CONF);
    fs.mkdirs(root);
    EncodedManifest one = next(EncodedManifest.empty(MODEL, false, List.of(), null), 0);
    ManifestStore.commit(fs, root, one);

    File renamed = new File(temp, "bad/" + EncodedFormat.manifestFileName(4));
    Files.write(renamed.toPath(), ManifestJson.render(one));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ManifestStore.read(fs, root));
    assertTrue(e.getMessage().contains(renamed.getPath()), e.getMessage());
    assertTrue(e.getMessage().contains("records revision 1, but its name says 4"), e.getMessage());

    String json = new String(ManifestJson.render(one), StandardCharsets.UTF_8).replaceFirst("\"rows\" : 10,",
        "\"rows\" : \"ten\",");
    Files.writeString(renamed.toPath(), json);
    e = assertThrows(InvalidInputException.class, () -> ManifestStore.read(fs, root));
    assertTrue(e.getMessage().contains(renamed.getPath()), e.getMessage());
    assertTrue(e.getMessage().contains("partitions[0].rows"), e.getMessage());
  }

  private List<String> hiddenLeftovers(Path root) {
    String[] names = new File(root.toUri().getPath()).list();
    return Arrays.stream(names).filter(n -> n.startsWith(".") && !n.endsWith(".crc")).toList();
  }
}
