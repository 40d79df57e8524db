package io.coedit.document;

class InMemoryDocumentStoreTest extends DocumentStoreContract {

    @Override
    protected DocumentStore createStore(int retainedOps) {
        return new InMemoryDocumentStore(retainedOps);
    }
}
