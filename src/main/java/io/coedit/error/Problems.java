package io.coedit.error;

import org.springframework.http.ProblemDetail;

/** REST errors as {@code application/problem+json} with a stable {@code code}, never a class name. */
public final class Problems {

    private Problems() {}

    /** A problem with the code's status, its {@code code} property, and a detail meant for humans. */
    public static ProblemDetail of(ErrorCode code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(code.status(), detail);
        problem.setProperty("code", code.value());
        return problem;
    }
}
