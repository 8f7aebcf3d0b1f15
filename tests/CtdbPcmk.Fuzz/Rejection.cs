// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Daemon.Config;
using CtdbPcmk.Nfs.Conf;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Fuzz;

/// <summary>
/// The exceptions the code under test documents for bad input: a codec's
/// <see cref="ProtocolException"/>, a configuration file's <see cref="ConfigError"/>, a
/// ganesha.conf's <see cref="GaneshaConfException"/>. Every other exception is a crash.
/// </summary>
public static class Rejection
{
    public static bool IsDocumented(Exception e) =>
        e is ProtocolException or ConfigError or GaneshaConfException;

    /// <summary>Runs <paramref name="target"/>; a documented rejection counts as handled input.</summary>
    public static void Run(IFuzzTarget target, ReadOnlySpan<byte> input)
    {
        try
        {
            target.Run(input);
        }
        catch (Exception e) when (IsDocumented(e))
        {
        }
    }
}
