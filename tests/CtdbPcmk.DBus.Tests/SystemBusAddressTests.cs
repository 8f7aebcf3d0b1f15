// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.DBus.Tests;

public sealed class SystemBusAddressTests
{
    [Fact]
    public void Configured_environment_then_default()
    {
        var saved = Environment.GetEnvironmentVariable(SystemBusAddress.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(SystemBusAddress.EnvironmentVariable, "unix:path=/tmp/from-env");
            Assert.Equal("unix:path=/tmp/configured", SystemBusAddress.Resolve("unix:path=/tmp/configured"));
            Assert.Equal("unix:path=/tmp/from-env", SystemBusAddress.Resolve(null));
            Assert.Equal("unix:path=/tmp/from-env", SystemBusAddress.Resolve("  "));
            Environment.SetEnvironmentVariable(SystemBusAddress.EnvironmentVariable, "");
            Assert.Equal("unix:path=/run/dbus/system_bus_socket", SystemBusAddress.Resolve(""));
            Environment.SetEnvironmentVariable(SystemBusAddress.EnvironmentVariable, null);
            Assert.Equal("unix:path=/run/dbus/system_bus_socket", SystemBusAddress.Resolve(null));
        }
        finally
        {
            Environment.SetEnvironmentVariable(SystemBusAddress.EnvironmentVariable, saved);
        }
    }
}
