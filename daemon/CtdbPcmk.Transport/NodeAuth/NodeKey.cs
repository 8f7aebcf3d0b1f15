// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CtdbPcmk.Transport.NodeAuth;

/// <summary>
/// One cluster key: the secret every node proves it knows on each node link. Its
/// <see cref="Id"/> is derived from the secret (so two nodes agree on it without configuring
/// one) and travels in the clear in the handshake; the label is the administrator's name for
/// it, used only in log lines.
/// </summary>
internal sealed class NodeKey
{
    /// <summary>Shorter secrets are refused: 16 bytes is the least an HMAC-SHA256 key should carry.</summary>
    public const int MinimumLength = 16;

    private static readonly byte[] s_idLabel = Encoding.ASCII.GetBytes("ctdb-pcmk node key id");

    public NodeKey(string label, byte[] secret)
    {
        if (secret.Length < MinimumLength)
        {
            throw new ArgumentException($"a node key needs at least {MinimumLength} bytes", nameof(secret));
        }
        Label = label;
        Secret = secret;
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(secret, s_idLabel, mac);
        Id = BinaryPrimitives.ReadUInt64LittleEndian(mac);
    }

    /// <summary>The administrator's name for the key (its line's first word), or "key N".</summary>
    public string Label { get; }

    public byte[] Secret { get; }

    /// <summary>The first 8 bytes of HMAC(secret, "ctdb-pcmk node key id"): names the key on the wire without revealing it.</summary>
    public ulong Id { get; }

    public override string ToString() => $"{Label} (id {Id:x16})";
}
