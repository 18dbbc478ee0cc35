package io.aetherflow.steps.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.testkit.FakeStepContext;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FamilyTest {

    @Test
    void theTypeTheStepRunsAsPicksTheFamily() {
        assertEquals(Family.SFTP, Family.of("sftp_list_files"));
        assertEquals(Family.SMB, Family.of("smb_upload_files"));
        assertTrue(Family.SMB.backslashPaths());
        assertFalse(Family.SFTP.backslashPaths());
        assertTrue(Family.SMB.uploadedAsPaths());
        assertFalse(Family.SFTP.uploadedAsPaths());
    }

    @Test
    void smbUploadsTakeTheReferenceInputNameSftpOnlyItems(@TempDir Path dir) {
        try (FakeStepContext ctx = FakeStepContext.at(dir)) {
            ctx.input("items", java.util.List.of());
            assertEquals("items", Family.SMB.uploadItemsInput(ctx.inputs()));
            assertEquals("items", Family.SFTP.uploadItemsInput(ctx.inputs()));
            ctx.input("local_files", java.util.List.of());
            assertEquals("local_files", Family.SMB.uploadItemsInput(ctx.inputs()));
            assertEquals("items", Family.SFTP.uploadItemsInput(ctx.inputs()));
        }
    }

    @Test
    void aTypeOfNoFamilyIsARegistrationError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Family.of("ftp_list_files"));
        assertTrue(e.getMessage().contains("'ftp_list_files'"), e.getMessage());
    }
}
