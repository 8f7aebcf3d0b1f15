// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Vacuum;

/// <summary>What vacuum runs did: records looked at, deleted here, sent to their lmaster, taken back, refused.</summary>
internal sealed class VacuumCounts
{
    public long Runs { get; set; }
    public long FullRuns { get; set; }
    /// <summary>Records a run looked at (queued, or found by a full run).</summary>
    public long Examined { get; set; }
    /// <summary>Records deleted from this node's copy by its own runs.</summary>
    public long Deleted { get; set; }
    /// <summary>Records left alone: filled again, migrated away, changed since queued, or locked.</summary>
    public long Skipped { get; set; }
    /// <summary>Keys sent to their lmaster with VACUUM_FETCH.</summary>
    public long SentToLmaster { get; set; }
    /// <summary>Records this node, their lmaster, took back from their dmaster.</summary>
    public long Fetched { get; set; }
    /// <summary>Records another node would not delete (TRY_DELETE_RECORDS), kept here.</summary>
    public long RemoteRefused { get; set; }
    /// <summary>Records deleted here at another node's TRY_DELETE_RECORDS.</summary>
    public long DeletedForOthers { get; set; }
    public long Repacks { get; set; }

    public void Add(VacuumCounts run)
    {
        Runs += run.Runs;
        FullRuns += run.FullRuns;
        Examined += run.Examined;
        Deleted += run.Deleted;
        Skipped += run.Skipped;
        SentToLmaster += run.SentToLmaster;
        Fetched += run.Fetched;
        RemoteRefused += run.RemoteRefused;
        Repacks += run.Repacks;
    }

    public override string ToString() =>
        $"examined {Examined}, deleted {Deleted}, skipped {Skipped}, sent to lmaster {SentToLmaster}, taken back {Fetched}, refused by others {RemoteRefused}, repacks {Repacks}";
}
