namespace TeamTalk.Orleans.Gateway.Files;

/// <summary>File task ids: lowercase UUIDs with dashes (36 characters), as handed out; anything else names no task.</summary>
internal static class TaskIds
{
    public static string New() => Guid.NewGuid().ToString("D");

    public static bool IsValid(string text) => Guid.TryParseExact(text, "D", out var id) && id.ToString("D") == text;
}
