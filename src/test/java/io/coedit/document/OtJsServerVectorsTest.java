package io.coedit.document;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.json.JsonMapper;

import io.coedit.ot.TextOperation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The submit path against the "server" section of the shared vectors, which ot.js's own
 * {@code Server.receiveOperation} computed: an unmodified ot.js client can only converge with a server that
 * transforms exactly as that one does, ties included.
 */
class OtJsServerVectorsTest {

    private static final Author AUTHOR = new Author("vectors", "Vectors");

    @TestFactory
    Stream<DynamicTest> submitTransformsAsOtJsServerDoes() throws IOException {
        List<Map<String, Object>> cases = section("server");
        assertThat(cases).isNotEmpty();
        return IntStream.range(0, cases.size())
                .mapToObj(i -> DynamicTest.dynamicTest("server #" + i, () -> check(cases.get(i))));
    }

    @SuppressWarnings("unchecked")
    private static void check(Map<String, Object> vector) {
        DocumentService service = new DocumentService(
                new InMemoryDocumentStore(1_000), new DocumentProperties(1_000_000, 1_000), Clock.systemUTC());
        DocumentId doc = new DocumentId("vectors");
        String epoch = service.snapshot(doc).epoch();
        String initial = (String) vector.get("doc");
        if (!initial.isEmpty()) {
            // the vector's revision 0 is its starting text; here that text is revision 1
            service.submit(doc, epoch, 0, TextOperation.fromComponents(List.of(initial)), "setup:1", AUTHOR);
        }
        long offset = initial.isEmpty() ? 0 : 1;
        List<Map<String, Object>> submissions = (List<Map<String, Object>>) vector.get("submissions");
        List<Object> applied = (List<Object>) vector.get("applied");
        for (int k = 0; k < submissions.size(); k++) {
            Map<String, Object> submission = submissions.get(k);
            long rev = ((Number) submission.get("rev")).longValue() + offset;
            TextOperation op = TextOperation.fromComponents((List<?>) submission.get("op"));
            SubmitResult result = service.submit(doc, epoch, rev, op, "v:" + k, AUTHOR);
            assertThat(((SubmitResult.Accepted) result).op().op().toComponents())
                    .as("applied[%d] of %s", k, vector)
                    .isEqualTo(applied.get(k));
        }
        assertThat(service.snapshot(doc).content()).isEqualTo(vector.get("result"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> section(String name) throws IOException {
        try (InputStream in = OtJsServerVectorsTest.class.getResourceAsStream("/ot/vectors.json")) {
            assertThat(in).as("ot/vectors.json on the test classpath").isNotNull();
            return (List<Map<String, Object>>)
                    JsonMapper.builder().build().readValue(in, Map.class).get(name);
        }
    }
}
