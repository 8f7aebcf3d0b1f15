// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Client;

/// <summary>Recovery mode as GET_RECMODE reports it in the status field.</summary>
public enum RecoveryMode
{
    Normal = 0,
    Active = 1,
}
