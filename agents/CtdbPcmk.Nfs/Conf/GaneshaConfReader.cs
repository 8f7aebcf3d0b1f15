// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text;

namespace CtdbPcmk.Nfs.Conf;

/// <summary>
/// Reads ganesha.conf into blocks: "NAME { key = value; NESTED { ... } }", '#' comments,
/// quoted strings, lists ("Protocols = 3, 4;") and "%include" of further files, which are read
/// in place. Only reads: the agent never writes the administrator's configuration. Every error
/// names the file and line.
/// </summary>
public static class GaneshaConfReader
{
    private const int MaxIncludeDepth = 8;

    /// <summary>Reads <paramref name="path"/> and what it includes.</summary>
    public static GaneshaBlock Read(string path)
    {
        var root = new GaneshaBlock("", path, 0);
        ReadInto(root, path, 0);
        return root;
    }

    /// <summary>Parses <paramref name="text"/> as if read from <paramref name="file"/> (includes are read from disk).</summary>
    public static GaneshaBlock Parse(string text, string file)
    {
        var root = new GaneshaBlock("", file, 0);
        ParseInto(root, text, file, 0);
        return root;
    }

    private static void ReadInto(GaneshaBlock root, string path, int depth)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GaneshaConfException(path, 0, $"cannot be read: {e.Message}");
        }
        ParseInto(root, text, path, depth);
    }

    private static void ParseInto(GaneshaBlock root, string text, string file, int depth)
    {
        var tokens = Tokenize(text, file);
        var position = 0;
        var open = new Stack<GaneshaBlock>();
        var current = root;
        while (position < tokens.Count)
        {
            var token = tokens[position];
            if (token.Kind == TokenKind.Directive)
            {
                position = Include(current, tokens, position, file, depth);
                continue;
            }
            if (token.Kind == TokenKind.Symbol && token.Text == "}")
            {
                if (open.Count == 0)
                {
                    throw new GaneshaConfException(file, token.Line, "'}' without a block to close");
                }
                current = open.Pop();
                position++;
                SkipSemicolon(tokens, ref position);
                continue;
            }
            if (token.Kind != TokenKind.Word)
            {
                throw new GaneshaConfException(file, token.Line, $"expected a block or key name, found '{token.Text}'");
            }
            var next = position + 1 < tokens.Count ? tokens[position + 1] : null;
            if (next is { Kind: TokenKind.Symbol, Text: "{" })
            {
                var block = new GaneshaBlock(token.Text, file, token.Line);
                current.Add(block);
                open.Push(current);
                current = block;
                position += 2;
                continue;
            }
            if (next is not { Kind: TokenKind.Symbol, Text: "=" })
            {
                throw new GaneshaConfException(file, token.Line, $"'{token.Text}' must be followed by '=' or '{{'");
            }
            if (current == root)
            {
                throw new GaneshaConfException(file, token.Line, $"'{token.Text}' is set outside any block");
            }
            position += 2;
            var value = new StringBuilder();
            while (true)
            {
                if (position >= tokens.Count)
                {
                    throw new GaneshaConfException(file, token.Line, $"value of '{token.Text}' is not ended by ';'");
                }
                var part = tokens[position];
                if (part is { Kind: TokenKind.Symbol, Text: ";" })
                {
                    position++;
                    break;
                }
                if (part is { Kind: TokenKind.Symbol, Text: "}" })
                {
                    // The last value of a block may omit its ';'.
                    break;
                }
                if (part is { Kind: TokenKind.Symbol, Text: "," })
                {
                    value.Append(", ");
                }
                else if (part.Kind is TokenKind.Word or TokenKind.Quoted)
                {
                    if (value.Length > 0 && value[^1] != ' ')
                    {
                        throw new GaneshaConfException(file, part.Line, $"value of '{token.Text}' has '{part.Text}' where ';' or ',' was expected");
                    }
                    value.Append(part.Text);
                }
                else
                {
                    throw new GaneshaConfException(file, part.Line, $"unexpected '{part.Text}' in the value of '{token.Text}'");
                }
                position++;
            }
            if (value.Length == 0)
            {
                throw new GaneshaConfException(file, token.Line, $"'{token.Text}' has no value");
            }
            current.Set(token.Text, new GaneshaValue(value.ToString(), file, token.Line));
        }
        if (open.Count > 0)
        {
            throw new GaneshaConfException(file, current.Line, $"block '{current.Name}' is not closed");
        }
    }

    private static int Include(GaneshaBlock current, List<Token> tokens, int position, string file, int depth)
    {
        var directive = tokens[position];
        if (!string.Equals(directive.Text, "%include", StringComparison.OrdinalIgnoreCase))
        {
            throw new GaneshaConfException(file, directive.Line, $"'{directive.Text}' cannot be read by the agent (only %include of files is)");
        }
        if (position + 1 >= tokens.Count || tokens[position + 1].Kind is not (TokenKind.Word or TokenKind.Quoted))
        {
            throw new GaneshaConfException(file, directive.Line, "%include without a file name");
        }
        if (depth >= MaxIncludeDepth)
        {
            throw new GaneshaConfException(file, directive.Line, $"includes nested deeper than {MaxIncludeDepth}");
        }
        var name = tokens[position + 1].Text;
        var path = Path.IsPathRooted(name) ? name : Path.Combine(Path.GetDirectoryName(file) ?? "/", name);
        if (!File.Exists(path))
        {
            throw new GaneshaConfException(file, directive.Line, $"included file {path} does not exist");
        }
        // Included text is read as if it stood here, in the enclosing block.
        var included = new GaneshaBlock(current.Name, path, 0);
        ReadInto(included, path, depth + 1);
        foreach (var block in included.Blocks)
        {
            current.Add(block);
        }
        return position + 2;
    }

    private static void SkipSemicolon(List<Token> tokens, ref int position)
    {
        if (position < tokens.Count && tokens[position] is { Kind: TokenKind.Symbol, Text: ";" })
        {
            position++;
        }
    }

    private enum TokenKind
    {
        Word,
        Quoted,
        Symbol,
        Directive,
    }

    private sealed record Token(TokenKind Kind, string Text, int Line);

    private static List<Token> Tokenize(string text, string file)
    {
        var tokens = new List<Token>();
        var line = 1;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                i++;
            }
            else if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '#')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (c is '{' or '}' or '=' or ';' or ',')
            {
                tokens.Add(new Token(TokenKind.Symbol, c.ToString(), line));
                i++;
            }
            else if (c is '"' or '\'')
            {
                var start = line;
                var end = i + 1;
                var value = new StringBuilder();
                while (end < text.Length && text[end] != c)
                {
                    if (text[end] == '\n')
                    {
                        line++;
                    }
                    if (text[end] == '\\' && end + 1 < text.Length)
                    {
                        end++;
                    }
                    value.Append(text[end]);
                    end++;
                }
                if (end >= text.Length)
                {
                    throw new GaneshaConfException(file, start, "quoted string is not closed");
                }
                tokens.Add(new Token(TokenKind.Quoted, value.ToString(), start));
                i = end + 1;
            }
            else
            {
                var end = i;
                while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] is not ('{' or '}' or '=' or ';' or ',' or '#' or '"' or '\''))
                {
                    end++;
                }
                var word = text[i..end];
                tokens.Add(new Token(word.StartsWith('%') ? TokenKind.Directive : TokenKind.Word, word, line));
                i = end;
            }
        }
        return tokens;
    }
}
