package io.aetherflow.connectors.sftp;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/** The one-line texts of SFTP failures: status codes, connection problems, timeouts. */
final class SftpErrors {

    private SftpErrors() {
    }

    static String status(SftpException e) {
        switch (e.getStatus()) {
            case SftpConstants.SSH_FX_NO_SUCH_FILE:
            case SftpConstants.SSH_FX_NO_SUCH_PATH:
                return "no such file or directory (check the path)";
            case SftpConstants.SSH_FX_PERMISSION_DENIED:
                return "permission denied (check the remote permissions of this user)";
            case SftpConstants.SSH_FX_FILE_ALREADY_EXISTS:
                return "already exists" + detail(e);
            case SftpConstants.SSH_FX_FILE_IS_A_DIRECTORY:
                return "is a directory, not a file";
            case SftpConstants.SSH_FX_DIR_NOT_EMPTY:
                return "directory not empty";
            case SftpConstants.SSH_FX_NO_SPACE_ON_FILESYSTEM:
            case SftpConstants.SSH_FX_QUOTA_EXCEEDED:
                return "no space left on the remote file system";
            default:
                return SftpConstants.getStatusName(e.getStatus()).toLowerCase(Locale.ROOT) + detail(e);
        }
    }

    static String detail(SftpException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? "" : " (" + oneLine(m) + ")";
    }

    static String connectReason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "connection refused (check config.host and config.port, and that the SSH server runs)";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host (check config.host)";
            }
            if (t instanceof NoRouteToHostException) {
                return "no route to host (check config.host and the network)";
            }
        }
        if (isTimeout(e)) {
            return "timed out (options.connect_timeout; check config.host, config.port and firewalls)";
        }
        return brief(e);
    }

    static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof InterruptedByTimeoutException
                    || t instanceof java.net.SocketTimeoutException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && m.toLowerCase(Locale.ROOT).contains("timeout")) {
                return true;
            }
        }
        return false;
    }

    static String brief(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        String text = root.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
        if (root instanceof NoSuchFileException) {
            text = "local file not found: " + m;
        }
        return oneLine(text);
    }

    static String oneLine(String s) {
        String t = s.replace('\r', ' ').replace('\n', ' ').trim();
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }

    static String seconds(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
    }
}
