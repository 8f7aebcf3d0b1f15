// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Bench;

/// <summary>
/// One persistent-database commit as smbd sends it: a changed record plus the bumped
/// __db_sequence_number__, both with rsn = the new seqnum. Every client has its own database
/// because ctdbd refuses concurrent commits to one database. (smbd holds a g_lock around each
/// commit; that lock traffic is not part of this measurement.)
/// </summary>
internal sealed class Trans3Operation : ClientOperation
{
    private readonly uint _dbId;
    private readonly uint _pnn;
    private readonly byte[] _key = "bench-record"u8.ToArray();
    private readonly byte[] _value = new byte[64];
    private readonly byte[] _seqValue = new byte[8];
    private readonly TransactionRecord[] _records = new TransactionRecord[2];
    private readonly ulong _startSeqnum;
    private ulong _seqnum;

    public Trans3Operation(CtdbClient client, int index) : base(client)
    {
        _pnn = client.GetPnn();
        _dbId = client.AttachDatabase(Database(index), DatabaseKind.Persistent);
        _startSeqnum = _seqnum = client.GetDbSeqnum(_dbId);
        "bench-value-"u8.CopyTo(_value);
    }

    public static string Database(int index) => $"bench-trans3-{index:00}.tdb";

    public override void Execute()
    {
        ulong next = _seqnum + 1;
        BinaryPrimitives.WriteUInt64LittleEndian(_value.AsSpan(16), next);
        BinaryPrimitives.WriteUInt64LittleEndian(_seqValue, next);
        var header = new LtdbHeader(next, _pnn, 0);
        _records[0] = new TransactionRecord(_key, header, _value);
        _records[1] = new TransactionRecord(TransactionRecord.SequenceNumberKey, header, _seqValue);
        int status = Client.Trans3CommitRaw(_dbId, _records);
        if (status != 0)
        {
            throw new InvalidOperationException($"TRANS3_COMMIT answered status {status}: {System.Text.Encoding.UTF8.GetString(Client.LastErrorMessage)}");
        }
        _seqnum = next;
    }

    public override void Verify()
    {
        ulong stored = Client.GetDbSeqnum(_dbId);
        if (stored != _seqnum)
        {
            throw new InvalidOperationException($"{_seqnum - _startSeqnum} commits answered 0 but the stored seqnum is {stored}, expected {_seqnum}");
        }
    }
}
