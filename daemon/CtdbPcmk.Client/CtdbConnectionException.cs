// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Client;

/// <summary>
/// The connection to the daemon is unusable: it could not be opened, the daemon closed it, a
/// socket call failed, or the daemon sent something that is not a valid CTDB packet. The
/// client is closed when this is thrown; open a new one.
/// </summary>
public sealed class CtdbConnectionException : IOException
{
    public CtdbConnectionException() { }

    public CtdbConnectionException(string message) : base(message) { }

    public CtdbConnectionException(string message, Exception inner) : base(message, inner) { }
}
