// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Tests;

/// <summary>
/// The libcpg structures as corosync 3 lays them out on x86_64 (corosync/cpg.h): a wrong size
/// would make the daemon read the wrong members from a configuration change.
/// </summary>
public sealed unsafe class CpgLayoutTests
{
    [Fact]
    public void CpgNameIsALengthThen128Bytes()
    {
        Assert.Equal(132, sizeof(Interop.Cpg.CpgName));
        var name = default(Interop.Cpg.CpgName);
        Assert.Equal(4, (int)((byte*)name.Value - (byte*)&name));
    }

    [Fact]
    public void CpgAddressIsNodeIdPidReason()
    {
        Assert.Equal(12, sizeof(Interop.Cpg.CpgAddress));
        var address = default(Interop.Cpg.CpgAddress);
        Assert.Equal(0, (int)((byte*)&address.NodeId - (byte*)&address));
        Assert.Equal(4, (int)((byte*)&address.Pid - (byte*)&address));
        Assert.Equal(8, (int)((byte*)&address.Reason - (byte*)&address));
    }

    [Fact]
    public void CallbacksAreTwoFunctionPointers()
    {
        Assert.Equal(16, sizeof(Interop.Cpg.Callbacks));
    }
}
