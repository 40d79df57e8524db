/** The WebSocket transport: handshake checks, the wire protocol, per-document rooms and session upkeep. */
package io.coedit.ws;
