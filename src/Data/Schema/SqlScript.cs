using System.Text;

namespace TeamTalk.Orleans.Data.Schema;

/// <summary>
/// Splits a MySQL script into statements: a statement ends at a <c>;</c> that is outside string
/// literals ('…', "…"), quoted identifiers (`…`) and comments (<c>-- </c>, <c>#</c>, <c>/* */</c>).
/// Comments are dropped from the returned text, except executable <c>/*! … */</c> comments.
/// <c>DELIMITER</c> lines are rejected: MySqlConnector cannot run them and our scripts do not need them.
/// </summary>
internal static class SqlScript
{
    public static IReadOnlyList<string> Split(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var statements = new List<string>();
        var current = new StringBuilder();
        var i = 0;
        var n = script.Length;
        var atLineStart = true;

        while (i < n)
        {
            var c = script[i];

            if (atLineStart && StartsWithDelimiterKeyword(script, i))
            {
                throw new FormatException("DELIMITER is not supported in migration scripts (MySqlConnector rejects it); write the statement without it.");
            }

            atLineStart = false;
            switch (c)
            {
                case '\'':
                case '"':
                case '`':
                    i = CopyQuoted(script, i, current);
                    continue;
                case '-' when i + 1 < n && script[i + 1] == '-' && (i + 2 >= n || char.IsWhiteSpace(script[i + 2])):
                case '#':
                    i = SkipToLineEnd(script, i);
                    continue;
                case '/' when i + 1 < n && script[i + 1] == '*':
                    var end = script.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    end = end < 0 ? n : end + 2;
                    if (i + 2 < n && script[i + 2] == '!')
                    {
                        current.Append(script, i, end - i);
                    }
                    else
                    {
                        current.Append(' ');
                    }

                    i = end;
                    continue;
                case ';':
                    AddStatement(statements, current);
                    i++;
                    continue;
                case '\n':
                    atLineStart = true;
                    current.Append(c);
                    i++;
                    continue;
                default:
                    current.Append(c);
                    i++;
                    continue;
            }
        }

        AddStatement(statements, current);
        return statements;
    }

    private static bool StartsWithDelimiterKeyword(string script, int i)
    {
        while (i < script.Length && (script[i] == ' ' || script[i] == '\t'))
        {
            i++;
        }

        const string Keyword = "DELIMITER";
        return i + Keyword.Length < script.Length
            && string.Compare(script, i, Keyword, 0, Keyword.Length, StringComparison.OrdinalIgnoreCase) == 0
            && char.IsWhiteSpace(script[i + Keyword.Length]);
    }

    private static int CopyQuoted(string script, int start, StringBuilder current)
    {
        var quote = script[start];
        var i = start + 1;
        while (i < script.Length)
        {
            var c = script[i];
            if (c == '\\' && quote != '`' && i + 1 < script.Length)
            {
                i += 2;
                continue;
            }

            if (c == quote)
            {
                if (i + 1 < script.Length && script[i + 1] == quote)
                {
                    i += 2;
                    continue;
                }

                i++;
                current.Append(script, start, i - start);
                return i;
            }

            i++;
        }

        throw new FormatException($"Unterminated {quote} quote starting at offset {start}.");
    }

    private static int SkipToLineEnd(string script, int i)
    {
        var end = script.IndexOf('\n', i);
        return end < 0 ? script.Length : end;
    }

    private static void AddStatement(List<string> statements, StringBuilder current)
    {
        var text = current.ToString().Trim();
        current.Clear();
        if (text.Length > 0)
        {
            statements.Add(text);
        }
    }
}
