package io.coedit.system;

import java.util.concurrent.ThreadFactory;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/** Every thread Coedit starts: named after its job (thread dumps and profiles read by name), never holding up exit. */
public final class DaemonThreads {

    private DaemonThreads() {}

    /** Threads named {@code <name>-1}, {@code <name>-2}, ... */
    public static ThreadFactory named(String name) {
        CustomizableThreadFactory factory = new CustomizableThreadFactory(name + "-");
        factory.setDaemon(true);
        return factory;
    }
}
