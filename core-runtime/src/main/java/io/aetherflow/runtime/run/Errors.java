package io.aetherflow.runtime.run;

import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.UserError;
import io.aetherflow.runtime.template.TemplateMissingKeyException;
import io.aetherflow.runtime.template.TemplateSyntaxException;

/** Turning exceptions into the one line and the exit code the CLI reports. */
public final class Errors {

    private Errors() {
    }

    /**
     * @param e any failure
     * @return its message on one line (the class name when it has none)
     */
    public static String oneLine(Throwable e) {
        if (e instanceof TemplateSyntaxException t) {
            return t.oneLine();
        }
        String msg = e.getMessage();
        if (msg == null || msg.isBlank()) {
            return e.getClass().getSimpleName();
        }
        msg = msg.strip().replace("\r", "").replace('\n', ' ');
        return e instanceof UserError || e instanceof TemplateMissingKeyException
                || e instanceof io.aetherflow.api.step.StepFailedException ? msg : e.getClass().getSimpleName() + ": " + msg;
    }

    /**
     * @param e a failure outside the job loop
     * @return the documented exit code for it
     */
    public static int exitCode(Throwable e) {
        if (e instanceof UserError u) {
            return u.exitCode();
        }
        if (e instanceof TemplateSyntaxException || e instanceof TemplateMissingKeyException) {
            return ExitCodes.INVALID;
        }
        return ExitCodes.JOB_FAILED;
    }
}
