package io.aetherflow.steps.excel;

import io.aetherflow.api.step.StepFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.poi.openxml4j.util.ZipSecureFile;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * The one place the steps touch Apache POI's loading and saving. POI (and xmlbeans under it) is
 * embedded privately in this bundle and finds its schema types through the thread context class
 * loader, so every call runs with the TCCL set to this bundle's class loader ({@link #call}).
 */
final class Poi {

    /** A unit of POI work. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws Exception;
    }

    private Poi() {
    }

    /**
     * Runs POI work with the thread context class loader set to this bundle's class loader.
     *
     * @param <T> the result type
     * @param work the work
     * @return its result
     * @throws Exception whatever the work throws
     */
    static <T> T call(Work<T> work) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(Poi.class.getClassLoader());
        try {
            return work.run();
        } finally {
            t.setContextClassLoader(before);
        }
    }

    /**
     * Opens an {@code .xlsx} template fully (XSSF).
     *
     * @param step the step type, for messages
     * @param template the template path (already sandboxed)
     * @return the workbook; the caller closes it
     */
    static XSSFWorkbook open(String step, Path template) throws IOException {
        if (!Files.isRegularFile(template)) {
            throw new StepFailedException(step + ": template not found: " + template
                    + " (check template_path; relative paths resolve under the job's artifacts directory)");
        }
        // templates are small, but a data sheet filled by an earlier step can compress very well
        ZipSecureFile.setMinInflateRatio(0.001);
        try (InputStream in = Files.newInputStream(template)) {
            return new XSSFWorkbook(in);
        } catch (NoSuchFileException e) {
            throw new StepFailedException(step + ": template not found: " + template, e);
        } catch (IOException | RuntimeException e) {
            throw new StepFailedException(step + ": cannot read template " + template + " as .xlsx: "
                    + oneLine(e), e);
        }
    }

    /** @return the exception's message on one line (its class name when it has none) */
    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        return m.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
