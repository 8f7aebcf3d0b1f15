// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Daemon;

return CommandLine.Create(DaemonHost.Run).Parse(args).Invoke();
