// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Protocol;

/// <summary>UPTIME reply (struct ctdb_uptime, 64 bytes): four timevals.</summary>
public readonly record struct Uptime(
    Timeval CurrentTime,
    Timeval StartTime,
    Timeval LastRecoveryStarted,
    Timeval LastRecoveryFinished)
{
    public const int Size = 4 * Timeval.Size;

    public int Write(Span<byte> buffer)
    {
        CurrentTime.Write(buffer);
        StartTime.Write(buffer[16..]);
        LastRecoveryStarted.Write(buffer[32..]);
        LastRecoveryFinished.Write(buffer[48..]);
        return Size;
    }

    public static Uptime Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, Size, "uptime");
        return new Uptime(
            Timeval.Read(data),
            Timeval.Read(data[16..]),
            Timeval.Read(data[32..]),
            Timeval.Read(data[48..]));
    }
}
