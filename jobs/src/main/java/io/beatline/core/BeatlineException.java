package io.beatline.core;

/**
 * The one user-facing error of beatline: a message that says what is wrong, where, and how to
 * fix it, plus the process exit code a scheduler acts on.
 */
public class BeatlineException extends RuntimeException {

    /** Exit codes of the {@code beatline} command (SPEC 4). */
    public enum Kind {
        JOB_FAILURE(1),
        USAGE(2),
        CONFIG(2),
        INPUT_MISSING(3);

        public final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }
    }

    private final Kind kind;

    public BeatlineException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public BeatlineException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public int exitCode() {
        return kind.exitCode;
    }

    public static BeatlineException config(String message) {
        return new BeatlineException(Kind.CONFIG, message);
    }

    public static BeatlineException inputMissing(String message) {
        return new BeatlineException(Kind.INPUT_MISSING, message);
    }

    public static BeatlineException jobFailure(String message, Throwable cause) {
        return new BeatlineException(Kind.JOB_FAILURE, message, cause);
    }
}
