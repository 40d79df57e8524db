/** REST endpoints for documents and the problem-detail error mapping. */
package io.coedit.web;
