// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Databases;

internal enum DatabaseKind
{
    Volatile,
    Persistent,
    Replicated,
}
