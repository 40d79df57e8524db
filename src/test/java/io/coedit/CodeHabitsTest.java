package io.coedit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The habits the formatter (Spotless, run by every build) does not check: lines of at most 120 characters, no fully
 * qualified class names written inline in code, and a {@code package-info.java} that says what each package is for.
 */
class CodeHabitsTest {

    private static final Path MAIN = Path.of("src/main/java");
    private static final Path TEST = Path.of("src/test/java");
    private static final int MAX_LINE = 120;
    /** {@code java.util.List}, {@code org.springframework.http.HttpStatus}: a package path ending in a class name. */
    private static final Pattern QUALIFIED_NAME =
            Pattern.compile("\\b(?:java|javax|jakarta|org|com|io|tools)(?:\\.[a-z][a-z0-9_]*)+\\.[A-Z]\\w*");

    private static List<Path> javaFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(file -> file.toString().endsWith(".java")).toList();
        }
    }

    @Test
    void noLineIsLongerThan120Characters() throws IOException {
        List<String> tooLong = new ArrayList<>();
        for (Path root : List.of(MAIN, TEST)) {
            for (Path file : javaFiles(root)) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).length() > MAX_LINE) {
                        tooLong.add(file + ":" + (i + 1));
                    }
                }
            }
        }
        assertThat(tooLong).isEmpty();
    }

    @Test
    void codeNamesClassesByTheirImportNotInline() throws IOException {
        List<String> inline = new ArrayList<>();
        for (Path root : List.of(MAIN, TEST)) {
            for (Path file : javaFiles(root)) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String code = codeOf(lines.get(i));
                    if (QUALIFIED_NAME.matcher(code).find()) {
                        inline.add(file + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assertThat(inline).isEmpty();
    }

    @Test
    void everyPackageSaysWhatItIsFor() throws IOException {
        List<Path> packages;
        try (Stream<Path> directories = Files.walk(MAIN)) {
            packages = directories
                    .filter(Files::isDirectory)
                    .filter(CodeHabitsTest::holdsJava)
                    .toList();
        }
        assertThat(packages).isNotEmpty();
        assertThat(packages)
                .allSatisfy(dir -> assertThat(dir.resolve("package-info.java")).exists());
    }

    private static boolean holdsJava(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(file -> file.toString().endsWith(".java"));
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The line without string literals and comments, and nothing at all for imports and package lines. */
    private static String codeOf(String line) {
        String trimmed = line.trim();
        if (trimmed.startsWith("import ")
                || trimmed.startsWith("package ")
                || trimmed.startsWith("*")
                || trimmed.startsWith("/*")
                || trimmed.startsWith("//")) {
            return "";
        }
        String withoutStrings = line.replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"");
        int comment = withoutStrings.indexOf("//");
        return comment < 0 ? withoutStrings : withoutStrings.substring(0, comment);
    }
}
