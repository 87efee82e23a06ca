package dev.reparam.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A class-path resource as a file, for what only a file will do (System.load of a native
 * library, dlopen by path): the resource itself when the class path is a folder, else a copy in a
 * temporary folder that is deleted when the JVM exits.
 */
public final class ResourceFiles {
    private ResourceFiles() {}

    /** {@code resource} (absolute, as Class.getResource takes it) of {@code owner}'s class loader. */
    public static Path asFile(Class<?> owner, String resource, String tempPrefix) {
        URL url = owner.getResource(resource);
        if (url == null) throw new IllegalStateException(resource + " is not on the class path");
        try {
            if ("file".equals(url.getProtocol())) return Path.of(url.toURI());
            Path dir = Files.createTempDirectory(tempPrefix);
            Path target = dir.resolve(resource.substring(resource.lastIndexOf('/') + 1));
            try (InputStream in = url.openStream()) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            target.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("extracting " + resource, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
