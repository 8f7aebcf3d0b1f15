// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Samba;

/// <summary>A Samba daemon the agent can manage; the name is the executable's.</summary>
internal enum SambaService
{
    Smbd,
    Nmbd,
    Winbindd,
}
