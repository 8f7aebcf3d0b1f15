// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.TestSupport.Nfs4;

/// <summary>nfs_opnum4 (RFC 7531), the operations this client sends.</summary>
public enum Nfs4Op : uint
{
    Close = 4,
    GetAttr = 9,
    GetFh = 10,
    Lock = 12,
    LockT = 13,
    LockU = 14,
    Lookup = 15,
    Open = 18,
    OpenConfirm = 20,
    PutFh = 22,
    PutRootFh = 24,
    Read = 25,
    Renew = 30,
    SetClientId = 35,
    SetClientIdConfirm = 36,
    Write = 38,
    Illegal = 10044,
}
