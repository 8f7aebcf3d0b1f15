// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Protocol;

/// <summary>GET_RECMODE / SET_RECMODE values (CTDB_RECOVERY_*).</summary>
public enum RecoveryMode : uint
{
    Normal = 0,
    Active = 1,
}
