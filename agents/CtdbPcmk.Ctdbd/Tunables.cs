// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Ctdbd;

/// <summary>Pushes the debug level and tunables of the parameters into a running daemon.</summary>
internal static class Tunables
{
    public static void Apply(CtdbClient client, CtdbdConfig config)
    {
        Span<byte> level = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(level, config.DebugLevelNumber);
        Check(client, ControlOpcode.SetDebug, client.ControlRaw(ControlOpcode.SetDebug, WireFormat.CurrentNode, level), "debug level");
        foreach (var (name, value) in config.Tunables)
        {
            var tunable = new TunableValue(value, name);
            var data = new byte[tunable.EncodedSize];
            tunable.Write(data);
            // Status 1 means an obsolete name the daemon accepts and ignores.
            var status = client.ControlRaw(ControlOpcode.SetTunable, WireFormat.CurrentNode, data);
            if (status is not (0 or 1))
            {
                throw new CtdbControlException(ControlOpcode.SetTunable, status, $"tunable {name} was refused");
            }
        }
    }

    private static void Check(CtdbClient client, ControlOpcode op, int status, string what)
    {
        if (status != 0)
        {
            throw new CtdbControlException(op, status, $"{what}: {System.Text.Encoding.UTF8.GetString(client.LastErrorMessage)}");
        }
    }
}
