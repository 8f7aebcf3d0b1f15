// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Protocol.Tests;

/// <summary>Operation and control numbers are wire contract: frozen against the protocol tables (§2, §3.0).</summary>
public class FrozenValuesTests
{
    [Fact]
    public void Operations()
    {
        var expected = new Dictionary<Operation, uint>
        {
            [Operation.ReqCall] = 0, [Operation.ReplyCall] = 1, [Operation.ReqDmaster] = 2,
            [Operation.ReplyDmaster] = 3, [Operation.ReplyError] = 4, [Operation.ReqMessage] = 5,
            [Operation.ReqControl] = 7, [Operation.ReplyControl] = 8, [Operation.ReqKeepalive] = 9,
            [Operation.ReqTunnel] = 10,
        };
        Assert.Equal(expected.Count, Enum.GetValues<Operation>().Length);
        foreach (var (op, value) in expected)
        {
            Assert.Equal(value, (uint)op);
        }
    }

    // §3.0 as number → protocol name; numbers not listed are unused in 4.17.
    private static readonly (uint Number, string Name)[] s_controls =
    [
        (0, "PROCESS_EXISTS"), (1, "STATISTICS"), (3, "PING"), (4, "GETDBPATH"), (5, "GETVNNMAP"),
        (6, "SETVNNMAP"), (7, "GET_DEBUG"), (8, "SET_DEBUG"), (9, "GET_DBMAP"), (10, "GET_NODEMAPv4"),
        (11, "SET_DMASTER"), (13, "PULL_DB"), (14, "PUSH_DB"), (15, "GET_RECMODE"), (16, "SET_RECMODE"),
        (17, "STATISTICS_RESET"), (18, "DB_ATTACH"), (19, "SET_CALL"), (20, "TRAVERSE_START"),
        (21, "TRAVERSE_ALL"), (22, "TRAVERSE_DATA"), (23, "REGISTER_SRVID"), (24, "DEREGISTER_SRVID"),
        (25, "GET_DBNAME"), (26, "ENABLE_SEQNUM"), (27, "UPDATE_SEQNUM"), (29, "DUMP_MEMORY"),
        (30, "GET_PID"), (31, "GET_RECMASTER"), (32, "SET_RECMASTER"), (33, "FREEZE"), (34, "THAW"),
        (35, "GET_PNN"), (36, "SHUTDOWN"), (37, "GET_MONMODE"), (42, "TAKEOVER_IPv4"), (43, "RELEASE_IPv4"),
        (44, "TCP_CLIENT"), (45, "TCP_ADD"), (46, "TCP_REMOVE"), (47, "STARTUP"), (48, "SET_TUNABLE"),
        (49, "GET_TUNABLE"), (50, "LIST_TUNABLES"), (51, "GET_PUBLIC_IPSv4"), (52, "MODIFY_FLAGS"),
        (53, "GET_ALL_TUNABLES"), (54, "KILL_TCP"), (55, "GET_TCP_TICKLE_LIST"), (56, "SET_TCP_TICKLE_LIST"),
        (57, "REGISTER_SERVER_ID"), (58, "UNREGISTER_SERVER_ID"), (59, "CHECK_SERVER_ID"),
        (60, "GET_SERVER_ID_LIST"), (61, "DB_ATTACH_PERSISTENT"), (62, "PERSISTENT_STORE"),
        (63, "UPDATE_RECORD"), (64, "SEND_GRATUITOUS_ARP"), (65, "TRANSACTION_START"),
        (66, "TRANSACTION_COMMIT"), (67, "WIPE_DATABASE"), (69, "UPTIME"), (70, "START_RECOVERY"),
        (71, "END_RECOVERY"), (72, "RELOAD_NODES_FILE"), (74, "TRY_DELETE_RECORDS"), (75, "ENABLE_MONITOR"),
        (76, "DISABLE_MONITOR"), (77, "ADD_PUBLIC_IP"), (78, "DEL_PUBLIC_IP"), (79, "RUN_EVENTSCRIPTS"),
        (80, "GET_CAPABILITIES"), (81, "START_PERSISTENT_UPDATE"), (82, "CANCEL_PERSISTENT_UPDATE"),
        (83, "TRANS2_COMMIT"), (84, "TRANS2_FINISHED"), (85, "TRANS2_ERROR"), (86, "TRANS2_COMMIT_RETRY"),
        (87, "RECD_PING"), (88, "RELEASE_IP"), (89, "TAKEOVER_IP"), (90, "GET_PUBLIC_IPS"), (91, "GET_NODEMAP"),
        (96, "GET_EVENT_SCRIPT_STATUS"), (97, "TRAVERSE_KILL"), (98, "RECD_RECLOCK_LATENCY"),
        (99, "GET_RECLOCK_FILE"), (100, "SET_RECLOCK_FILE"), (101, "STOP_NODE"), (102, "CONTINUE_NODE"),
        (103, "SET_NATGWSTATE"), (104, "SET_LMASTERROLE"), (105, "SET_RECMASTERROLE"), (107, "ENABLE_SCRIPT"),
        (108, "DISABLE_SCRIPT"), (109, "SET_BAN_STATE"), (110, "GET_BAN_STATE"), (111, "SET_DB_PRIORITY"),
        (112, "GET_DB_PRIORITY"), (113, "TRANSACTION_CANCEL"), (114, "REGISTER_NOTIFY"),
        (115, "DEREGISTER_NOTIFY"), (116, "TRANS2_ACTIVE"), (117, "GET_LOG"), (118, "CLEAR_LOG"),
        (119, "TRANS3_COMMIT"), (120, "GET_DB_SEQNUM"), (121, "DB_SET_HEALTHY"), (122, "DB_GET_HEALTH"),
        (123, "GET_PUBLIC_IP_INFO"), (124, "GET_IFACES"), (125, "SET_IFACE_LINK_STATE"),
        (126, "TCP_ADD_DELAYED_UPDATE"), (127, "GET_STAT_HISTORY"), (128, "SCHEDULE_FOR_DELETION"),
        (129, "SET_DB_READONLY"), (130, "CHECK_SRVIDS"), (131, "TRAVERSE_START_EXT"),
        (132, "GET_DB_STATISTICS"), (133, "SET_DB_STICKY"), (134, "RELOAD_PUBLIC_IPS"),
        (135, "TRAVERSE_ALL_EXT"), (136, "RECEIVE_RECORDS"), (137, "IPREALLOCATED"), (138, "GET_RUNSTATE"),
        (139, "DB_DETACH"), (140, "GET_NODES_FILE"), (141, "DB_FREEZE"), (142, "DB_THAW"),
        (143, "DB_TRANSACTION_START"), (144, "DB_TRANSACTION_COMMIT"), (145, "DB_TRANSACTION_CANCEL"),
        (146, "DB_PULL"), (147, "DB_PUSH_START"), (148, "DB_PUSH_CONFIRM"), (149, "DB_OPEN_FLAGS"),
        (150, "DB_ATTACH_REPLICATED"), (151, "CHECK_PID_SRVID"), (152, "TUNNEL_REGISTER"),
        (153, "TUNNEL_DEREGISTER"), (154, "VACUUM_FETCH"), (155, "DB_VACUUM"), (156, "ECHO_DATA"),
        (157, "DISABLE_NODE"), (158, "ENABLE_NODE"),
        // The product's own controls, far above CTDB's range.
        (0x4350_0001, "PCMK_SET_LEADER_ROLE"), (0x4350_0002, "PCMK_GET_LEADER_STATE"), (0x4350_0003, "PCMK_RECHECK"),
        (0x4350_0004, "PCMK_CLAIM_LEADER"), (0x4350_0005, "PCMK_TCP_UPDATE"),
    ];

