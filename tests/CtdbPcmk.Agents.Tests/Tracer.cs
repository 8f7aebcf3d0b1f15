// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;

namespace CtdbPcmk.Agents.Tests;

/// <summary>
/// Holds a process in a ptrace stop (PTRACE_SEIZE + PTRACE_INTERRUPT from a small Python
/// tracer that then only sleeps): signals other than SIGKILL stay pending until the tracer lets
/// go, which it never does. Dispose kills the tracer by its PID, which releases the process.
/// </summary>
internal sealed class Tracer : IDisposable
{
    private const string Script = """
        import ctypes, sys, time
        libc = ctypes.CDLL(None, use_errno=True)
        libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p]
        pid = int(sys.argv[1])
        for request in (0x4206, 0x4207):   # PTRACE_SEIZE, PTRACE_INTERRUPT
            if libc.ptrace(request, pid, None, None) != 0:
                sys.exit("ptrace %#x: errno %d" % (request, ctypes.get_errno()))
        print("held", flush=True)
        time.sleep(600)
        """;

    private readonly Process _process;

    private Tracer(Process process)
    {
        _process = process;
    }

    public static Tracer Hold(int pid)
    {
        var psi = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Script);
        psi.ArgumentList.Add(pid.ToString(CultureInfo.InvariantCulture));
        var tracer = new Tracer(Process.Start(psi)!);
        var line = tracer._process.StandardOutput.ReadLine();
        if (line != "held")
        {
            var error = tracer._process.StandardError.ReadToEnd();
            tracer.Dispose();
            throw new InvalidOperationException($"cannot hold pid {pid}: {error}");
        }
        return tracer;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
