// SPDX-License-Identifier: GPL-3.0-or-later
// The daemon uses Linux facilities throughout (Unix sockets, POSIX signals, fcntl locks).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
