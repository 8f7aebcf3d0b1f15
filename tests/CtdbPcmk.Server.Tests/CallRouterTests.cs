// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Server.Calls;

namespace CtdbPcmk.Server.Tests;

public sealed class CallRouterTests
{
    [Theory]
    [InlineData(1u, 1u, "RunLocal", 1u)]
    [InlineData(1u, 2u, "Forward", 2u)]
    [InlineData(0u, 2u, "Forward", 2u)]
    public void Client_calls_run_on_the_dmaster_or_go_to_it(uint pnn, uint dmaster, string action, uint dest) =>
        Assert.Equal(new CallRoute(Enum.Parse<CallAction>(action), dest), CallRouter.ForClient(pnn, dmaster));

    [Theory]
    // Not dmaster, not lmaster: ask the lmaster.
    [InlineData(1u, 0u, 2u, 0u, "Redirect", 0u)]
    // Not dmaster, but lmaster: send it to the dmaster the lmaster recorded.
    [InlineData(0u, 1u, 2u, 0u, "Redirect", 2u)]
    // The lmaster's record names the requester itself (its REPLY_DMASTER is on the way).
    [InlineData(0u, 1u, 1u, 0u, "Redirect", 1u)]
    // Dmaster and lmaster: the record goes straight to the requester.
    [InlineData(0u, 1u, 0u, 0u, "MigrateByReply", 1u)]
    // Dmaster, not lmaster: the lmaster hears first.
    [InlineData(2u, 1u, 2u, 0u, "MigrateByRequest", 0u)]
    // A call of this node that came back to it after the record arrived.
    [InlineData(2u, 2u, 2u, 0u, "RunLocal", 2u)]
    public void Node_calls_are_redirected_or_migrate_the_record(uint pnn, uint src, uint dmaster, uint lmaster, string action, uint dest) =>
        Assert.Equal(new CallRoute(Enum.Parse<CallAction>(action), dest), CallRouter.ForNode(pnn, src, dmaster, lmaster));

    [Fact]
    public void A_redirect_never_targets_this_node()
    {
        for (uint pnn = 0; pnn < 4; pnn++)
        {
            for (uint src = 0; src < 4; src++)
            {
                for (uint dmaster = 0; dmaster < 4; dmaster++)
                {
                    for (uint lmaster = 0; lmaster < 4; lmaster++)
                    {
                        var route = CallRouter.ForNode(pnn, src, dmaster, lmaster);
                        if (route.Action != CallAction.RunLocal)
                        {
                            Assert.NotEqual(pnn, route.DestNode);
                        }
                        Assert.Equal(dmaster == pnn, route.Action != CallAction.Redirect);
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(0u, 0u, 2u, 2u, 5ul, "Accept")]
    [InlineData(0u, 1u, 2u, 2u, 5ul, "NotLmaster")]
    [InlineData(0u, 0u, 2u, 1u, 5ul, "NotDmaster")]
    // A record the lmaster never saw change may come from any node.
    [InlineData(0u, 0u, 2u, 0u, 0ul, "Accept")]
    [InlineData(0u, 0u, 2u, 0u, 1ul, "NotDmaster")]
    public void Req_dmaster_is_accepted_only_from_the_recorded_dmaster(uint pnn, uint lmaster, uint src, uint recorded, ulong rsn, string expected) =>
        Assert.Equal(Enum.Parse<DmasterCheck>(expected), CallRouter.CheckReqDmaster(pnn, lmaster, src, recorded, rsn));
}
