// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Databases;

/// <summary>An attach request that cannot be honoured; the client gets status -1.</summary>
internal sealed class AttachException : Exception
{
    public AttachException(string message) : base(message) { }

    public AttachException() { }

    public AttachException(string message, Exception inner) : base(message, inner) { }
}
