// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;

namespace CtdbPcmk.Faults;

/// <summary>Timestamped lines of what a run did, echoed to stdout and kept for the evidence.</summary>
internal sealed class Journal
{
    private readonly List<string> _lines = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Add(string line)
    {
        string stamped = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss.fff} +{_clock.Elapsed.TotalSeconds,7:F1}s {line}");
        lock (_lock)
        {
            _lines.Add(stamped);
        }
        Console.WriteLine(stamped);
    }

    public void Save(string path)
    {
        lock (_lock)
        {
            File.WriteAllLines(path, _lines);
        }
    }
}
