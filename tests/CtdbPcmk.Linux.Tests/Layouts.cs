// SPDX-License-Identifier: GPL-3.0-or-later
using static CtdbPcmk.Linux.Interop.Libc;
using static CtdbPcmk.Linux.Interop.Netlink;

namespace CtdbPcmk.Linux.Tests;

/// <summary>
/// Every struct the library hands to the kernel or reads from it, with its x86_64 size and
/// offsets (from the kernel's UAPI headers, glibc and corosync's cpg.h). <see cref="LayoutTests"/> checks the
/// managed mirrors against these numbers and <see cref="CHeaderTests"/> checks the numbers
/// against the installed headers.
/// </summary>
internal static class Layouts
{
    public static readonly CStruct[] All =
    [
        // libc
        new(typeof(epoll_event), "struct epoll_event", 12,
            new CField("events", 0), new CField("data", 4)),
        new(typeof(UCred), "struct ucred", 12,
            new CField("pid", 0), new CField("uid", 4), new CField("gid", 8)),
        new(typeof(Flock), "struct flock", 32,
            new CField("l_type", 0), new CField("l_whence", 2), new CField("l_start", 8),
            new CField("l_len", 16), new CField("l_pid", 24)),
        new(typeof(StatVfs), "struct statvfs", 112,
            new CField("f_bsize", 0), new CField("f_frsize", 8), new CField("f_blocks", 16),
            new CField("f_bfree", 24), new CField("f_bavail", 32), new CField("f_files", 40),
            new CField("f_ffree", 48), new CField("f_favail", 56), new CField("f_fsid", 64),
            new CField("f_flag", 72), new CField("f_namemax", 80)),
        new(typeof(Timeval), "struct timeval", 16,
            new CField("tv_sec", 0), new CField("tv_usec", 8)),
        new(typeof(SockAddrIn), "struct sockaddr_in", 16,
            new CField("sin_family", 0), new CField("sin_port", 2), new CField("sin_addr", 4)),
        new(typeof(SockAddrIn6), "struct sockaddr_in6", 28,
            new CField("sin6_family", 0), new CField("sin6_port", 2), new CField("sin6_flowinfo", 4),
            new CField("sin6_addr", 8), new CField("sin6_scope_id", 24)),
        new(typeof(SockAddrLl), "struct sockaddr_ll", 20,
            new CField("sll_family", 0), new CField("sll_protocol", 2), new CField("sll_ifindex", 4),
            new CField("sll_hatype", 8), new CField("sll_pkttype", 10), new CField("sll_halen", 11),
            new CField("sll_addr", 12)),
        new(typeof(SockAddrUn), "struct sockaddr_un", 110,
            new CField("sun_family", 0), new CField("sun_path", 2)),

        // netlink
        new(typeof(NlMsgHdr), "struct nlmsghdr", 16,
            new CField("nlmsg_len", 0), new CField("nlmsg_type", 4), new CField("nlmsg_flags", 6),
            new CField("nlmsg_seq", 8), new CField("nlmsg_pid", 12)),
        new(typeof(NlMsgErr), "struct nlmsgerr", 20,
            new CField("error", 0), new CField("msg", 4)),
        new(typeof(RtAttr), "struct rtattr", 4,
            new CField("rta_len", 0), new CField("rta_type", 2)),
        new(typeof(IfInfoMsg), "struct ifinfomsg", 16,
            new CField("ifi_family", 0), new CField("ifi_type", 2), new CField("ifi_index", 4),
            new CField("ifi_flags", 8), new CField("ifi_change", 12)),
        new(typeof(IfAddrMsg), "struct ifaddrmsg", 8,
            new CField("ifa_family", 0), new CField("ifa_prefixlen", 1), new CField("ifa_flags", 2),
            new CField("ifa_scope", 3), new CField("ifa_index", 4)),
        new(typeof(IfaCacheInfo), "struct ifa_cacheinfo", 16,
            new CField("ifa_prefered", 0), new CField("ifa_valid", 4), new CField("cstamp", 8),
            new CField("tstamp", 12)),
        new(typeof(RtMsg), "struct rtmsg", 12,
            new CField("rtm_family", 0), new CField("rtm_dst_len", 1), new CField("rtm_src_len", 2),
            new CField("rtm_tos", 3), new CField("rtm_table", 4), new CField("rtm_protocol", 5),
            new CField("rtm_scope", 6), new CField("rtm_type", 7), new CField("rtm_flags", 8)),

        // sock_diag
        new(typeof(InetDiagSockId), "struct inet_diag_sockid", 48,
            new CField("idiag_sport", 0), new CField("idiag_dport", 2), new CField("idiag_src", 4),
            new CField("idiag_dst", 20), new CField("idiag_if", 36), new CField("idiag_cookie", 40)),
        new(typeof(InetDiagReqV2), "struct inet_diag_req_v2", 56,
            new CField("sdiag_family", 0), new CField("sdiag_protocol", 1), new CField("idiag_ext", 2),
            new CField("idiag_states", 4), new CField("id", 8)),
        new(typeof(InetDiagMsg), "struct inet_diag_msg", 72,
            new CField("idiag_family", 0), new CField("idiag_state", 1), new CField("idiag_timer", 2),
            new CField("idiag_retrans", 3), new CField("id", 4), new CField("idiag_expires", 52),
            new CField("idiag_rqueue", 56), new CField("idiag_wqueue", 60), new CField("idiag_uid", 64),
            new CField("idiag_inode", 68)),

        // corosync's libcpg
        new(typeof(Interop.Cpg.CpgName), "struct cpg_name", 132,
            new CField("Length", "length", 0), new CField("Value", "value", 4)),
        new(typeof(Interop.Cpg.CpgAddress), "struct cpg_address", 12,
            new CField("NodeId", "nodeid", 0), new CField("Pid", "pid", 4), new CField("Reason", "reason", 8)),
        new(typeof(Interop.Cpg.Callbacks), "cpg_callbacks_t", 16,
            new CField("Deliver", "cpg_deliver_fn", 0), new CField("ConfigurationChange", "cpg_confchg_fn", 8)),
        new(typeof(Interop.Cpg.IoVec), "struct iovec", 16,
            new CField("Base", "iov_base", 0), new CField("Length", "iov_len", 8)),

        // corosync's libquorum
        new(typeof(Interop.Quorum.Callbacks), "quorum_callbacks_t", 8,
            new CField("Notify", "quorum_notify_fn", 0)),
    ];
}
