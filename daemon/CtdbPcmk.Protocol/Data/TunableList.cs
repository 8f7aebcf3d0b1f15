// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>
/// GET_ALL_TUNABLES reply (struct ctdb_tunable_list): 62 u32 values in struct order, 248 bytes.
/// Mutable: a daemon keeps one instance as its live tunable set.
/// </summary>
public sealed class TunableList
{
    public const int Size = Tunables.SlotCount * 4;

    private readonly uint[] _values = new uint[Tunables.SlotCount];

    /// <summary>A list holding every tunable's 4.17 default.</summary>
    public static TunableList CreateDefaults()
    {
        var list = new TunableList();
        foreach (var t in Tunables.All)
        {
            list._values[t.Slot] = t.DefaultValue;
        }
        return list;
    }

    /// <summary>The value in struct slot <paramref name="slot"/> (0..61).</summary>
    public uint this[int slot]
    {
        get => _values[slot];
        set => _values[slot] = value;
    }

    public uint this[TunableInfo tunable]
    {
        get => _values[tunable.Slot];
        set => _values[tunable.Slot] = value;
    }

    /// <summary>GET_TUNABLE semantics: known names (obsolete ones too) return their value.</summary>
    public bool TryGet(string name, out uint value)
    {
        if (Tunables.TryFind(name, out var t))
        {
            value = _values[t.Slot];
            return true;
        }
        value = 0;
        return false;
    }

    /// <summary>
    /// SET_TUNABLE semantics: false for an unknown name; otherwise stores the value and reports
    /// whether the name is obsolete (ctdbd answers 1 then).
    /// </summary>
    public bool TrySet(string name, uint value, out bool obsolete)
    {
        if (Tunables.TryFind(name, out var t))
        {
            _values[t.Slot] = value;
            obsolete = t.Obsolete;
            return true;
        }
        obsolete = false;
        return false;
    }

    public int Write(Span<byte> buffer)
    {
        for (int i = 0; i < Tunables.SlotCount; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(buffer[(i * 4)..], _values[i]);
        }
        return Size;
    }

    public static TunableList Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, Size, "tunable list");
        var list = new TunableList();
        for (int i = 0; i < Tunables.SlotCount; i++)
        {
            list._values[i] = BinaryPrimitives.ReadUInt32LittleEndian(data[(i * 4)..]);
        }
        return list;
    }
}
