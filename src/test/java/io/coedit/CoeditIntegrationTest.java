package io.coedit;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.coedit.support.Tokens;

/** Starts the whole application on a random port with the test signing key; subclasses drive it over sockets. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "coedit.security.jwt.secret=" + Tokens.SECRET)
public abstract class CoeditIntegrationTest {

    @LocalServerPort
    protected int port;
}
