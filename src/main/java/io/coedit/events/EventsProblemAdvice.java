package io.coedit.events;

import lombok.extern.slf4j.Slf4j;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.coedit.document.DocumentId;

/** The events API's errors as {@code application/problem+json} with a stable {@code code}. */
@Slf4j
@Order(Ordered.HIGHEST_PRECEDENCE)
@RestControllerAdvice(assignableTypes = {EventController.class, MemberController.class, RevocationController.class})
class EventsProblemAdvice {

    @ExceptionHandler(EventRejectedException.class)
    ProblemDetail rejected(EventRejectedException ex) {
        return problem(ex.reason().status(), ex.reason().code(), ex.getMessage());
    }

    @ExceptionHandler(EventsUnavailableException.class)
    ProblemDetail unavailable(EventsUnavailableException ex) {
        log.warn("Event transport unavailable: {}", ex.getMessage());
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", ex.getMessage() + "; retry");
    }

    @ExceptionHandler(DocumentId.InvalidDocumentIdException.class)
    ProblemDetail invalidDocumentId(DocumentId.InvalidDocumentIdException ex) {
        return problem(HttpStatus.BAD_REQUEST, "invalid_document_id", ex.getMessage());
    }

    @ExceptionHandler(AccessDeniedException.class)
    ProblemDetail forbidden(AccessDeniedException ex) {
        return problem(HttpStatus.FORBIDDEN, "forbidden", ex.getMessage());
    }

    private static ProblemDetail problem(HttpStatus status, String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setProperty("code", code);
        return problem;
    }
}
