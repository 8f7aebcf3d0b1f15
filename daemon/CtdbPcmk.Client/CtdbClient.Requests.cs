// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Client;

// Generic requests. The *Raw methods reuse the client's buffers and allocate nothing: their
// output stays readable through LastReplyData / LastErrorMessage until the next request.
public sealed partial class CtdbClient
{
    /// <summary>Data of the last raw reply (control data or call output); valid until the next request.</summary>
    public ReadOnlySpan<byte> LastReplyData => _frames.Buffer.Span.Slice(_replyDataOffset, _replyDataLength);

    /// <summary>Error text of the last raw control reply (no trailing NUL); valid until the next request.</summary>
    public ReadOnlySpan<byte> LastErrorMessage
    {
        get
        {
            var e = _frames.Buffer.Span.Slice(_replyErrorOffset, _replyErrorLength);
            return !e.IsEmpty && e[^1] == 0 ? e[..^1] : e;
        }
    }

    /// <summary>Sends a control and waits for its reply.</summary>
    /// <remarks>With <see cref="ReqControl.FlagNoReply"/> in <paramref name="flags"/> nothing is awaited and status 0 is returned.</remarks>
    /// <exception cref="TimeoutException">No reply in time (the connection stays usable).</exception>
    /// <exception cref="CtdbConnectionException">The connection failed or the reply was malformed.</exception>
    public ControlResult Control(ControlOpcode op, uint destNode, ReadOnlySpan<byte> data, ulong srvid = 0, uint flags = 0, TimeSpan? timeout = null)
    {
        int status = ControlRaw(op, destNode, data, srvid, flags, timeout);
        return new ControlResult(status, LastReplyData.ToArray(), Encoding.UTF8.GetString(LastErrorMessage));
    }

    /// <summary>Allocation-free <see cref="Control"/>: returns the status; see <see cref="LastReplyData"/>.</summary>
    public int ControlRaw(ControlOpcode op, uint destNode, ReadOnlySpan<byte> data, ulong srvid = 0, uint flags = 0, TimeSpan? timeout = null)
    {
        CheckUsable();
        uint reqId = NextReqId();
        var control = new ReqControl { Opcode = op, Srvid = srvid, Flags = flags, Data = data };
        int size = control.Write(SendBuffer(control.ContentLength), NewHeader(destNode, reqId));
        return FinishControl(reqId, size, control.NoReply, timeout);
    }

    /// <summary>PING the connected daemon; returns the status (the daemon's number of clients).</summary>
    public int PingRaw() => ControlRaw(ControlOpcode.Ping, WireFormat.CurrentNode, default);

    /// <summary>Allocation-free TRANS3_COMMIT of <paramref name="records"/> to <paramref name="dbId"/>; returns the status.</summary>
    public int Trans3CommitRaw(uint dbId, ReadOnlySpan<TransactionRecord> records, TimeSpan? timeout = null)
    {
        CheckUsable();
        int payload = CommitBuffer.GetSize(records);
        uint reqId = NextReqId();
        // The marshall buffer is written in place behind the control's fixed part.
        var buffer = SendBuffer(ReqControl.FixedSize + payload);
        CommitBuffer.Write(buffer.Slice(ReqControl.FixedSize, payload), dbId, records);
        var control = new ReqControl
        {
            Opcode = ControlOpcode.Trans3Commit,
            Srvid = dbId,
            Data = buffer.Slice(ReqControl.FixedSize, payload),
        };
        int size = control.Write(buffer, NewHeader(WireFormat.CurrentNode, reqId));
        return FinishControl(reqId, size, false, timeout);
    }

    private int FinishControl(uint reqId, int size, bool noReply, TimeSpan? timeout)
    {
        Send(size);
        if (noReply)
        {
            _replyDataLength = _replyErrorLength = 0;
            return 0;
        }
        int start = WaitReply(reqId, Operation.ReplyControl, Deadline(timeout ?? _timeout), out int length);
        ReplyControl reply;
        try
        {
            reply = ReplyControl.Read(_frames.Buffer.Span.Slice(start, length));
        }
        catch (ProtocolException e)
        {
            throw Break($"malformed REPLY_CONTROL: {e.Message}", e);
        }
        _replyDataOffset = start + ReplyControl.FixedSize;
        _replyDataLength = reply.Data.Length;
        _replyErrorOffset = _replyDataOffset + _replyDataLength;
        _replyErrorLength = reply.ErrorMessage.Length;
        return reply.Status;
    }

