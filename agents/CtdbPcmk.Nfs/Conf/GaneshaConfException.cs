// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Nfs.Conf;

/// <summary>A ganesha.conf that cannot be read or does not do what the cluster needs; names the file and line.</summary>
public sealed class GaneshaConfException : Exception
{
    public GaneshaConfException(string file, int line, string message)
        : base(line > 0 ? $"{file}:{line}: {message}" : $"{file}: {message}")
    {
        File = file;
        Line = line;
    }

    public GaneshaConfException()
    {
        File = "";
    }

    public GaneshaConfException(string message)
        : base(message)
    {
        File = "";
    }

    public GaneshaConfException(string message, Exception inner)
        : base(message, inner)
    {
        File = "";
    }

    /// <summary>The file the error is in.</summary>
    public string File { get; }

    /// <summary>Its line (1-based), or 0 for the file as a whole.</summary>
    public int Line { get; }
}
