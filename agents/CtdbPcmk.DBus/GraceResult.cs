// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.DBus;

/// <summary>NFS-Ganesha's answer to admin.grace: whether it accepted the request, and why not.</summary>
public sealed record GraceResult(bool Status, string Error);
