// SPDX-License-Identifier: GPL-3.0-or-later
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
