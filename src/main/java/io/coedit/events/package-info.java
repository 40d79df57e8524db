/**
 * Server events: a back end pushes events to the sessions of a document, of a user or of everyone, lists who is in
 * a document, and revokes a user's sessions and tokens. The transport is a port ({@link io.coedit.events.EventBus}):
 * straight to local sessions on one instance, Redis pub/sub in a cluster ({@code cluster}). Sessions listen through
 * it ({@code ws}). Imports {@code document} and {@code security}; never {@code ws}, {@code web} or {@code cluster}.
 */
package io.coedit.events;
