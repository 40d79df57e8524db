/** Documents: ids, revisions, the op log, the store behind them and the serial submit path. */
package io.coedit.document;
