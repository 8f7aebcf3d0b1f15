// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Tdb;

public sealed partial class TdbFile
{
    /// <summary>tdb_get_seqnum: the file's sequence number (moves only when the Seqnum flag is on).</summary>
    public int Seqnum => Interop.LibTdb.tdb_get_seqnum(_handle);

    /// <summary>tdb_enable_seqnum: from now on every change through this handle bumps the seqnum.</summary>
    public void EnableSeqnum() => Interop.LibTdb.tdb_enable_seqnum(_handle);

    /// <summary>tdb_increment_seqnum_nonblock: bumps the seqnum without taking a lock (as ctdbd's UPDATE_SEQNUM).</summary>
    public void IncrementSeqnumNonblock() => Interop.LibTdb.tdb_increment_seqnum_nonblock(_handle);

    /// <summary>tdb_check on the file structure: false when the file is corrupt.</summary>
    public unsafe bool Check()
    {
        if (Interop.LibTdb.tdb_check(_handle, null, null) == 0)
        {
            return true;
        }
        if (LastError == TdbError.Corrupt)
        {
            return false;
        }
        ThrowLastError("tdb_check");
        return false;
    }

    /// <summary>tdb_wipe_all: deletes every record.</summary>
    public void Wipe()
    {
        if (Interop.LibTdb.tdb_wipe_all(_handle) != 0)
        {
            ThrowLastError("tdb_wipe_all");
        }
    }

    /// <summary>tdb_repack: rewrites the file to drop free space (takes a transaction).</summary>
    /// <summary>Entries on the free list (what a repack would give back), or -1 when it cannot be read.</summary>
    public int FreelistSize => Interop.LibTdb.tdb_freelist_size(_handle);

    /// <summary>Rewrites the file without its free space (a transaction over the whole file).</summary>
    public void Repack()
    {
        if (Interop.LibTdb.tdb_repack(_handle) != 0)
        {
            ThrowLastError("tdb_repack");
        }
    }
}
