// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Samba;

namespace CtdbPcmk.Agents.Tests;

/// <summary>
/// The winbindd request and response layout, pinned to the values gcc gives for Samba 4.17's
/// nsswitch/winbind_struct_protocol.h on x86_64 (sizeof, offsetof, enum values).
/// </summary>
public sealed class WinbindProtocolTests
{
    [Fact]
    public void Sizes_offsets_and_values_are_samba_4_17_x86_64()
    {
        Assert.Equal(2136, WinbindProtocol.RequestSize);
        Assert.Equal(4008, WinbindProtocol.ResponseSize);
        Assert.Equal(0, WinbindProtocol.RequestLengthOffset);
        Assert.Equal(4, WinbindProtocol.RequestCmdOffset);
        Assert.Equal(8, WinbindProtocol.RequestOriginalCmdOffset);
        Assert.Equal(12, WinbindProtocol.RequestPidOffset);
        Assert.Equal(0, WinbindProtocol.ResponseLengthOffset);
        Assert.Equal(4, WinbindProtocol.ResponseResultOffset);
        Assert.Equal(32u, WinbindProtocol.CmdPing);
        Assert.Equal(2u, WinbindProtocol.ResultOk);
        Assert.Equal("pipe", WinbindProtocol.SocketName);
    }

    [Fact]
    public void Ping_request_carries_its_own_size_command_and_pid_and_nothing_else()
    {
        var buffer = new byte[WinbindProtocol.RequestSize + 8];
        buffer.AsSpan().Fill(0xAA);
        WinbindProtocol.WritePing(buffer, 4242);
        Assert.Equal(2136u, BinaryPrimitives.ReadUInt32LittleEndian(buffer));
        Assert.Equal(32u, BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(4)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(8)));
        Assert.Equal(4242, BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(12)));
        Assert.True(buffer.AsSpan(16, WinbindProtocol.RequestSize - 16).IndexOfAnyExcept((byte)0) < 0);
        Assert.Equal(0xAA, buffer[WinbindProtocol.RequestSize]);
    }

    [Fact]
    public void Response_header_gives_length_and_result_and_refuses_impossible_lengths()
    {
        var header = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 4008);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), 2);
        Assert.Equal((4008, 2u), WinbindProtocol.ReadResponseHeader(header));
        BinaryPrimitives.WriteUInt32LittleEndian(header, 100);
        Assert.Throws<InvalidDataException>(() => WinbindProtocol.ReadResponseHeader(header));
        BinaryPrimitives.WriteUInt32LittleEndian(header, uint.MaxValue);
        Assert.Throws<InvalidDataException>(() => WinbindProtocol.ReadResponseHeader(header));
    }
}
