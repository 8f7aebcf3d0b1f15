// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.TestSupport.Nfs4;

/// <summary>The server rejected an RPC call or did not execute it (RFC 5531 reject_stat/accept_stat).</summary>
public sealed class RpcException : Exception
{
    public RpcException()
    {
    }

    public RpcException(string message) : base(message)
    {
    }

    public RpcException(string message, Exception inner) : base(message, inner)
    {
    }
}
