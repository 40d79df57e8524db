package io.coedit.web;

import java.util.Map;

import lombok.extern.slf4j.Slf4j;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.coedit.document.DocumentId;
import io.coedit.document.SubmitRejectedException;

/** Maps domain errors to {@code application/problem+json} with a stable {@code code}, never a class name. */
@Slf4j
@RestControllerAdvice
class ProblemAdvice {

    private static final Map<SubmitRejectedException.Reason, HttpStatus> STATUS = Map.of(
            SubmitRejectedException.Reason.INVALID_OP, HttpStatus.BAD_REQUEST,
            SubmitRejectedException.Reason.STALE_REVISION, HttpStatus.BAD_REQUEST,
            SubmitRejectedException.Reason.RESYNC_REQUIRED, HttpStatus.GONE,
            SubmitRejectedException.Reason.TOO_LARGE, HttpStatus.CONTENT_TOO_LARGE,
            SubmitRejectedException.Reason.UNAVAILABLE, HttpStatus.SERVICE_UNAVAILABLE,
            SubmitRejectedException.Reason.OUTCOME_UNKNOWN, HttpStatus.CONFLICT);

    @ExceptionHandler(DocumentNotFoundException.class)
    ProblemDetail notFound(DocumentNotFoundException ex) {
        return problem(HttpStatus.NOT_FOUND, "not_found", ex.getMessage());
    }

    @ExceptionHandler(DocumentId.InvalidDocumentIdException.class)
    ProblemDetail invalidDocumentId(DocumentId.InvalidDocumentIdException ex) {
        return problem(HttpStatus.BAD_REQUEST, "invalid_document_id", ex.getMessage());
    }

    @ExceptionHandler(AccessDeniedException.class)
    ProblemDetail forbidden(AccessDeniedException ex) {
        return problem(HttpStatus.FORBIDDEN, "forbidden", ex.getMessage());
    }

    @ExceptionHandler(SubmitRejectedException.class)
    ProblemDetail rejected(SubmitRejectedException ex) {
        HttpStatus status = STATUS.get(ex.reason());
        if (status.is5xxServerError()) {
            log.warn("Request failed: {}", ex.getMessage());
        }
        return problem(status, ex.reason().name().toLowerCase(java.util.Locale.ROOT), ex.getMessage());
    }

    static ProblemDetail problem(HttpStatus status, String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setProperty("code", code);
        return problem;
    }
}
