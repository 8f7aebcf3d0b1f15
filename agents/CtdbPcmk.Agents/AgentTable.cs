// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Conntrack;
using CtdbPcmk.Ctdbd;
using CtdbPcmk.HealthOcf;
using CtdbPcmk.Nfs;
using CtdbPcmk.Ocf;
using CtdbPcmk.Portblock;
using CtdbPcmk.Samba;
using CtdbPcmk.Vip;

namespace CtdbPcmk.Agents;

/// <summary>
/// The agents in the multi-call binary, by link name. One line per agent; the install script
/// creates a link for every name listed by "ctdb-ocf --list".
/// </summary>
internal static class AgentTable
{
    public static OcfAgentTable Create() => new OcfAgentTable()
        .Add("vip", static () => new VipAgent())
        .Add("portblock", static () => new PortblockAgent())
        .Add("ctdbd", static () => new CtdbdAgent())
        .Add("health", static () => new HealthAgent())
        .Add("samba", static () => new SambaAgent())
        .Add("conntrack", static () => new ConntrackAgent())
        .Add("nfs", static () => new NfsAgent());
}
