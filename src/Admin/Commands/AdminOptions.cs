using System.CommandLine;
using TeamTalk.Orleans.CommandLine;

namespace TeamTalk.Orleans.Admin.Commands;

/// <summary>Options more than one admin command takes.</summary>
internal static class AdminOptions
{
    /// <summary><c>--db</c>: the TeamTalk MySQL database.</summary>
    public static readonly Option<string> Db = CliOptions.RequiredText("--db", "MySQL connection string of the TeamTalk database (Server=…;Port=3306;Database=teamtalk;User ID=…;Password=…)");

    /// <summary><c>--verbose</c>: debug logging (every command).</summary>
    public static readonly Option<bool> Verbose = new("--verbose") { Description = "debug logging", Recursive = true };
}
