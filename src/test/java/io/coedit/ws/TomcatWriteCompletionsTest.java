package io.coedit.ws;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The completion tasks are recognised by the name of Tomcat's class: an upgrade that renames it must fail here. */
class TomcatWriteCompletionsTest {

    @Test
    void tomcatStillFinishesItsNonBlockingSendsWithTheTaskThisRoutes() throws Exception {
        Class<?> task = Class.forName(TomcatWriteCompletions.COMPLETION_TASK);

        assertThat(Runnable.class).isAssignableFrom(task);
    }
}
