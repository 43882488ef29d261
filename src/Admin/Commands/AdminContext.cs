using Microsoft.Extensions.Logging;

namespace TeamTalk.Orleans.Admin.Commands;

/// <summary>What every command gets: logging and the console streams (results go to Out).</summary>
internal sealed record AdminContext(ILoggerFactory LoggerFactory, TextWriter Out, TextWriter Error);
