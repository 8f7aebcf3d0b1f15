// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Linux;

/// <summary>The errno values the agents act on (Linux numbering).</summary>
public enum Errno
{
    /// <summary>No error.</summary>
    None = 0,
    /// <summary>Operation not permitted.</summary>
    EPERM = 1,
    /// <summary>No such file or directory.</summary>
    ENOENT = 2,
    /// <summary>No such process.</summary>
    ESRCH = 3,
    /// <summary>Interrupted system call.</summary>
    EINTR = 4,
    /// <summary>No such device or address.</summary>
    ENXIO = 6,
    /// <summary>Bad file descriptor.</summary>
    EBADF = 9,
    /// <summary>Try again.</summary>
    EAGAIN = 11,
    /// <summary>Permission denied.</summary>
    EACCES = 13,
    /// <summary>File exists.</summary>
    EEXIST = 17,
    /// <summary>No such device.</summary>
    ENODEV = 19,
    /// <summary>Invalid argument.</summary>
    EINVAL = 22,
    /// <summary>Address family not supported.</summary>
    EAFNOSUPPORT = 97,
    /// <summary>Address already in use.</summary>
    EADDRINUSE = 98,
    /// <summary>Cannot assign requested address.</summary>
    EADDRNOTAVAIL = 99,
    /// <summary>Network is down.</summary>
    ENETDOWN = 100,
    /// <summary>Protocol not supported.</summary>
    EPROTONOSUPPORT = 93,
    /// <summary>Operation not supported.</summary>
    EOPNOTSUPP = 95,
    /// <summary>Broken pipe (the peer closed).</summary>
    EPIPE = 32,
    /// <summary>No buffer space (a netlink socket dropped messages).</summary>
    ENOBUFS = 105,
    /// <summary>Connection reset by peer.</summary>
    ECONNRESET = 104,
    /// <summary>Connection timed out.</summary>
    ETIMEDOUT = 110,
    /// <summary>Connection refused (nothing listens).</summary>
    ECONNREFUSED = 111,
    /// <summary>A connect is already in progress (after an interrupted one).</summary>
    EALREADY = 114,
    /// <summary>Already connected (an interrupted connect finished meanwhile).</summary>
    EISCONN = 106,
    /// <summary>Operation now in progress (a connect that did not finish within SO_SNDTIMEO).</summary>
    EINPROGRESS = 115,
}
