package io.coedit.ot;

import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.coedit.support.RandomEdits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Randomized checks of the OT laws on documents full of emoji. Every run uses a fresh seed, printed once and named in
 * every failure; {@code -Dot.seed=N} replays a run exactly.
 */
class OtPropertiesTest {

    static final long SEED = Long.getLong("ot.seed", System.nanoTime());

    @BeforeAll
    static void printSeed() {
        System.out.println("OtPropertiesTest seed " + SEED + " (replay with -Dot.seed=" + SEED + ")");
    }

    @Test
    void transformConvergesAndComposesToTheSameOperation() {
        RandomEdits random = new RandomEdits(SEED);
        for (int n = 0; n < 40_000; n++) {
            String doc = random.doc();
            TextOperation a = random.operation(doc);
            TextOperation b = random.operation(doc);
            Supplier<String> where = where(n, () -> "doc=" + quote(doc) + " a=" + a + " b=" + b);

            TransformedPair pair = TextOperation.transform(a, b);
            TextOperation aPrime = pair.first();
            TextOperation bPrime = pair.second();
            String afterA = a.apply(doc);
            String afterB = b.apply(doc);
            assertThat(afterA.length()).as(where).isEqualTo(a.targetLength());
            assertThat(aPrime.baseLength()).as(where).isEqualTo(b.targetLength());
            assertThat(bPrime.baseLength()).as(where).isEqualTo(a.targetLength());
            assertThat(aPrime.targetLength()).as(where).isEqualTo(bPrime.targetLength());

            String converged = bPrime.apply(afterA);
            assertThat(aPrime.apply(afterB)).as(where).isEqualTo(converged);
            TextOperation viaA = a.compose(bPrime);
            TextOperation viaB = b.compose(aPrime);
            assertThat(viaA.apply(doc)).as(where).isEqualTo(converged);
            assertThat(viaB.apply(doc)).as(where).isEqualTo(converged);
            assertThat(viaA).as(where).isEqualTo(viaB);
        }
    }

    @Test
    void composeAgreesWithSequentialApplyAndIsAssociative() {
        RandomEdits random = new RandomEdits(SEED ^ 0x5EED_0001L);
        for (int n = 0; n < 30_000; n++) {
            String doc = random.doc();
            TextOperation a = random.operation(doc);
            String afterA = a.apply(doc);
            TextOperation b = random.operation(afterA);
            String afterB = b.apply(afterA);
            TextOperation c = random.operation(afterB);
            Supplier<String> where = where(n, () -> "doc=" + quote(doc) + " a=" + a + " b=" + b + " c=" + c);

            TextOperation ab = TextOperation.compose(a, b);
            assertThat(ab.baseLength()).as(where).isEqualTo(a.baseLength());
            assertThat(ab.targetLength()).as(where).isEqualTo(b.targetLength());
            assertThat(ab.apply(doc)).as(where).isEqualTo(afterB);
            assertThat(ab.compose(c)).as(where).isEqualTo(a.compose(b.compose(c)));
        }
    }

    @Test
    void invertRestoresTheDocument() {
        RandomEdits random = new RandomEdits(SEED ^ 0x5EED_0002L);
        for (int n = 0; n < 10_000; n++) {
            String doc = random.doc();
            TextOperation operation = random.operation(doc);
            Supplier<String> where = where(n, () -> "doc=" + quote(doc) + " op=" + operation);

            String after = operation.apply(doc);
            TextOperation inverse = operation.invert(doc);
            assertThat(inverse.baseLength()).as(where).isEqualTo(operation.targetLength());
            assertThat(inverse.apply(after)).as(where).isEqualTo(doc);
            assertThat(inverse.invert(after)).as(where).isEqualTo(operation);
        }
    }

    @Test
    void parsingNonCanonicalComponentsYieldsTheCanonicalOperation() {
        RandomEdits random = new RandomEdits(SEED ^ 0x5EED_0003L);
        for (int n = 0; n < 10_000; n++) {
            String doc = random.doc();
            TextOperation operation = random.operation(doc);
            var scrambled = random.scrambledComponents(operation);
            Supplier<String> where = where(n, () -> "op=" + operation + " scrambled=" + scrambled);

            TextOperation parsed = TextOperation.fromComponents(scrambled);
            assertThat(parsed).as(where).isEqualTo(operation);
            assertThat(parsed.toComponents()).as(where).isEqualTo(operation.toComponents());
            assertThat(parsed.apply(doc)).as(where).isEqualTo(operation.apply(doc));
        }
    }

    @Test
    void surrogateGuardRejectsExactlyTheOperationsThatSplitAPair() {
        RandomEdits random = new RandomEdits(SEED ^ 0x5EED_0004L);
        int rejected = 0;
        for (int n = 0; n < 10_000; n++) {
            String doc = random.doc();
            TextOperation operation = random.anyCutOperation(doc);
            Supplier<String> where = where(n, () -> "doc=" + quote(doc) + " op=" + operation);
            boolean splits = RandomEdits.splitsSurrogatePair(operation, doc);
            try {
                String result = operation.apply(doc);
                if (splits) {
                    fail(where.get() + ": accepted an operation that splits a surrogate pair, giving " + quote(result));
                }
            } catch (InvalidOperationException ex) {
                assertThat(ex.reason()).as(where).isEqualTo(InvalidOperationException.Reason.SPLITS_SURROGATE_PAIR);
                assertThat(splits)
                        .as(where)
                        .withFailMessage(where.get() + ": rejected a valid operation: " + ex)
                        .isTrue();
                rejected++;
            }
        }
        assertThat(rejected)
                .as("seed " + SEED + ": the generator should produce some splitting operations")
                .isBetween(1000, 9000);
    }

    /** Failure context built only on failure, so the 100,000 passing cases stay cheap. */
    private static Supplier<String> where(int n, Supplier<String> details) {
        return () -> "seed=" + SEED + " (-Dot.seed=" + SEED + ") case #" + n + ": " + details.get();
    }

    /** Shows lone surrogates and newlines, which a terminal would hide. */
    private static String quote(String text) {
        return text.isEmpty()
                ? "\"\""
                : TextOperation.builder().insert(text).build().toString().replaceAll("^\\[|]$", "");
    }
}
