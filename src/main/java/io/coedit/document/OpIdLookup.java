package io.coedit.document;

/** What the id index of a document knows about one client op key, for an op written against some base revision. */
public sealed interface OpIdLookup {

    /** The op was accepted before, as revision {@code rev}. */
    record Found(long rev) implements OpIdLookup {}

    /** The op was never accepted: every revision after its base is still indexed, and none has this key. */
    record Absent() implements OpIdLookup {}

    /**
     * Nobody can tell: revisions after the op's base have left the index (its time window or size), so the op may
     * have been accepted and forgotten.
     */
    record Unknown() implements OpIdLookup {}

    /** The answer for a key not in the index, given the lowest revision whose key is still indexed. */
    public static OpIdLookup missing(long baseRev, long lowestIndexedRev) {
        return baseRev + 1 >= lowestIndexedRev ? new Absent() : new Unknown();
    }
}
