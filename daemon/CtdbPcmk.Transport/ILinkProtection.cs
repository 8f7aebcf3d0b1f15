// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Transport;

/// <summary>
/// What a <see cref="PacketConnection"/> does to every packet once a link is authenticated:
/// each packet goes out inside a frame of <see cref="Overhead"/> more bytes, and each frame that
/// comes in is checked and unwrapped before its packet reaches the sink.
/// </summary>
internal interface ILinkProtection : IDisposable
{
    /// <summary>Bytes a frame adds to the packet it carries.</summary>
    int Overhead { get; }

    /// <summary>Writes the frame for <paramref name="packet"/> into <paramref name="frame"/> (exactly packet length + <see cref="Overhead"/> bytes).</summary>
    void Seal(ReadOnlySpan<byte> packet, Span<byte> frame);

    /// <summary>The packet inside <paramref name="frame"/>; throws <see cref="CtdbPcmk.Protocol.ProtocolException"/> for a frame that fails the check.</summary>
    ReadOnlySpan<byte> Open(ReadOnlySpan<byte> frame);
}
