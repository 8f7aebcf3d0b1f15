// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Protocol;

/// <summary>
/// Layout facts of the CTDB 4.17 wire format, pinned in one place. CTDB writes host order
/// (x86_64, little-endian) and the C struct layouts of a 64-bit build; every codec in this
/// library writes those bytes explicitly instead of casting structs.
/// </summary>
public static class WireFormat
{
    /// <summary>"BDTC" on the wire.</summary>
    public const uint Magic = 0x43544442;
    public const uint Version = 1;
    public const int HeaderSize = 32;
    /// <summary>Packets leave a daemon padded to this multiple (CTDB_DS_ALIGNMENT).</summary>
    public const int Alignment = 8;
    /// <summary>Largest packet this implementation accepts; anything longer is a protocol error.</summary>
    public const int MaxPacketSize = 64 * 1024 * 1024;

    public const uint CurrentNode = 0xF0000001;
    public const uint BroadcastAll = 0xF0000002;
    public const uint BroadcastActive = 0xF0000003;
    public const uint BroadcastConnected = 0xF0000004;
    public const uint Multicast = 0xF0000005;
    public const uint UnknownPnn = 0xFFFFFFFF;

    /// <summary>Generation before the first recovery (INVALID_GENERATION).</summary>
    public const uint InvalidGeneration = 1;

    /// <summary>Keepalive version field of Samba 4.17: (major &lt;&lt; 16) | minor.</summary>
    public const uint KeepaliveVersion = 0x00040011;

    public const int LtdbHeaderSize = 24;

    /// <summary>Rounds a length up to the 8-byte packet alignment.</summary>
    public static int Align(int length) => (length + (Alignment - 1)) & ~(Alignment - 1);

    public static bool IsBroadcast(uint destNode) =>
        destNode is BroadcastAll or BroadcastActive or BroadcastConnected or Multicast;
}
