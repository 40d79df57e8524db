/**
 * Operational transformation of plain text, the ot.js model: operations as retain, insert and delete components,
 * compose, transform and apply, with UTF-16 surrogate pairs kept whole. Pure Java: no Spring, no Jackson, nothing
 * else of Coedit's.
 */
package io.coedit.ot;