    /// <summary>Sends a REQ_CALL (always served by the connected daemon) and waits for REPLY_CALL.</summary>
    /// <remarks>A daemon does not answer calls on unknown databases: that surfaces as a <see cref="TimeoutException"/>.</remarks>
    public CallResult Call(uint dbId, ReadOnlySpan<byte> key, uint callId, uint flags)
    {
        int status = CallRaw(dbId, key, callId, flags);
        return new CallResult(status, LastReplyData.ToArray());
    }

    /// <summary>Allocation-free <see cref="Call"/>: returns the status; the output is <see cref="LastReplyData"/>.</summary>
    public int CallRaw(uint dbId, ReadOnlySpan<byte> key, uint callId, uint flags, TimeSpan? timeout = null)
    {
        if (key.IsEmpty)
        {
            throw new ArgumentException("a call needs a non-empty key", nameof(key));
        }
        CheckUsable();
        uint reqId = NextReqId();
        var call = new ReqCall { Flags = flags, DbId = dbId, CallId = callId, Key = key };
        // destnode of a client REQ_CALL is ignored by the daemon; 0 as smbd sends it.
        int size = call.Write(SendBuffer(call.ContentLength), new PacketHeader(0, 0, Operation.ReqCall, 0, _srcNode, reqId));
        Send(size);
        int start = WaitReply(reqId, Operation.ReplyCall, Deadline(timeout ?? _timeout), out int length);
        ReplyCall reply;
        try
        {
            reply = ReplyCall.Read(_frames.Buffer.Span.Slice(start, length));
        }
        catch (ProtocolException e)
        {
            throw Break($"malformed REPLY_CALL: {e.Message}", e);
        }
        _replyDataOffset = start + ReplyCall.FixedSize;
        _replyDataLength = reply.Data.Length;
        _replyErrorLength = 0;
        return reply.Status;
    }

    /// <summary>Sends a REQ_MESSAGE to <paramref name="srvid"/> on <paramref name="destNode"/> (a PNN, CurrentNode or a broadcast); no reply.</summary>
    public void SendMessage(uint destNode, ulong srvid, ReadOnlySpan<byte> data)
    {
        CheckUsable();
        var message = new ReqMessage { Srvid = srvid, Data = data };
        int size = message.Write(SendBuffer(message.ContentLength), new PacketHeader(0, 0, Operation.ReqMessage, destNode, _srcNode, 0));
        Send(size);
    }

    /// <summary>
    /// Returns a queued message, or reads the socket for up to <paramref name="timeout"/> until
    /// one arrives. With a <see cref="MessageReceived"/> handler attached, messages go to the
    /// handler and this returns false after the timeout.
    /// </summary>
    public bool TryReceiveMessage(TimeSpan timeout, out CtdbMessage? message)
    {
        if (_messages.TryDequeue(out message))
        {
            return true;
        }
        CheckUsable();
        long deadline = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        while (true)
        {
            long left = deadline - System.Diagnostics.Stopwatch.GetTimestamp();
            if (left <= 0)
            {
                return false;
            }
            SetSocketTimeout((int)Math.Max(1, left * 1000 / System.Diagnostics.Stopwatch.Frequency));
            int start;
            int length;
            try
            {
                start = ReceivePacket(out length);
            }
            catch (TimeoutException)
            {
                return false;
            }
            var packet = _frames.Buffer.Span.Slice(start, length);
            var header = ReadHeader(packet);
            if (header.Operation == Operation.ReqMessage)
            {
                DispatchMessage(packet, header);
                if (_messages.TryDequeue(out message))
                {
                    return true;
                }
            }
        }
    }
}
