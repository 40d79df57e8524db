package io.coedit.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The file store's folder, held by this process alone for as long as it runs: SQLite would let a second process
 * write the same file, and two Coedit processes committing revisions side by side would each trust a head cache
 * the other makes stale. A lock that cannot be had stops the start-up; nothing in the folder is touched.
 */
final class FileStoreLock implements AutoCloseable {

    static final String LOCK_FILE = "coedit.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private FileStoreLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static FileStoreLock acquire(Path folder) {
        Path absolute = folder.toAbsolutePath().normalize();
        FileChannel channel;
        try {
            Files.createDirectories(absolute);
            channel =
                    FileChannel.open(absolute.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException | SecurityException ex) {
            throw new StorageStartupException(
                    "The file store's folder " + absolute + " cannot be written ("
                            + ex.getClass().getSimpleName() + ": " + ex.getMessage() + ")",
                    "Set coedit.storage.path to a folder this process may create and write (COEDIT_STORAGE_PATH).",
                    ex);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException ex) {
            lock = null; // held by this very JVM
        } catch (IOException ex) {
            closeQuietly(channel);
            throw new StorageStartupException(
                    "The file store's folder " + absolute + " cannot be locked (" + ex.getMessage() + ")",
                    "Set coedit.storage.path to a folder on a local file system.",
                    ex);
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new StorageStartupException(
                    "The file store " + absolute + " is in use by another Coedit process",
                    "Stop the other process, or set coedit.storage.path to another folder. Several instances share"
                            + " documents with coedit.storage.type=postgres (or redis) and coedit.cluster.mode=redis.");
        }
        return new FileStoreLock(channel, lock);
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ex) {
            // the channel's close below releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ex) {
            // nothing held any more
        }
    }
}
