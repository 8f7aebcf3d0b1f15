// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Bench;

/// <summary>
/// Local REQ_CALL FETCH_FUNC of an existing record of a volatile database: each client reads its
/// own key, written beforehand with the ctdb tool, and checks the value it gets back.
/// </summary>
internal sealed class FetchOperation : ClientOperation
{
    public const string Database = "bench-fetch.tdb";

    private readonly uint _dbId;
    private readonly byte[] _key;
    private readonly byte[] _value;

    public FetchOperation(CtdbClient client, int index) : base(client)
    {
        _dbId = client.AttachDatabase(Database);
        _key = System.Text.Encoding.ASCII.GetBytes(Key(index));
        _value = System.Text.Encoding.ASCII.GetBytes(Value(index));
        Execute();
        if (!client.LastReplyData.SequenceEqual(_value))
        {
            throw new InvalidOperationException($"{Key(index)} holds '{System.Text.Encoding.ASCII.GetString(client.LastReplyData)}', expected '{Value(index)}'");
        }
    }

    public static string Key(int index) => $"bench-key-{index:00}";

    public static string Value(int index) => $"bench-value-{index:00}-0123456789abcdef0123456789abcdef";

    public override void Execute()
    {
        int status = Client.CallRaw(_dbId, _key, ReqCall.FetchFunc, 0);
        if (status != 0 || Client.LastReplyData.Length != _value.Length)
        {
            throw new InvalidOperationException($"FETCH answered status {status} with {Client.LastReplyData.Length} bytes, expected {_value.Length}");
        }
    }
}
