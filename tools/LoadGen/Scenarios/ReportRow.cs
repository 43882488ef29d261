namespace TeamTalk.Orleans.LoadGen.Scenarios;

/// <summary>One line of the summary table.</summary>
internal sealed record ReportRow(string Name, string Value);
