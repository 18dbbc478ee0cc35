package io.aetherflow.steps.transfer;

import io.aetherflow.api.step.StepInputs;

/**
 * The remote-file families the transfer steps serve. One component per operation registers the
 * step type of each family ({@code sftp_list_files} and {@code smb_list_files}, ...); at run time
 * the step learns its family from the type it runs as ({@code StepContext.stepType()}), since the
 * two differ in path separators and in the reference's upload shapes.
 */
enum Family {

    /** {@code sftp_*}: {@code /} paths, upload input {@code items}, {@code uploaded} a count. */
    SFTP("sftp"),
    /**
     * {@code smb_*}: {@code remote_dir} may end in {@code \}, upload takes the reference's
     * {@code local_files} (or {@code items}), {@code uploaded} lists the uploaded local paths.
     */
    SMB("smb");

    private final String prefix;

    Family(String prefix) {
        this.prefix = prefix;
    }

    /**
     * @param stepType the type the step runs as, e.g. {@code smb_list_files}
     * @return its family
     * @throws IllegalStateException when the type belongs to no family (a registration error)
     */
    static Family of(String stepType) {
        for (Family f : values()) {
            if (stepType != null && stepType.startsWith(f.prefix + "_")) {
                return f;
            }
        }
        throw new IllegalStateException("transfer step registered as '" + stepType + "': expected a type starting"
                + " with sftp_ or smb_");
    }

    /** @return true when {@code remote_dir} may end in {@code \} separators (SMB) */
    boolean backslashPaths() {
        return this == SMB;
    }

    /**
     * @param in the step's inputs
     * @return the input that lists the files to upload ({@code items}; SMB also takes the
     *         reference's {@code local_files}, the default when both or neither are given)
     */
    String uploadItemsInput(StepInputs in) {
        if (this == SMB) {
            return in.has("items") && !in.has("local_files") ? "items" : "local_files";
        }
        return "items";
    }

    /**
     * @return true when upload output {@code uploaded} is the reference SMB shape (the absolute
     *         local paths of every item, now on the remote) rather than a count
     */
    boolean uploadedAsPaths() {
        return this == SMB;
    }
}
