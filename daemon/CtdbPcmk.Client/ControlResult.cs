// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Client;

/// <summary>Answer to a control: the daemon's status, reply data and error text.</summary>
/// <remarks>
/// Several controls (GET_PNN, PING, GET_RECMODE, PROCESS_EXISTS …) return their result in
/// <see cref="Status"/>, so a non-zero status is not always a failure.
/// </remarks>
public sealed class ControlResult
{
    public ControlResult(int status, byte[] data, string errorMessage)
    {
        Status = status;
        Data = data;
        ErrorMessage = errorMessage;
    }

    /// <summary>Signed status field of REPLY_CONTROL.</summary>
    public int Status { get; }

    /// <summary>Reply data, sized by the reply's datalen (never by the padded packet length).</summary>
    public byte[] Data { get; }

    /// <summary>Error text sent by the daemon (empty when none).</summary>
    public string ErrorMessage { get; }
}
