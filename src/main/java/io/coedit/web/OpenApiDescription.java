package io.coedit.web;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

import org.springframework.context.annotation.Configuration;

/** What {@code /v3/api-docs} says about the API as a whole: its name, and that every call takes a bearer JWT. */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(
        info =
                @Info(
                        title = "Coedit",
                        version = "v1",
                        description =
                                "Read documents, see who is in one, push server events to sessions, revoke users. "
                                        + "Errors are application/problem+json with a stable code. See docs/api.md."),
        security = @SecurityRequirement(name = OpenApiDescription.BEARER))
@SecurityScheme(
        name = OpenApiDescription.BEARER,
        type = SecuritySchemeType.HTTP,
        scheme = "bearer",
        bearerFormat = "JWT")
class OpenApiDescription {

    static final String BEARER = "bearer";
}
