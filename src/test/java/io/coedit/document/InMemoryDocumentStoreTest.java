package io.coedit.document;

class InMemoryDocumentStoreTest extends DocumentStoreContract {

    @Override
    protected DocumentStore createStore(LogLimits limits) {
        return new InMemoryDocumentStore(limits);
    }

    @Override
    protected boolean holdsAnything(DocumentId id) {
        return ((InMemoryDocumentStore) store).holds(id);
    }
}
