package io.coedit.security;

/** The scopes a token's {@code scope} claim can grant. */
public enum Scope {
    DOC_READ("doc:read"),
    DOC_WRITE("doc:write"),
    EVENTS_PUBLISH("events:publish"),
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
