// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using CtdbPcmk.Linux.Netlink;

namespace CtdbPcmk.Linux.Tests;

/// <summary>
/// Proves <see cref="Layouts"/> and the library's constants against the installed kernel UAPI and
/// glibc headers: a generated C file static_asserts every size, offset and constant, and gcc
/// compiles it (gcc, libc6-dev, which brings the kernel headers, libcpg-dev and libquorum-dev come from
/// packaging/install-deps.sh).
/// </summary>
public sealed class CHeaderTests : IDisposable
{
    private const string Includes = """
        #define _GNU_SOURCE
        #include <stddef.h>
        #include <errno.h>
        #include <fcntl.h>
        #include <sys/epoll.h>
        #include <sys/eventfd.h>
        #include <sys/mman.h>
        #include <sys/resource.h>
        #include <sys/socket.h>
        #include <sys/statvfs.h>
        #include <sys/time.h>
        #include <sys/un.h>
        #include <netinet/in.h>
        #include <netinet/tcp.h>
        #include <linux/if_packet.h>
        #include <linux/netlink.h>
        #include <linux/rtnetlink.h>
        #include <linux/if_addr.h>
        #include <linux/if_link.h>
        #include <linux/if.h>
        #include <linux/if_arp.h>
        #include <linux/sock_diag.h>
        #include <linux/inet_diag.h>
        #include <corosync/cpg.h>
        #include <corosync/quorum.h>

        """;

    // The public rtnetlink numbers, by their C names.
    private static readonly (string C, long Value)[] s_rtnl =
    [
        ("NETLINK_ROUTE", Rtnl.NetlinkRoute), ("NLMSG_ERROR", Rtnl.NlmsgError), ("NLMSG_DONE", Rtnl.NlmsgDone),
        ("RTM_NEWLINK", Rtnl.RtmNewLink), ("RTM_GETLINK", Rtnl.RtmGetLink), ("RTM_NEWADDR", Rtnl.RtmNewAddr),
        ("RTM_DELADDR", Rtnl.RtmDelAddr), ("RTM_GETADDR", Rtnl.RtmGetAddr), ("RTM_NEWROUTE", Rtnl.RtmNewRoute),
        ("RTM_GETROUTE", Rtnl.RtmGetRoute), ("NLM_F_REQUEST", Rtnl.FRequest), ("NLM_F_MULTI", Rtnl.FMulti),
        ("NLM_F_ACK", Rtnl.FAck), ("NLM_F_DUMP", Rtnl.FDump), ("NLM_F_REPLACE", Rtnl.FReplace),
        ("NLM_F_EXCL", Rtnl.FExcl), ("NLM_F_CREATE", Rtnl.FCreate), ("IFA_ADDRESS", Rtnl.IfaAddress),
        ("IFA_LOCAL", Rtnl.IfaLocal), ("IFA_LABEL", Rtnl.IfaLabel), ("IFA_BROADCAST", Rtnl.IfaBroadcast),
        ("IFA_CACHEINFO", Rtnl.IfaCacheinfo), ("IFA_FLAGS", Rtnl.IfaFlags), ("IFA_F_NODAD", Rtnl.IfaFNoDad),
        ("IFA_F_DADFAILED", Rtnl.IfaFDadFailed), ("IFA_F_DEPRECATED", Rtnl.IfaFDeprecated),
        ("IFA_F_TENTATIVE", Rtnl.IfaFTentative), ("IFA_F_PERMANENT", Rtnl.IfaFPermanent),
        ("IFA_F_NOPREFIXROUTE", Rtnl.IfaFNoPrefixRoute), ("IFLA_ADDRESS", Rtnl.IflaAddress),
        ("IFLA_IFNAME", Rtnl.IflaIfname), ("IFLA_OPERSTATE", Rtnl.IflaOperstate), ("IFLA_PROP_LIST", Rtnl.IflaPropList),
        ("IFLA_ALT_IFNAME", Rtnl.IflaAltIfname), ("IFF_UP", Rtnl.IffUp), ("IFF_LOOPBACK", Rtnl.IffLoopback),
        ("IFF_NOARP", Rtnl.IffNoArp), ("IFF_LOWER_UP", Rtnl.IffLowerUp), ("ARPHRD_ETHER", Rtnl.ArphrdEther),
        ("RTA_DST", Rtnl.RtaDst), ("RTA_OIF", Rtnl.RtaOif), ("RTA_PRIORITY", Rtnl.RtaPriority),
        ("RTA_TABLE", Rtnl.RtaTable), ("RT_TABLE_MAIN", Rtnl.RtTableMain), ("RTN_UNICAST", Rtnl.RtnUnicast),
        ("RT_SCOPE_LINK", Rtnl.RtScopeLink),
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("ctdbpcmk-linux-layout-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void LayoutsAndConstantsMatchTheHeaders()
    {
        var c = new StringBuilder(Includes);
        var count = 0;
        void Assert(string expression, long value)
        {
            c.AppendLine(string.Create(CultureInfo.InvariantCulture, $"_Static_assert({expression} == {value}, \"{expression} != {value}\");"));
            count++;
        }

        foreach (var layout in Layouts.All)
        {
            Assert($"sizeof({layout.CType})", layout.Size);
            foreach (var field in layout.Fields)
            {
                Assert($"offsetof({layout.CType}, {field.C})", field.Offset);
            }
        }

        // Interop's constants carry their C names.
        var interop = typeof(SafeFdHandle).Assembly.GetType("CtdbPcmk.Linux.Interop", throwOnError: true)!;
        foreach (var type in interop.GetNestedTypes(BindingFlags.NonPublic | BindingFlags.Public))
        {
            foreach (var constant in type.GetFields(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
                         .Where(f => f.IsLiteral && f.FieldType != typeof(string)))
            {
                // Compared in the managed type: NLA_TYPE_MASK, for one, is an int ~0xC000 in C.
                var expression = constant.FieldType == typeof(ushort) ? $"(unsigned short)({constant.Name})"
                    : constant.FieldType == typeof(short) ? $"(short)({constant.Name})"
                    : constant.FieldType == typeof(byte) ? $"(unsigned char)({constant.Name})"
                    : constant.Name;
                Assert(expression, Convert.ToInt64(constant.GetRawConstantValue(), CultureInfo.InvariantCulture));
            }
        }
        foreach (var (name, value) in s_rtnl)
        {
            Assert(name, value);
        }
        foreach (var errno in Enum.GetValues<Errno>().Where(e => e != Errno.None))
        {
            Assert(errno.ToString(), (int)errno);
        }

        var source = Path.Combine(_dir, "layout.c");
        File.WriteAllText(source, c.ToString());
        var (exit, output) = Run("gcc", "-std=c11", "-Wall", "-Werror", "-fsyntax-only", source);
        Xunit.Assert.True(exit == 0, output);
        Xunit.Assert.True(count > 200, $"only {count} assertions generated");
    }

    [Fact]
    public void TheGeneratedCheckCanFail()
    {
        // Guards against a compiler invocation that would accept anything.
        var source = Path.Combine(_dir, "wrong.c");
        File.WriteAllText(source, Includes + "_Static_assert(sizeof(struct nlmsghdr) == 12, \"wrong\");\n");
        var (exit, output) = Run("gcc", "-std=c11", "-fsyntax-only", source);
        Assert.NotEqual(0, exit);
        Assert.Contains("wrong", output, StringComparison.Ordinal);
    }

    private static (int Exit, string Output) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        using var process = Process.Start(psi) ?? throw new InvalidOperationException(file + " did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            throw new TimeoutException(file);
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
