// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.DBus;

/// <summary>NFS-Ganesha's answer to admin.get_grace: whether the server is in its grace period.</summary>
public sealed record GraceState(bool InGrace, bool Status, string Error);
