package io.aetherflow.connectors.archive;

/**
 * One archive entry as its headers describe it.
 *
 * @param name the name as stored
 * @param directory a directory entry
 * @param symlink a symbolic link (Unix mode in the external attributes)
 * @param size the declared uncompressed size, or -1 when unknown
 * @param compressedSize the declared compressed size, or -1 when unknown
 * @param encrypted whether the entry is encrypted
 */
record Entry(String name, boolean directory, boolean symlink, long size, long compressedSize, boolean encrypted) {

    /** Unix file type mask and symbolic link type in the high 16 bits of the external attributes. */
    static final int S_IFMT = 0170000;
    static final int S_IFLNK = 0120000;

    static boolean isSymlinkMode(int unixMode) {
        return (unixMode & S_IFMT) == S_IFLNK;
    }
}
