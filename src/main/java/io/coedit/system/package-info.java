/**
 * What every feature stands on and nothing of Coedit's own: the clock, the cluster mode in force, named daemon
 * threads and the qualified executors, and the order in which running parts stop. Imports nothing of ours.
 */
package io.coedit.system;
