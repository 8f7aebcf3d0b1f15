// SPDX-License-Identifier: GPL-3.0-or-later
using Tmds.DBus.Protocol;

namespace CtdbPcmk.DBus;

/// <summary>
/// One connection to a message bus, used synchronously: the agents are short-lived processes
/// with nothing else to do while they wait, so every call blocks with a timeout.
/// </summary>
public sealed class BusConnection : IDisposable
{
    private readonly DBusConnection _connection;

    private BusConnection(DBusConnection connection, string address)
    {
        _connection = connection;
        Address = address;
    }

    /// <summary>The address connected to.</summary>
    public string Address { get; }

    /// <summary>The unique name the bus gave this connection (":1.42").</summary>
    public string? UniqueName => _connection.UniqueName;

    internal DBusConnection Inner => _connection;

    /// <summary>Whether systemd's Manager.Subscribe was called on this connection (it lasts as long as the connection).</summary>
    internal bool SubscribedToSystemd { get; set; }

    /// <summary>Connects and authenticates; <see cref="DBusException"/> naming the address when that fails or takes longer than <paramref name="timeout"/>.</summary>
    public static BusConnection Connect(string address, TimeSpan timeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        var connection = new DBusConnection(new DBusConnectionOptions(address) { AutoConnect = false });
        try
        {
            connection.ConnectAsync().AsTask().WaitAsync(timeout).GetAwaiter().GetResult();
            return new BusConnection(connection, address);
        }
        catch (TimeoutException e)
        {
            connection.Dispose();
            throw new DBusException($"cannot connect to the D-Bus bus at {address}: no answer within {timeout.TotalSeconds:0.#} s", null, e);
        }
        catch (Exception e) when (e is DBusExceptionBase or IOException or System.Net.Sockets.SocketException or ArgumentException or NotSupportedException)
        {
            connection.Dispose();
            throw new DBusException($"cannot connect to the D-Bus bus at {address}: {Innermost(e).Message}", null, e);
        }
    }

    /// <summary>
    /// Sends a method call and reads the reply with <paramref name="reader"/>; error replies,
    /// a closed connection and the timeout become <see cref="DBusException"/>s naming <paramref name="what"/>.
    /// </summary>
    internal T Call<T>(MessageBuffer message, MessageValueReader<T> reader, TimeSpan timeout, string what) =>
        Wait(_connection.CallMethodAsync(message, reader), timeout, what);

    /// <summary>Waits for an operation on this connection, translating its failures as <see cref="Call"/> does.</summary>
    internal T Wait<T>(Task<T> task, TimeSpan timeout, string what)
    {
        try
        {
            return task.WaitAsync(timeout).GetAwaiter().GetResult();
        }
        catch (DBusErrorReplyException e)
        {
            throw new DBusException($"{what}: {e.ErrorName}: {e.ErrorMessage}", e.ErrorName, e);
        }
        catch (TimeoutException e)
        {
            throw new DBusException($"{what}: no reply within {timeout.TotalSeconds:0.#} s (bus {Address})", null, e);
        }
        catch (Exception e) when (e is DBusExceptionBase or IOException or ObjectDisposedException)
        {
            throw new DBusException($"{what}: {Innermost(e).Message} (bus {Address})", null, e);
        }
    }

    internal MessageWriter GetMessageWriter() => _connection.GetMessageWriter();

    public void Dispose() => _connection.Dispose();

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is { } inner)
        {
            e = inner;
        }
        return e;
    }
}
