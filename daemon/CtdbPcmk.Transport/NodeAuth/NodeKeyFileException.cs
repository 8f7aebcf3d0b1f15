// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Transport.NodeAuth;

/// <summary>A node key file that cannot be used, located by file and (when it is one line's fault) line.</summary>
internal sealed class NodeKeyFileException : Exception
{
    public NodeKeyFileException(string file, int line, string text)
        : base(line > 0 ? $"{file}:{line}: {text}" : $"{file}: {text}")
    {
        File = file;
        Line = line;
        Text = text;
    }

    public NodeKeyFileException()
    {
        File = Text = "";
    }

    public NodeKeyFileException(string message) : base(message)
    {
        File = Text = "";
    }

    public NodeKeyFileException(string message, Exception inner) : base(message, inner)
    {
        File = Text = "";
    }

    public string File { get; }

    /// <summary>1-based; 0 for the whole file.</summary>
    public int Line { get; }

    /// <summary>The description without the location.</summary>
    public string Text { get; }
}
