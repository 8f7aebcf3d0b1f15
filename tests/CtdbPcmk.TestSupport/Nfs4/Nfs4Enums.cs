// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.TestSupport.Nfs4;

/// <summary>OPEN4_SHARE_ACCESS_*.</summary>
public enum ShareAccess : uint
{
    Read = 1,
    Write = 2,
    Both = 3,
}

/// <summary>OPEN4_SHARE_DENY_*.</summary>
public enum ShareDeny : uint
{
    None = 0,
    Read = 1,
    Write = 2,
    Both = 3,
}

/// <summary>nfs_lock_type4.</summary>
public enum LockType : uint
{
    Read = 1,
    Write = 2,
    ReadWait = 3,
    WriteWait = 4,
}

/// <summary>open_delegation_type4.</summary>
public enum DelegationType : uint
{
    None = 0,
    Read = 1,
    Write = 2,
}

/// <summary>stable_how4.</summary>
public enum StableHow : uint
{
    Unstable = 0,
    DataSync = 1,
    FileSync = 2,
}
