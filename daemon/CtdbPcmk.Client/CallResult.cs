// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Client;

/// <summary>Answer to a REQ_CALL: the call function's status and its output data.</summary>
public sealed class CallResult
{
    public CallResult(int status, byte[] data)
    {
        Status = status;
        Data = data;
    }

    /// <summary>Status of the call function (0 for the built-in calls).</summary>
    public int Status { get; }

    /// <summary>
    /// FETCH_FUNC: the record value without its ltdb header (empty = no record);
    /// FETCH_WITH_HEADER_FUNC: header and value; NULL_FUNC: empty.
    /// </summary>
    public byte[] Data { get; }
}
