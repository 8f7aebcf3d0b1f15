// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Controls;

/// <summary>What a control handler answers: a status, optional data and error text.</summary>
internal readonly record struct ControlReply(int Status, byte[]? Data = null, string? Error = null)
{
    public static ControlReply Ok { get; } = new(0);

    /// <summary>
    /// The handler answers later, through <c>ControlReplies.Complete</c> with the origin it was
    /// given (commits that wait for other nodes, freezes that wait for chain locks).
    /// </summary>
    public static ControlReply Deferred { get; } = new(int.MinValue);

    public bool IsDeferred => Status == int.MinValue && Data is null && Error is null;
    public static ControlReply Fail { get; } = new(-1);

    public static ControlReply WithData(byte[] data) => new(0, data);

    public static ControlReply Failed(string message, int status = -1) => new(status, null, message);
}