    [Fact]
    public void Control_numbers_match_the_protocol_table()
    {
        var byValue = Enum.GetValues<ControlOpcode>().ToDictionary(o => (uint)o);
        Assert.Equal(s_controls.Length, byValue.Count);
        foreach (var (number, name) in s_controls)
        {
            Assert.True(byValue.TryGetValue(number, out var opcode), $"control {number} {name} missing");
            // PascalCase of the protocol name, e.g. DB_ATTACH_PERSISTENT -> DbAttachPersistent.
            Assert.Equal(Normalize(name), Normalize(opcode.ToString()));
        }
    }

    private static string Normalize(string name) => name.Replace("_", "", StringComparison.Ordinal).ToUpperInvariant();

    [Fact]
    public void Constants()
    {
        Assert.Equal(0x39u, NodeFlags.Inactive);
        Assert.Equal(0x06u, NodeFlags.Disabled);
        Assert.Equal(0x30003u, Capabilities.Default);
        Assert.Equal(0xF101000000000000ul, Srvid.Leader);
        Assert.Equal(0xF300000000000000ul, Srvid.ReleaseIp);
        Assert.Equal(0xF301000000000000ul, Srvid.TakeIp);
        Assert.Equal(0xF001000000000000ul, Srvid.Recovery);
        Assert.Equal(0xFE00000000000001ul, Srvid.SambaNotifyProxy);
        Assert.Equal(0xFE00000000000002ul, Srvid.SambaProcess);
        Assert.Equal(6u, (uint)RunState.Shutdown);
        Assert.Equal(5u, (uint)RunState.Running);
        Assert.Equal(1u, (uint)RecoveryMode.Active);
        Assert.Equal(8, DbFlags.Replicated);
    }
}
