package dev.intake.auth;

import dev.intake.web.ApiProblemException;

/** The RFC 6750 {@code WWW-Authenticate: Bearer} challenges sent with a 401. */
final class Challenges {
    static final String REALM = "intake";

    private Challenges() {
    }

    /** No credentials (or not a bearer token): the bare challenge, no error code (RFC 6750 §3.1). */
    static ApiProblemException missing(String detail) {
        return ApiProblemException.unauthorized(detail, "Bearer realm=\"" + REALM + "\"");
    }

    /** A bearer token that is malformed, expired, wrongly signed or not meant for us. */
    static ApiProblemException invalidToken(String description) {
        return ApiProblemException.unauthorized(description, "Bearer realm=\"" + REALM
                + "\", error=\"invalid_token\", error_description=\"" + description.replace('"', '\'') + "\"");
    }
}
