// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text;
using CtdbPcmk.Daemon.Config;
using CtdbPcmk.Nfs.Conf;

namespace CtdbPcmk.Fuzz;

/// <summary>Parsers of files an administrator (or another package) writes: ctdb.conf, the nodes file, ganesha.conf.</summary>
public static class ConfigTargets
{
    public static IEnumerable<IFuzzTarget> All()
    {
        yield return new CodecTarget("ctdb-conf", d => CtdbConf.FromText("ctdb.conf", Text(d)));
        yield return new CodecTarget("nodes-file", d => NodesFile.Parse("nodes", Text(d)));
        yield return new CodecTarget("ganesha-conf", d => GaneshaConfReader.Parse(Text(d), "ganesha.conf"));
    }

    private static string Text(ReadOnlySpan<byte> input) => Encoding.UTF8.GetString(input);
}
