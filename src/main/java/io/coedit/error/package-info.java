/**
 * The one error vocabulary: every code a client can switch on, over the WebSocket protocol ({@code error} frames)
 * and REST ({@code application/problem+json}). Imports nothing of ours.
 */
package io.coedit.error;
