/** Token validation, document permissions and development tokens; depends on nothing else of ours. */
package io.coedit.security;
