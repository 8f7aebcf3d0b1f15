// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Linux.Netlink;

/// <summary>
/// rtnetlink numbers used here, from linux/netlink.h, linux/rtnetlink.h, linux/if_addr.h,
/// linux/if_link.h and linux/if.h.
/// </summary>
public static class Rtnl
{
    /// <summary>NETLINK_ROUTE.</summary>
    public const int NetlinkRoute = 0;

    // message types
    public const ushort NlmsgError = 2;
    public const ushort NlmsgDone = 3;
    public const ushort RtmNewLink = 16;
    public const ushort RtmGetLink = 18;
    public const ushort RtmNewAddr = 20;
    public const ushort RtmDelAddr = 21;
    public const ushort RtmGetAddr = 22;
    public const ushort RtmNewRoute = 24;
    public const ushort RtmDelRoute = 25;
    public const ushort RtmGetRoute = 26;

    // nlmsghdr flags
    public const ushort FRequest = 0x1;
    public const ushort FMulti = 0x2;
    public const ushort FAck = 0x4;
    public const ushort FDump = 0x300;
    public const ushort FReplace = 0x100;
    public const ushort FExcl = 0x200;
    public const ushort FCreate = 0x400;

    // ifaddrmsg attributes and flags
    public const ushort IfaAddress = 1;
    public const ushort IfaLocal = 2;
    public const ushort IfaLabel = 3;
    public const ushort IfaBroadcast = 4;
    public const ushort IfaCacheinfo = 6;
    public const ushort IfaFlags = 8;
    public const uint IfaFNoDad = 0x02;
    public const uint IfaFDadFailed = 0x08;
    public const uint IfaFDeprecated = 0x20;
    public const uint IfaFTentative = 0x40;
    public const uint IfaFPermanent = 0x80;
    public const uint IfaFNoPrefixRoute = 0x200;

    // ifinfomsg attributes and interface flags
    public const ushort IflaAddress = 1;
    public const ushort IflaIfname = 3;
    public const ushort IflaOperstate = 16;
    public const ushort IflaPropList = 52;
    public const ushort IflaAltIfname = 53;
    public const uint IffUp = 0x1;
    public const uint IffLoopback = 0x8;
    public const uint IffNoArp = 0x80;
    public const uint IffLowerUp = 0x10000;
    public const ushort ArphrdEther = 1;

    // rtmsg attributes and values
    public const ushort RtaDst = 1;
    public const ushort RtaOif = 4;
    public const ushort RtaPriority = 6;
    public const ushort RtaPrefsrc = 7;
    public const ushort RtaTable = 15;
    public const byte RtTableMain = 254;
    public const byte RtTableLocal = 255;
    public const byte RtnUnicast = 1;
    public const byte RtnLocal = 2;
    public const byte RtProtKernel = 2;
    public const byte RtScopeLink = 253;
    public const byte RtScopeHost = 254;
    public const byte RtScopeNowhere = 255;
}
