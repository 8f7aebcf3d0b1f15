// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.DBus;

/// <summary>
/// A D-Bus call or connection failed: the bus cannot be reached, nobody owns the name, the peer
/// answered with an error, or no answer came in time. The message says which, naming the
/// address or the method.
/// </summary>
public sealed class DBusException : Exception
{
    /// <summary>D-Bus's name for the error of an error reply, such as org.freedesktop.DBus.Error.ServiceUnknown.</summary>
    public const string ServiceUnknown = "org.freedesktop.DBus.Error.ServiceUnknown";

    public DBusException()
    {
    }

    public DBusException(string message)
        : base(message)
    {
    }

    public DBusException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DBusException(string message, string? errorName, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorName = errorName;
    }

    /// <summary>The D-Bus error name of an error reply; null for failures that are not one (connect, timeout).</summary>
    public string? ErrorName { get; }
}
