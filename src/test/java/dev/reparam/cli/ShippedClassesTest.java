package dev.reparam.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What goes into reparam.jar is the product: the only entry point is the command line. Timing
 * mains, calibrations and parity exports live in src/dev/java (bench/dev-main runs them).
 */
class ShippedClassesTest {
    @Test
    void theOnlyMainMethodShippedIsTheCommandLine() throws IOException, URISyntaxException {
        Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(classes.resolve("dev/reparam")),
                "main classes expected in a directory: " + classes);
        List<String> mains = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                if (declaresMain(Files.readAllBytes(f))) mains.add(classes.relativize(f).toString());
            }
        }
        assertEquals(List.of("dev/reparam/cli/Main.class"), mains);
    }

    /**
     * A class declaring main(String[]) has both "main" and its descriptor in its constant pool;
     * calling another class's main would too, which nothing shipped does.
     */
    private static boolean declaresMain(byte[] classFile) {
        String text = new String(classFile, StandardCharsets.ISO_8859_1);
        return text.contains("\u0000\u0004main") && text.contains("([Ljava/lang/String;)V");
    }
}
