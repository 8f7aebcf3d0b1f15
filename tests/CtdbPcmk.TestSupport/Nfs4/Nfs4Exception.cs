// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.TestSupport.Nfs4;

/// <summary>An NFSv4 operation failed with <see cref="Status"/>.</summary>
public sealed class Nfs4Exception : Exception
{
    public Nfs4Exception()
    {
    }

    public Nfs4Exception(string message) : base(message)
    {
    }

    public Nfs4Exception(string message, Exception inner) : base(message, inner)
    {
    }

    public Nfs4Exception(Nfs4Status status, string operation)
        : base($"{operation}: {status} ({(uint)status})")
    {
        Status = status;
        Operation = operation;
    }

    public Nfs4Status Status { get; }

    public string Operation { get; } = "";
}
