// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics.CodeAnalysis;

namespace CtdbPcmk.Protocol;

/// <summary>Malformed input: the connection that sent it is closed, nothing else is affected.</summary>
public sealed class ProtocolException : Exception
{
    public ProtocolException(string message) : base(message) { }

    public ProtocolException() { }

    public ProtocolException(string message, Exception inner) : base(message, inner) { }

    [DoesNotReturn]
    public static void Throw(string message) => throw new ProtocolException(message);

    [DoesNotReturn]
    public static T Throw<T>(string message) => throw new ProtocolException(message);

    [DoesNotReturn]
    public static void Truncated(string what, int need, int have) =>
        throw new ProtocolException($"{what}: need {need} bytes, have {have}");
}
