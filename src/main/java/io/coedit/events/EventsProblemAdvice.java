package io.coedit.events;

import lombok.extern.slf4j.Slf4j;

import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.coedit.error.ErrorCode;
import io.coedit.error.Problems;

/**
 * The events API's own errors as {@code application/problem+json} with a stable {@code code}; an invalid document id
 * and a refused read answer as everywhere else in the API.
 */
@Slf4j
@RestControllerAdvice(assignableTypes = {EventController.class, MemberController.class, RevocationController.class})
class EventsProblemAdvice {

    @ExceptionHandler(EventRejectedException.class)
    ProblemDetail rejected(EventRejectedException ex) {
        return Problems.of(ex.code(), ex.getMessage());
    }

    @ExceptionHandler(EventsUnavailableException.class)
    ProblemDetail unavailable(EventsUnavailableException ex) {
        log.warn("Event transport unavailable: {}", ex.getMessage());
        return Problems.of(ErrorCode.UNAVAILABLE, ex.getMessage() + "; retry");
    }
}
