// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text.Json;

namespace CtdbPcmk.Protocol.Tests;

public class TunablesTests
{
    [Fact]
    public void Table_has_49_current_and_13_obsolete_names_filling_62_slots()
    {
        Assert.Equal(62, Tunables.All.Count);
        Assert.Equal(49, Tunables.Current.Count);
        Assert.Equal(Enumerable.Range(0, Tunables.SlotCount), Tunables.All.Select(t => t.Slot).Order());
        Assert.Equal(248, TunableList.Size);
        Assert.Equal("MaxRedirectCount", Tunables.All.Single(t => t.Slot == 0).Name);
        Assert.Equal("AllowMixedVersions", Tunables.All.Single(t => t.Slot == 61).Name);
    }

    [Fact]
    public void List_order_and_defaults_match_the_real_listvars_output()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(VectorFile.Directory, "listvars.json")));
        var lines = doc.RootElement.GetProperty("stdout").GetString()!
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2))
            .Select(p => (Name: p[0].Trim(), Value: uint.Parse(p[1].Trim(), System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
        Assert.Equal(lines.Select(l => l.Name), Tunables.Current.Select(t => t.Name));
        Assert.Equal(lines.Select(l => l.Value), Tunables.Current.Select(t => t.DefaultValue));
    }

    [Fact]
    public void List_tunables_reply_is_byte_identical_to_ctdbd()
    {
        // The first LIST_TUNABLES reply of the capture: 823 bytes of data, u32 length 819.
        var reply = VectorFile.Load("listvars.json")
            .Where(p => p.Direction == "reply" && PacketHeader.Read(p.Bytes).Operation == Operation.ReplyControl)
            .Select(p => p.Bytes)
            .First(b => ReplyControl.Read(b).Data.Length > 100);
        var data = ReplyControl.Read(reply).Data.ToArray();
        Assert.Equal(823, data.Length);
        var ours = new byte[Tunables.Names.EncodedSize];
        Assert.Equal(823, Tunables.Names.Write(ours));
        Assert.Equal(Hex.Of(data), Hex.Of(ours));
    }

    [Theory]
    [InlineData("recoverinterval", true, 1u)]
    [InlineData("RECOVERINTERVAL", true, 1u)]
    [InlineData("TDBMutexEnabled", true, 1u)]
    [InlineData("VacuumLimit", true, 5000u)]
    [InlineData("NoSuchTunable", false, 0u)]
    public void Get_is_case_insensitive_and_knows_obsolete_names(string name, bool found, uint value)
    {
        var list = TunableList.CreateDefaults();
        Assert.Equal(found, list.TryGet(name, out uint got));
        Assert.Equal(value, got);
    }

    [Fact]
    public void Set_reports_obsolete_names_and_rejects_unknown_ones()
    {
        var list = TunableList.CreateDefaults();
        Assert.True(list.TrySet("ControlTimeout", 7, out bool obsolete));
        Assert.False(obsolete);
        Assert.True(list.TryGet("controltimeout", out uint v));
        Assert.Equal(7u, v);
        Assert.True(list.TrySet("samba3avoiddeadlocks", 1, out obsolete));
        Assert.True(obsolete);
        Assert.False(list.TrySet("Bogus", 1, out _));

        var bytes = new byte[TunableList.Size];
        list.Write(bytes);
        Assert.Equal(7u, BitConverter.ToUInt32(bytes, 4 * 2)); // control_timeout is slot 2
        var back = TunableList.Read(bytes);
        Assert.Equal(7u, back[2]);
    }

    [Fact]
    public void Empty_var_list_is_a_lone_nul()
    {
        var empty = new VarList([]);
        var bytes = new byte[empty.EncodedSize];
        empty.Write(bytes);
        Assert.Equal("0100000000", Hex.Of(bytes));
        Assert.Empty(VarList.Read(bytes).Names);
    }
}
