// SPDX-License-Identifier: GPL-3.0-or-later
// These tests drive Linux daemons, namespaces and Unix sockets.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
