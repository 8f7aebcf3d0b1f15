// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Controls;

/// <summary>What a control handler answers: a status, optional data and error text.</summary>
internal readonly record struct ControlReply(int Status, byte[]? Data = null, string? Error = null)
{
    public static ControlReply Ok { get; } = new(0);
    public static ControlReply Fail { get; } = new(-1);

    public static ControlReply WithData(byte[] data) => new(0, data);

    public static ControlReply Failed(string message, int status = -1) => new(status, null, message);
}
