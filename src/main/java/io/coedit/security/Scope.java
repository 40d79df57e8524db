package io.coedit.security;

/** The scopes a token's {@code scope} claim can grant. */
public enum Scope {
    DOC_READ("doc:read"),
    DOC_WRITE("doc:write"),
    /** Pushing server events to connected sessions. */
    EVENTS_PUBLISH("events:publish"),
    /** Revoking a user's sessions and tokens ({@code DELETE /api/users/{userId}/sessions}). */
    SESSIONS_ADMIN("sessions:admin"),
    /** Reading the operational endpoints ({@code /actuator/*} other than health). */
    METRICS_READ("metrics:read");

    private final String claimValue;

    Scope(String claimValue) {
        this.claimValue = claimValue;
    }

    public String claimValue() {
        return claimValue;
    }

    /** The authority Spring Security's JWT converter derives from the scope. */
    public String authority() {
        return "SCOPE_" + claimValue;
    }
}
