// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Agents;
using CtdbPcmk.Ocf;

// argv[0] as the process was started (the link name), not the resolved executable path.
var argv0 = Environment.GetCommandLineArgs() is [var first, ..] ? first : "ctdb-ocf";
return AgentTable.Create().Main(argv0, "ctdb-ocf", args, OcfEnvironment.Process, StandardStreams.Out, StandardStreams.Error);
