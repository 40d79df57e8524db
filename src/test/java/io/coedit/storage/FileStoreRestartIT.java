package io.coedit.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.coedit.support.JarProcess;
import io.coedit.support.OtClient;
import io.coedit.support.RandomEdits;
import io.coedit.support.RestClient;
import io.coedit.support.Tokens;
import io.coedit.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default start, as a user runs it: the jar with no storage property, in a folder of its own. Edits that were
 * acked survive a kill of the process (no shutdown hook runs), and an editor that reconnects catches up with sync.
 */
class FileStoreRestartIT {

    /** Only so that the test's tokens stay valid across the restart; nothing about storage is set. */
    private static final String SECRET = "--coedit.security.jwt.secret=" + Tokens.SECRET;

    @Test
    void everyAckedEditSurvivesAKillAndAReconnectingEditorCatchesUpWithSync() throws Exception {
        Path workingDirectory = Files.createTempDirectory("coedit-default-start-");
        long seed = System.nanoTime();
        RandomEdits random = new RandomEdits(seed);
        String doc = "survives-kill";
        String textBefore;
        long revBefore;
        String epochBefore;
        long revSeenByLateEditor;
        Set<String> acked = new HashSet<>();
        try (JarProcess first = JarProcess.start(workingDirectory, SECRET)) {
            List<OtClient> editors = List.of(
                    OtClient.open(first.port(), doc, Tokens.user("ada").sign(), "ada"),
                    OtClient.open(first.port(), doc, Tokens.user("bob").sign(), "bob"));
            editRandomly(editors, random, 60);
            try (WsClient late =
                    WsClient.connect(first.port(), doc, Tokens.user("late").sign())) {
                JsonNode joined = late.await("snapshot");
                epochBefore = joined.get("epoch").asString();
                revSeenByLateEditor = joined.get("rev").asLong();
            }
            editRandomly(editors, random, 60);
            for (OtClient editor : editors) {
                assertThat(editor.errors()).as("seed %d", seed).isEmpty();
                acked.addAll(editor.ackedIds());
            }
            textBefore = editors.get(0).text();
            revBefore = editors.get(0).rev();
            assertThat(editors.get(1).text()).isEqualTo(textBefore);
            assertThat(acked).as("seed %d", seed).hasSizeGreaterThan(60);
            assertThat(revSeenByLateEditor).isBetween(1L, revBefore - 1);
            first.kill();
            editors.forEach(OtClient::close);
        }
        assertThat(workingDirectory.resolve("data").resolve(StorageConfiguration.FILE_NAME))
                .exists();

        try (JarProcess second = JarProcess.start(workingDirectory, SECRET)) {
            JsonNode document = RestClient.document(second.port(), doc);
            assertThat(document.get("content").asString()).as("seed %d", seed).isEqualTo(textBefore);
            assertThat(document.get("rev").asLong()).isEqualTo(revBefore);
            assertThat(document.get("epoch").asString()).isEqualTo(epochBefore);
            Set<String> stored = new HashSet<>();
            for (long since = 0; since < revBefore; ) {
                JsonNode page = RestClient.ops(second.port(), doc, since);
                page.get("ops").forEach(op -> stored.add(op.get("id").asString()));
                since = page.get("rev").asLong();
            }
            assertThat(stored).as("every acked op once, nothing else").isEqualTo(acked);

            // the editor that saw the document early reconnects and asks for what it missed
            try (WsClient late =
                    WsClient.connect(second.port(), doc, Tokens.user("late").sign())) {
                late.await("snapshot");
                late.send(Map.of("type", "sync", "rev", revSeenByLateEditor, "epoch", epochBefore));
                List<Long> revs = new ArrayList<>();
                while (revs.size() < revBefore - revSeenByLateEditor) {
                    revs.add(late.await("op").get("rev").asLong());
                }
                assertThat(revs.get(0)).isEqualTo(revSeenByLateEditor + 1);
                assertThat(revs.get(revs.size() - 1)).isEqualTo(revBefore);
            }
        }
    }

    private static void editRandomly(List<OtClient> editors, RandomEdits random, int steps)
            throws InterruptedException {
        for (int step = 1; step <= steps; step++) {
            OtClient editor = editors.get(random.nextInt(editors.size()));
            editor.pump();
            editor.edit(random.smallEdit(editor.text()));
            if (step % 3 == 0) {
                // now and then everyone catches up, so most edits go out (and are acked) on their own
                for (OtClient each : editors) {
                    each.settle();
                }
            }
        }
        for (int round = 0; round < 2; round++) {
            for (OtClient editor : editors) {
                editor.settle();
            }
        }
    }
}
