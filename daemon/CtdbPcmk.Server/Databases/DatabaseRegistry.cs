// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text;
using CtdbPcmk.Protocol;
using CtdbPcmk.Tdb;

namespace CtdbPcmk.Server.Databases;

/// <summary>
/// The attached databases. Files are named and opened exactly as ctdbd does:
/// &lt;dir&gt;/&lt;name&gt;.&lt;pnn&gt;, volatile and replicated in the volatile directory (recreated
/// empty at attach), persistent in the persistent directory (kept).
/// </summary>
internal sealed class DatabaseRegistry : IDisposable
{
    private const int OpenFlags = 0x42; // O_RDWR | O_CREAT
    private const int Mode = 0x180;     // 0600

    private readonly Dictionary<uint, CtdbDatabase> _byId = new();
    private readonly Dictionary<string, CtdbDatabase> _byName = new(StringComparer.Ordinal);
    private readonly List<CtdbDatabase> _ordered = new();
    private readonly DaemonOptions _options;
    private readonly Func<int> _hashSize;
    private readonly Serilog.ILogger _log;

    public DatabaseRegistry(DaemonOptions options, Func<int> hashSize, Serilog.ILogger log)
    {
        _options = options;
        _hashSize = hashSize;
        _log = log;
        UseMutexes = options.TdbMutexes && TdbRuntime.RobustMutexesSupported;
    }

    public bool UseMutexes { get; }

    /// <summary>Databases in attach order (GET_DBMAP order).</summary>
    public IReadOnlyList<CtdbDatabase> All => _ordered;

    public bool TryGet(uint id, out CtdbDatabase db) => _byId.TryGetValue(id, out db!);

    public CtdbDatabase? Find(string name) => _byName.GetValueOrDefault(name);

    public static uint DbIdOf(string name)
    {
        int len = Encoding.UTF8.GetByteCount(name);
        Span<byte> buf = len < 256 ? stackalloc byte[len + 1] : new byte[len + 1];
        Encoding.UTF8.GetBytes(name, buf);
        buf[len] = 0;
        return JenkinsHash.Hash(buf);
    }

    public TdbFlags FlagsFor(DatabaseKind kind) => kind switch
    {
        DatabaseKind.Persistent => TdbFlags.DisallowNesting,
        DatabaseKind.Replicated => TdbFlags.NoSync | TdbFlags.ClearIfFirst | TdbFlags.IncompatibleHash | TdbFlags.DisallowNesting,
        _ => TdbFlags.NoSync | TdbFlags.ClearIfFirst | TdbFlags.IncompatibleHash | TdbFlags.DisallowNesting
             | (UseMutexes ? TdbFlags.MutexLocking : 0),
    };

    /// <summary>
    /// Attaches (or finds) a database. Throws <see cref="AttachException"/> when the name is
    /// invalid, collides with another database's id, or exists with another kind.
    /// </summary>
    public CtdbDatabase Attach(string name, DatabaseKind kind, out bool created)
    {
        created = false;
        if (name.Length == 0 || name.Contains('/') || name is "." or "..")
        {
            throw new AttachException($"invalid database name '{name}'");
        }
        if (_byName.TryGetValue(name, out var existing))
        {
            // A plain attach of an existing persistent/replicated database succeeds; asking for
            // persistent or replicated on a database of another kind fails, as in ctdbd.
            if (kind == DatabaseKind.Persistent && !existing.IsPersistent)
            {
                throw new AttachException($"database {name} exists and is not persistent");
            }
            if (kind == DatabaseKind.Replicated && !existing.IsReplicated)
            {
                throw new AttachException($"database {name} exists and is not replicated");
            }
            return existing;
        }
        uint id = DbIdOf(name);
        if (_byId.TryGetValue(id, out var clash))
        {
            throw new AttachException($"database id 0x{id:x8} of {name} collides with {clash.Name}");
        }
        string dir = kind == DatabaseKind.Persistent ? _options.PersistentDirectory : _options.VolatileDirectory;
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, $"{name}.{_options.Pnn}");
        if (kind != DatabaseKind.Persistent && File.Exists(path))
        {
            // Volatile contents never survive a daemon restart: the cluster rebuilds them.
            File.Delete(path);
        }
        var file = OpenChecked(path, kind);
        byte flags = kind switch
        {
            DatabaseKind.Persistent => DbFlags.Persistent,
            DatabaseKind.Replicated => DbFlags.Replicated,
            _ => 0,
        };
        var db = new CtdbDatabase(id, name, flags, path, file);
        _byId[id] = db;
        _byName[name] = db;
        // Newest first, as ctdbd lists them in GET_DBMAP.
        _ordered.Insert(0, db);
        created = true;
        _log.Information("Attached database {Name} (0x{Id:x8}) {Kind} at {Path}", name, id, kind, path);
        return db;
    }

    private TdbFile OpenChecked(string path, DatabaseKind kind)
    {
        var flags = FlagsFor(kind);
        var file = TdbFile.Open(path, _hashSize(), flags, OpenFlags, Mode);
        if (kind == DatabaseKind.Persistent && !file.Check())
        {
            file.Dispose();
            string backup = $"{path}.corrupt.{DateTime.UtcNow:yyyyMMddHHmmss}";
            File.Move(path, backup);
            _log.Error("Persistent database {Path} failed its check; moved to {Backup} and recreated", path, backup);
            file = TdbFile.Open(path, _hashSize(), flags, OpenFlags, Mode);
        }
        return file;
    }

    /// <summary>Attaches every persistent database file of this node found at start.</summary>
    public void AttachExistingPersistent()
    {
        if (!Directory.Exists(_options.PersistentDirectory))
        {
            return;
        }
        string suffix = $".tdb.{_options.Pnn}";
        foreach (var path in Directory.EnumerateFiles(_options.PersistentDirectory).Order(StringComparer.Ordinal))
        {
            string file = Path.GetFileName(path);
            if (!file.EndsWith(suffix, StringComparison.Ordinal))
            {
                continue;
            }
            string name = file[..^($".{_options.Pnn}".Length)];
            try
            {
                Attach(name, DatabaseKind.Persistent, out _);
            }
            catch (Exception e) when (e is AttachException or TdbException or IOException)
            {
                _log.Error("Could not attach persistent database {Path}: {Error}", path, e.Message);
            }
        }
    }

    public void Dispose()
    {
        foreach (var db in _ordered)
        {
            db.Dispose();
        }
        _ordered.Clear();
        _byId.Clear();
        _byName.Clear();
    }
}
