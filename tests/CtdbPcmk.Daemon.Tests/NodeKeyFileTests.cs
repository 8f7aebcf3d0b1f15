// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Transport.NodeAuth;

namespace CtdbPcmk.Daemon.Tests;

/// <summary>The node key file: format, limits and permissions, every error naming the file (and line).</summary>
public sealed class NodeKeyFileTests : IDisposable
{
    private static readonly string s_key32 = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
    private static readonly string s_other = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private readonly string _dir = Directory.CreateTempSubdirectory("cpk-key-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string text, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var path = Path.Combine(_dir, "node.key");
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    [Fact]
    public void One_or_two_keys_with_optional_labels_comments_and_blank_lines()
    {
        var one = NodeKeyFile.Load(Write($"{s_key32}\n"));
        Assert.Single(one.Keys);
        Assert.Equal("key 1", one.Primary.Label);
        Assert.Equal(32, one.Primary.Secret.Length);

        var two = NodeKeyFile.Parse("f", $"# rolled 2026-12\n\nnew {s_other}\n  old {s_key32}  \n");
        Assert.Equal(["new", "old"], two.Keys.Select(k => k.Label));
        Assert.Same(two.Keys[0], two.Primary);
        Assert.Same(two.Keys[1], two.Find(one.Primary.Id));
        Assert.Null(one.Find(two.Primary.Id));
        // The id depends on the secret only.
        Assert.Equal(one.Primary.Id, NodeKeyFile.Parse("f", $"other-label {s_key32}").Primary.Id);
    }

    [Theory]
    [InlineData("", 0, "holds no key")]
    [InlineData("# nothing\n", 0, "holds no key")]
    [InlineData("not*base64\n", 1, "not valid base64")]
    [InlineData("\nAAAAAAAAAAAAAAAAAAAA\n", 2, "too short: 15 bytes")]
    [InlineData("a b c\n", 1, "expected a key")]
    [InlineData("bad/label KEY\n", 1, "invalid key label")]
    public void Malformed_files_name_the_line(string text, int line, string message)
    {
        text = text.Replace("KEY", s_key32, StringComparison.Ordinal);
        var e = Assert.Throws<NodeKeyFileException>(() => NodeKeyFile.Parse("/etc/ctdb/node.key", text));
        Assert.Equal(line, e.Line);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.StartsWith(line > 0 ? $"/etc/ctdb/node.key:{line}: " : "/etc/ctdb/node.key: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Three_keys_or_a_repeated_key_are_refused()
    {
        var three = string.Join('\n', s_key32, s_other, Convert.ToBase64String(new byte[32]));
        Assert.Equal(3, Assert.Throws<NodeKeyFileException>(() => NodeKeyFile.Parse("f", three)).Line);
        Assert.Contains("twice", Assert.Throws<NodeKeyFileException>(() => NodeKeyFile.Parse("f", $"a {s_key32}\nb {s_key32}")).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_group_or_others_may_read_is_refused_and_so_is_a_missing_one()
    {
        var path = Write(s_key32, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var e = Assert.Throws<NodeKeyFileException>(() => NodeKeyFile.Load(path));
        Assert.Equal($"{path}: node key file is accessible to group or others (mode 0640); it must be 0600 or 0400", e.Message);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.OtherRead);
        Assert.Throws<NodeKeyFileException>(() => NodeKeyFile.Load(path));
        File.SetUnixFileMode(path, UnixFileMode.UserRead);
        Assert.Single(NodeKeyFile.Load(path).Keys);

        var missing = Path.Combine(_dir, "none");
        Assert.Equal($"{missing}: node key file does not exist", Assert.Throws<NodeKeyFileException>(() => NodeKeyFile.Load(missing)).Message);
        Assert.StartsWith($"{_dir}: cannot read node key file", Assert.Throws<NodeKeyFileException>(() => NodeKeyFile.Load(_dir)).Message,
            StringComparison.Ordinal);
    }
}
