// SPDX-License-Identifier: GPL-3.0-or-later
using Tmds.DBus.Protocol;

namespace CtdbPcmk.DBus;

/// <summary>
/// The JobRemoved signals seen while a start or stop waits for its job. Kept by job path, since a
/// job can end (and its signal arrive) before the reply that names the job has been read.
/// </summary>
internal sealed class JobWatch : IDisposable
{
    private readonly Dictionary<string, string> _results = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _changed = new(0);
    private Exception? _failure;

    /// <summary>The signal handler: records a removed job, or the failure that ended the watch.</summary>
    public void Removed(Notification<(string Job, string Result)> notification)
    {
        lock (_results)
        {
            if (notification.HasValue)
            {
                _results[notification.Value.Job] = notification.Value.Result;
            }
            else if (notification.IsCompletion)
            {
                _failure ??= notification.CompletionReason ?? new DBusException("the watch of JobRemoved ended");
            }
        }
        _changed.Release();
    }

    /// <summary>The job's result, or null when it has not ended within <paramref name="timeout"/>.</summary>
    public string? WaitFor(string job, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            lock (_results)
            {
                if (_results.TryGetValue(job, out var result))
                {
                    return result;
                }
                if (_failure is not null)
                {
                    throw new DBusException($"watching job {job}: {_failure.Message}", null, _failure);
                }
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !_changed.Wait(left))
            {
                return null;
            }
        }
    }

    public void Dispose() => _changed.Dispose();
}
