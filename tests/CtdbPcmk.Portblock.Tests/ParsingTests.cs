// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;

namespace CtdbPcmk.Portblock.Tests;

public sealed class ParsingTests
{
    [Theory]
    [InlineData("445", "445", "{ 445 }", 1)]
    [InlineData("445,139", "445,139", "{ 445, 139 }", 2)]
    [InlineData("8000:8010", "8000:8010", "{ 8000-8010 }", 2)]
    [InlineData(" 22 , 8000:8000 ", "22,8000", "{ 22, 8000 }", 2)]
    [InlineData("1:65535", "1:65535", "{ 1-65535 }", 2)]
    public void PortListsParse(string text, string multiport, string nftSet, int slots)
    {
        Assert.True(PortList.TryParse(text, out var list, out var error), error);
        Assert.Equal(multiport, list.ToMultiport());
        Assert.Equal(nftSet, list.ToNftSet());
        Assert.Equal(slots, list.MultiportSlots);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("445,")]
    [InlineData("a")]
    [InlineData("1:2:3")]
    [InlineData("10:9")]
    [InlineData("-1")]
    [InlineData("445;139")]
    public void BadPortListsAreRejected(string text)
    {
        Assert.False(PortList.TryParse(text, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void PortListContains()
    {
        Assert.True(PortList.TryParse("445,8000:8010", out var list, out _));
        Assert.True(list.Contains(445));
        Assert.True(list.Contains(8005));
        Assert.False(list.Contains(139));
        Assert.False(list.Contains(8011));
    }

    [Theory]
    [InlineData("192.0.2.50", "192.0.2.50", true)]
    [InlineData("0.0.0.0/0", "0.0.0.0/0", false)]
    [InlineData("192.0.2.0/24", "192.0.2.0/24", false)]
    [InlineData("fd00:0::0050", "fd00::50", true)]
    [InlineData("fd00::/64", "fd00::/64", false)]
    [InlineData("::ffff:192.0.2.1", "192.0.2.1", true)]
    public void AddressesParse(string text, string canonical, bool oneAddress)
    {
        Assert.True(AddressMatch.TryParse(text, out var match));
        Assert.Equal(canonical, match.ToString());
        Assert.Equal(oneAddress, match.IsSingleAddress);
    }

    [Theory]
    [InlineData("")]
    [InlineData("host.example")]
    [InlineData("192.0.2.1/33")]
    [InlineData("fe80::1%eth0")]
    [InlineData("192.0.2.1/")]
    public void BadAddressesAreRejected(string text) => Assert.False(AddressMatch.TryParse(text, out _));

    [Fact]
    public void ConnectionListsReadTheStockFormatBothWaysRoundAndIPv6()
    {
        var text = "192.0.2.50:445\t192.0.2.10:40001\n"     // stock: server, client
            + "192.0.2.11:40002 192.0.2.50:139\n"          // client first
            + "[fd00::50]:445\t[fd00::10]:40003\n"
            + "fd00::50:445 fd00::11:40004\n"               // bare IPv6 (last colon splits the port)
            + "192.0.2.50:445\t192.0.2.10:40001\n"          // duplicate
            + "garbage\n\n# comment\n"
            + "192.0.2.77:445\t192.0.2.10:1\n";              // another address
        var v4 = ConnectionList.Parse(text, IPAddress.Parse("192.0.2.50"), out var rejected4);
        Assert.Equal(
            [new TcpConnection(IPEndPoint.Parse("192.0.2.50:445"), IPEndPoint.Parse("192.0.2.10:40001")),
             new TcpConnection(IPEndPoint.Parse("192.0.2.50:139"), IPEndPoint.Parse("192.0.2.11:40002"))],
            v4);
        Assert.Equal(4, rejected4);   // two IPv6 lines, garbage, other address
        var v6 = ConnectionList.Parse(text, IPAddress.Parse("fd00::50"), out _);
        Assert.Equal(
            [new TcpConnection(IPEndPoint.Parse("[fd00::50]:445"), IPEndPoint.Parse("[fd00::10]:40003")),
             new TcpConnection(IPEndPoint.Parse("[fd00::50]:445"), IPEndPoint.Parse("[fd00::11]:40004"))],
            v6);
    }

    [Fact]
    public async Task ConnectionListsWrittenAtOnceByTwoWritersAreWholeAndNeitherFails()
    {
        // Two nodes holding one address for a moment write its list in the shared tickle_dir at once.
        var dir = Directory.CreateTempSubdirectory("ctdbpcmk-tickle-");
        try
        {
            var path = Path.Combine(dir.FullName, "192.0.2.50");
            TcpConnection[] a = [new(IPEndPoint.Parse("192.0.2.50:445"), IPEndPoint.Parse("192.0.2.10:40001"))];
            TcpConnection[] b = [new(IPEndPoint.Parse("192.0.2.50:445"), IPEndPoint.Parse("192.0.2.11:40002")), .. a];
            // The other node in the middle of its write, its temporary file open.
            using (var other = new FileStream(path + ".new", FileMode.Create, FileAccess.Write, FileShare.None))
            {
                ConnectionList.Write(path, a);
            }
            File.Delete(path + ".new");
            var writers = new[] { a, b }.Select(list => Task.Run(() =>
            {
                for (var i = 0; i < 300; i++)
                {
                    ConnectionList.Write(path, list);
                }
            })).ToArray();
            await Task.WhenAll(writers);
            var back = ConnectionList.Parse(File.ReadAllText(path), IPAddress.Parse("192.0.2.50"), out var rejected);
            Assert.Equal(0, rejected);
            Assert.True(back.SequenceEqual(a) || back.SequenceEqual(b), string.Join(",", back));
            Assert.Equal([path], Directory.GetFiles(dir.FullName));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void ConnectionListsRoundTrip()
    {
        TcpConnection[] connections =
        [
            new(IPEndPoint.Parse("192.0.2.50:445"), IPEndPoint.Parse("192.0.2.10:40001")),
            new(IPEndPoint.Parse("[fd00::50]:2049"), IPEndPoint.Parse("[fd00::10]:700")),
        ];
        var text = ConnectionList.Format(connections);
        Assert.Equal("192.0.2.50:445\t192.0.2.10:40001\n[fd00::50]:2049\t[fd00::10]:700\n", text);
        Assert.Equal(connections[..1], ConnectionList.Parse(text, IPAddress.Parse("192.0.2.50"), out _));
        Assert.Equal(connections[1..], ConnectionList.Parse(text, IPAddress.Parse("fd00::50"), out _));
    }

    [Fact]
    public void NftListingsYieldOnlyTheTaggedRulesOfTheChain()
    {
        const string listing = """
            table inet ctdb_portblock { # handle 7
            	chain input { # handle 1
            		type filter hook input priority filter; policy accept;
            		ip daddr 192.0.2.50 tcp dport { 139, 445 } drop comment "ctdb-portblock tcp 192.0.2.50 445,139" # handle 3
            		ip daddr 192.0.2.50 tcp dport 445 drop comment "ctdb-portblock tcp 192.0.2.50 445" # handle 4
            		ip daddr 192.0.2.50 tcp dport { 139, 445 } drop comment "ctdb-portblock tcp 192.0.2.50 445,139" # handle 9
            	}
            	chain output { # handle 2
            		type filter hook output priority filter; policy accept;
            		ip saddr 192.0.2.50 tcp sport { 139, 445 } drop comment "ctdb-portblock tcp 192.0.2.50 445,139" # handle 5
            	}
            }
            """;
        Assert.Equal([3L, 9L], NftFirewall.ParseHandles(listing, "input", "ctdb-portblock tcp 192.0.2.50 445,139"));
        Assert.Equal([5L], NftFirewall.ParseHandles(listing, "output", "ctdb-portblock tcp 192.0.2.50 445,139"));
        Assert.Equal([4L], NftFirewall.ParseHandles(listing, "input", "ctdb-portblock tcp 192.0.2.50 445"));
        Assert.Empty(NftFirewall.ParseHandles(listing, "output", "ctdb-portblock tcp 192.0.2.50 445"));
    }

    [Fact]
    public void RuleTagsAndExpressions()
    {
        Assert.True(PortList.TryParse("445,139", out var ports, out _));
        Assert.True(AddressMatch.TryParse("fd00::50", out var match));
        var rule = new BlockRule("tcp", ports, match, TrafficDirection.Out);
        Assert.Equal("ctdb-portblock tcp fd00::50 445,139", rule.Tag);
        Assert.Equal("ip6 saddr fd00::50 tcp sport { 445, 139 } drop comment \"ctdb-portblock tcp fd00::50 445,139\"", NftFirewall.Expression(rule));
        Assert.Equal(
            ["-p", "tcp", "-s", "fd00::50", "-m", "multiport", "--sports", "445,139", "-m", "comment", "--comment", "ctdb-portblock tcp fd00::50 445,139", "-j", "DROP"],
            IptablesFirewall.Specification(rule));

        Assert.True(PortList.TryParse(string.Join(',', Enumerable.Range(1000, 40)), out var many, out _));
        var longTag = new BlockRule("udp", many, match, TrafficDirection.In).Tag;
        Assert.True(longTag.Length <= 120, longTag);
        Assert.StartsWith("ctdb-portblock udp fd00::50 ports#", longTag);
    }
}
