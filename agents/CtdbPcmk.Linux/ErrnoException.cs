// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

/// <summary>A failed system call, carrying its errno.</summary>
public sealed class ErrnoException : Exception
{
    /// <summary>Creates the exception for an operation and errno.</summary>
    public ErrnoException(string operation, int errno)
        : base(Describe(operation, errno))
    {
        Errno = (Errno)errno;
        Operation = operation;
    }

    /// <summary>The errno value.</summary>
    public Errno Errno { get; }

    /// <summary>What was being done.</summary>
    public string Operation { get; }

    /// <summary>True when the caller lacks the privilege for the operation.</summary>
    public bool IsPermission => Errno is Errno.EPERM or Errno.EACCES;

    /// <summary>"operation: message (errno N)".</summary>
    internal static string Describe(string operation, int errno) =>
        $"{operation}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";

    /// <summary>Throws for the errno of the last P/Invoke.</summary>
    public static ErrnoException FromLastError(string operation) => new(operation, Marshal.GetLastPInvokeError());
}
