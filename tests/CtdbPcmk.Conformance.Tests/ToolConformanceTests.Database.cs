// SPDX-License-Identifier: GPL-3.0-or-later
using static CtdbPcmk.Conformance.Tests.ToolStep;

namespace CtdbPcmk.Conformance.Tests;

/// <summary>Database commands; each test uses database names of its own.</summary>
public sealed partial class ToolConformanceTests
{
    [Fact]
    public Task Attach_volatile() => SameAsync(
        Ok("attach", "conf_vol.tdb"),
        Ok("attach", "conf_vol.tdb"),
        Ok("getdbstatus", "conf_vol.tdb").Showing("conf_vol.tdb"));

    [Fact]
    public Task Attach_persistent() => SameAsync(
        Ok("attach", "conf_pers.tdb", "persistent"),
        Ok("attach", "conf_pers.tdb", "persistent"),
        Ok("getdbstatus", "conf_pers.tdb").Showing("PERSISTENT: yes"));

    [Fact]
    public Task Attach_existing_persistent_as_volatile() => SameAsync(
        Ok("attach", "conf_pers_vol.tdb", "persistent"),
        new ToolStep(["attach", "conf_pers_vol.tdb"]),
        Ok("getdbstatus", "conf_pers_vol.tdb").Showing("PERSISTENT: yes"));

    [Fact]
    public Task Getdbmap() => SameAsync(
        Ok("attach", "conf_map_vol.tdb"),
        Ok("attach", "conf_map_pers.tdb", "persistent"),
        Ok("getdbmap").Showing("conf_map_pers.tdb"),
        Ok("-X", "getdbmap").Showing("conf_map_vol.tdb"));

    [Fact]
    public Task Getdbseqnum() => SameAsync(
        Ok("attach", "conf_seq.tdb", "persistent"),
        Ok("getdbseqnum", "conf_seq.tdb").Showing("0x0"),
        Ok("pstore", "conf_seq.tdb", "k", "v"),
        Ok("getdbseqnum", "conf_seq.tdb").Showing("0x1"),
        Ok("attach", "conf_seq_vol.tdb"),
        Ok("getdbseqnum", "conf_seq_vol.tdb"),
        Fails("getdbseqnum", "conf_not_attached.tdb"));

    [Fact]
    public Task Pstore_pfetch_pdelete() => SameAsync(
        Ok("attach", "conf_p.tdb", "persistent"),
        Ok("pstore", "conf_p.tdb", "key1", "value1"),
        Ok("pfetch", "conf_p.tdb", "key1").Showing("value1"),
        Ok("pstore", "conf_p.tdb", "key1", "value2"),
        Ok("pfetch", "conf_p.tdb", "key1").Showing("value2"),
        Ok("pdelete", "conf_p.tdb", "key1"),
        Ok("pfetch", "conf_p.tdb", "key1"),
        new ToolStep(["pdelete", "conf_p.tdb", "never-stored"]),
        // writekey is for volatile databases only.
        new ToolStep(["writekey", "conf_p.tdb", "key2", "value"]),
        Ok("catdb", "conf_p.tdb").Showing("__db_sequence_number__"),
        Fails("pstore", "conf_not_attached.tdb", "k", "v"));

    [Fact]
    public Task Pfetch_missing_key() => SameAsync(
        Ok("attach", "conf_pmiss.tdb", "persistent"),
        Ok("pfetch", "conf_pmiss.tdb", "never-stored"),
        Fails("pfetch", "conf_not_attached.tdb", "k"));

    [Fact]
    public Task Ptrans() => SameAsync(
        Ok("attach", "conf_trans.tdb", "persistent"),
        new ToolStep(["ptrans", "conf_trans.tdb"], "\"tk1\" \"tv1\"\n\"tk2\" \"tv2\"\n") { ReferenceExit = 0 },
        Ok("pfetch", "conf_trans.tdb", "tk2").Showing("tv2"),
        // Unchanged values: the transaction has nothing to write.
        new ToolStep(["ptrans", "conf_trans.tdb"], "\"tk1\" \"tv1\"\n") { ReferenceExit = 0 },
        Ok("getdbseqnum", "conf_trans.tdb"),
        // Input the tool cannot parse: nothing may be written.
        new ToolStep(["ptrans", "conf_trans.tdb"], "\"tk3\" unquoted\n"),
        Ok("catdb", "conf_trans.tdb").Showing("tk1"));

    [Fact]
    public Task Writekey_readkey() => SameAsync(
        Ok("attach", "conf_rw.tdb"),
        Ok("writekey", "conf_rw.tdb", "key1", "value1"),
        Ok("readkey", "conf_rw.tdb", "key1").Showing("value1"),
        Ok("writekey", "conf_rw.tdb", "key1", "longer-value2"),
        Ok("readkey", "conf_rw.tdb", "key1").Showing("longer-value2"),
        Ok("readkey", "conf_rw.tdb", "never-written"),
        // What a read of a missing key leaves behind, and the written record's header.
        Ok("catdb", "conf_rw.tdb").Showing("longer-value2"),
        Fails("writekey", "conf_not_attached.tdb", "k", "v"));

    [Fact]
    public Task Catdb() => SameAsync(
        Ok("attach", "conf_cat.tdb"),
        Ok("catdb", "conf_cat.tdb"),
        Ok("writekey", "conf_cat.tdb", "alpha", "one"),
        Ok("writekey", "conf_cat.tdb", "beta", "two"),
        Ok("catdb", "conf_cat.tdb").Showing("\"alpha\""),
        Ok("-X", "catdb", "conf_cat.tdb"),
        Fails("catdb", "conf_not_attached.tdb"));
}
