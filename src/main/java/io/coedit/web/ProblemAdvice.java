package io.coedit.web;

import lombok.extern.slf4j.Slf4j;

import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.coedit.document.DocumentId;
import io.coedit.document.SubmitRejectedException;
import io.coedit.error.ErrorCode;
import io.coedit.error.Problems;

/** Maps domain errors to {@code application/problem+json} with a stable {@code code}, never a class name. */
@Slf4j
@RestControllerAdvice
class ProblemAdvice {

    @ExceptionHandler(DocumentNotFoundException.class)
    ProblemDetail notFound(DocumentNotFoundException ex) {
        return Problems.of(ErrorCode.NOT_FOUND, ex.getMessage());
    }

    @ExceptionHandler(DocumentId.InvalidDocumentIdException.class)
    ProblemDetail invalidDocumentId(DocumentId.InvalidDocumentIdException ex) {
        return Problems.of(ErrorCode.INVALID_DOCUMENT_ID, ex.getMessage());
    }

    @ExceptionHandler(AccessDeniedException.class)
    ProblemDetail forbidden(AccessDeniedException ex) {
        return Problems.of(ErrorCode.FORBIDDEN, ex.getMessage());
    }

    @ExceptionHandler(SubmitRejectedException.class)
    ProblemDetail rejected(SubmitRejectedException ex) {
        if (ex.code().status().is5xxServerError()) {
            log.warn("Request failed: {}", ex.getMessage());
        }
        return Problems.of(ex.code(), ex.getMessage());
    }
}
