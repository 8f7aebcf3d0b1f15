// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace CtdbPcmk.TestSupport.Nfs4;

/// <summary>
/// A small synchronous NFSv4.0 client over one TCP connection with AUTH_SYS root credentials,
/// for tests: client id, open (new and reclaimed), read, write, byte-range locks, close.
/// <c>Try*</c> methods return the status of the operation that decided the outcome; the others
/// throw <see cref="Nfs4Exception"/> on anything but NFS4_OK.
/// </summary>
public sealed partial class Nfs4Client : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly RpcRecordTransport _records;
    private readonly AuthSys _credentials = AuthSys.Root();
    private readonly string _ownerPrefix = Convert.ToHexString(RandomNumberGenerator.GetBytes(4));
    private uint _xid = (uint)Random.Shared.Next();
    private int _owners;

    private Nfs4Client(TcpClient tcp)
    {
        _tcp = tcp;
        _records = new RpcRecordTransport(tcp.GetStream());
    }

    /// <summary>The client id from the last confirmed SETCLIENTID.</summary>
    public ulong ClientId { get; private set; }

    /// <summary>The id string given to the last SETCLIENTID.</summary>
    public string IdString { get; private set; } = "";

    /// <summary>
    /// Connects to <paramref name="host"/>:<paramref name="port"/>, from <paramref name="localAddress"/>
    /// when given (the server keys reclaimable state by the client's address too).
    /// </summary>
    public static Nfs4Client Connect(string host, int port, string? localAddress = null, TimeSpan? timeout = null)
    {
        var tcp = localAddress is null ? new TcpClient() : new TcpClient(new IPEndPoint(IPAddress.Parse(localAddress), 0));
        try
        {
            int ms = (int)(timeout ?? TimeSpan.FromSeconds(10)).TotalMilliseconds;
            tcp.SendTimeout = ms;
            tcp.ReceiveTimeout = ms;
            tcp.NoDelay = true;
            if (!tcp.ConnectAsync(host, port).Wait(ms))
            {
                throw new TimeoutException($"connecting to {host}:{port} took over {ms} ms");
            }
            return new Nfs4Client(tcp);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>True when something at <paramref name="host"/>:<paramref name="port"/> answers the NFSv4 NULL procedure.</summary>
    public static bool Answers(string host, int port, TimeSpan timeout)
    {
        try
        {
            using var client = Connect(host, port, timeout: timeout);
            client.Null();
            return true;
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException or AggregateException
            or InvalidDataException or RpcException)
        {
            return false;
        }
    }

    /// <summary>The NULL procedure (program 100003 version 4 procedure 0).</summary>
    public void Null() => Exchange(Nfs4Compound.ProcNull, []);

    /// <summary>Sends one COMPOUND and decodes its reply; NFSv4 errors are in the reply, not thrown.</summary>
    public Nfs4CompoundReply Call(Nfs4Compound compound)
    {
        var reader = Exchange(Nfs4Compound.ProcCompound, compound.Encode());
        return Nfs4CompoundReply.Decode(reader);
    }

    public void Dispose() => _tcp.Dispose();

    private XdrReader Exchange(uint procedure, ReadOnlySpan<byte> arguments)
    {
        uint xid = unchecked(++_xid);
        var w = new XdrWriter();
        RpcMessage.WriteCallHeader(w, xid, Nfs4Compound.Program, Nfs4Compound.Version, procedure, _credentials);
        w.WriteBytes(arguments);
        _records.WriteRecord(w.WrittenSpan);
        var reader = new XdrReader(_records.ReadRecord());
        RpcMessage.ReadReplyHeader(reader, xid);
        return reader;
    }

    private byte[] NewOwner(string kind) => System.Text.Encoding.ASCII.GetBytes($"{kind}-{_ownerPrefix}-{++_owners}");

    private static void Check(Nfs4Status status, string operation)
    {
        if (status != Nfs4Status.NFS4_OK)
        {
            throw new Nfs4Exception(status, operation);
        }
    }

    /// <summary>
    /// Whether an owner's seqid advances after an operation that ended with <paramref name="status"/>:
    /// it does after success and after most errors (RFC 7530 section 9.1.7).
    /// </summary>
    public static bool AdvancesSeqid(Nfs4Status status) => status is not (Nfs4Status.NFS4ERR_STALE_CLIENTID
        or Nfs4Status.NFS4ERR_STALE_STATEID or Nfs4Status.NFS4ERR_BAD_STATEID or Nfs4Status.NFS4ERR_BAD_SEQID
        or Nfs4Status.NFS4ERR_BADXDR or Nfs4Status.NFS4ERR_RESOURCE or Nfs4Status.NFS4ERR_NOFILEHANDLE
        or Nfs4Status.NFS4ERR_MOVED);
}
