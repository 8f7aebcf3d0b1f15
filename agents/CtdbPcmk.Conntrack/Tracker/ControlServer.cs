// SPDX-License-Identifier: GPL-3.0-or-later
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Conntrack.Tracker;

/// <summary>One request on the control socket, answered by the tracker's loop.</summary>
internal sealed class ControlRequest(string verb, string argument)
{
    private readonly TaskCompletionSource<string> _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Verb { get; } = verb;

    public string Argument { get; } = argument;

    public Task<string> Reply => _reply.Task;

    public void Ok(string text) => _reply.TrySetResult("ok " + text);

    public void Fail(string text) => _reply.TrySetResult("error " + text);
}

/// <summary>
/// The tracker's Unix control socket: one line in ("status", "commit", "reset-server ADDRESS",
/// "reset-client ADDRESS"), one line out ("ok ..." or "error ..."). Accepting and reading happen
/// on a thread of their own; the requests are queued for the tracker's loop, which alone touches
/// the tracker's state. The socket file is owner-only (root): it can reset connections.
/// </summary>
internal sealed class ControlServer : IDisposable
{
    /// <summary>The longest wait for the loop to answer one request.</summary>
    public static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(15);

    private readonly Socket _listener;
    private readonly string _path;
    private readonly OcfLog _log;
    private readonly Thread _thread;
    private volatile bool _stopping;

    public ControlServer(string path, OcfLog log)
    {
        _path = path;
        _log = log;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Delete(path);
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _listener.Listen(16);
        _thread = new Thread(AcceptLoop) { IsBackground = true, Name = "control" };
    }

    /// <summary>Requests waiting for the loop.</summary>
    public BlockingCollection<ControlRequest> Requests { get; } = new();

    public void Start() => _thread.Start();

    public void Dispose()
    {
        _stopping = true;
        _listener.Dispose();
        try
        {
            File.Delete(_path);
        }
        catch (IOException)
        {
        }
        while (Requests.TryTake(out var r))
        {
            r.Fail("tracker stopping");
        }
    }

    private void AcceptLoop()
    {
        while (!_stopping)
        {
            Socket peer;
            try
            {
                peer = _listener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            var thread = new Thread(() => Serve(peer)) { IsBackground = true, Name = "control-peer" };
            thread.Start();
        }
    }

    private void Serve(Socket peer)
    {
        using (peer)
        {
            try
            {
                peer.ReceiveTimeout = 5000;
                var line = ReadLine(peer);
                var space = line.IndexOf(' ');
                var request = space < 0 ? new ControlRequest(line, "") : new ControlRequest(line[..space], line[(space + 1)..].Trim());
                Requests.Add(request);
                var reply = request.Reply.Wait(ReplyTimeout) ? request.Reply.Result : "error the tracker did not answer in time";
                peer.Send(Encoding.UTF8.GetBytes(reply + "\n"));
            }
            catch (Exception e) when (e is SocketException or IOException or InvalidOperationException or ObjectDisposedException)
            {
                _log.Debug($"control connection: {e.Message}");
            }
        }
    }

    private static string ReadLine(Socket peer)
    {
        var buffer = new byte[512];
        int length = 0;
        while (length < buffer.Length)
        {
            int n = peer.Receive(buffer, length, buffer.Length - length, SocketFlags.None);
            if (n == 0)
            {
                break;
            }
            length += n;
            int newline = Array.IndexOf(buffer, (byte)'\n', 0, length);
            if (newline >= 0)
            {
                return Encoding.UTF8.GetString(buffer, 0, newline).Trim();
            }
        }
        return Encoding.UTF8.GetString(buffer, 0, length).Trim();
    }
}
