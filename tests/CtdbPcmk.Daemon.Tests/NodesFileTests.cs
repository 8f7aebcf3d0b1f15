// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Daemon.Config;

namespace CtdbPcmk.Daemon.Tests;

public sealed class NodesFileTests
{
    [Fact]
    public void Deleted_nodes_keep_later_pnns_and_blank_lines_do_not_count()
    {
        const string text = "  10.0.0.1\t\n\n#10.0.0.2\n\t10.0.0.3\r\n#\nfd00::4\n\n";
        var nodes = NodesFile.Parse("nodes", text);
        Assert.Equal(
            [IPAddress.Parse("10.0.0.1"), null, IPAddress.Parse("10.0.0.3"), null, IPAddress.Parse("fd00::4")],
            nodes);
    }

    [Theory]
    [InlineData("10.0.0.1\n10.0.0.x\n", "nodes:2: invalid node address '10.0.0.x'")]
    [InlineData("10.0.0.1\n\n10.0.0.1 4379\n", "nodes:3: invalid node address '10.0.0.1 4379'")]
    [InlineData("10.1\n", "nodes:1: invalid node address '10.1'")]
    [InlineData("node1.example\n", "nodes:1: invalid node address 'node1.example'")]
    [InlineData("10.0.0.1\n#x\n10.0.0.1\n", "nodes:3: duplicate node address 10.0.0.1 (already PNN 0)")]
    [InlineData("\n#10.0.0.1\n\n", "nodes: no node addresses")]
    [InlineData("", "nodes: no node addresses")]
    public void Bad_files_name_file_and_line(string text, string expectedPrefix)
    {
        var e = Assert.Throws<ConfigError>(() => NodesFile.Parse("nodes", text));
        Assert.StartsWith(expectedPrefix, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pnn_is_the_index_of_the_node_address()
    {
        var nodes = NodesFile.Parse("nodes", "192.0.2.1\n#192.0.2.2\n192.0.2.3\n");
        Assert.Equal(2u, NodesFile.FindPnn("nodes", nodes, IPAddress.Parse("192.0.2.3")));
        var e = Assert.Throws<ConfigError>(() => NodesFile.FindPnn("nodes", nodes, IPAddress.Parse("192.0.2.9")));
        Assert.Equal("nodes: node address 192.0.2.9 is not in the nodes file", e.Message);
    }

    [Fact]
    public void Without_a_node_address_the_first_bindable_address_wins()
    {
        // 198.51.100.0/24 and 203.0.113.0/24 are documentation ranges no host here uses; 127.0.0.1 is always local.
        var nodes = NodesFile.Parse("nodes", "198.51.100.1\n#x\n127.0.0.1\n::1\n");
        Assert.Equal(2u, NodesFile.FindPnn("nodes", nodes, null));
        var none = NodesFile.Parse("nodes", "198.51.100.1\n203.0.113.1\n");
        var e = Assert.Throws<ConfigError>(() => NodesFile.FindPnn("nodes", none, null));
        Assert.StartsWith("nodes: none of the node addresses is an address of this host", e.Message, StringComparison.Ordinal);
    }
}
