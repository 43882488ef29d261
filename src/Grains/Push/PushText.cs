using System.Text;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains.Push;

/// <summary>
/// The text of a push (behaviour.md 3.9): <c>nick:text</c> for a text message whose text the server key decrypts,
/// <c>nick:[图片]</c> for an image, <c>nick:[语音]</c> for audio, the generic text when the sender is unknown or the
/// text cannot be read; cut to <see cref="MaxBytes"/> UTF-8 bytes (on a character boundary) followed by "...".
/// </summary>
public static class PushText
{
    /// <summary>The original's limit before "...".</summary>
    public const int MaxBytes = 37;

    /// <summary>What the original shows when it cannot say more.</summary>
    public const string Generic = "您收到了一条消息";

    public const string Image = "[图片]";

    public const string Audio = "[语音]";

    private const string ImageStart = "&$#@~^@[{:";
    private const string ImageEnd = ":}]&$~@#@";

    /// <summary>The alert for <paramref name="message"/> from a sender called <paramref name="nick"/> (null: unknown).</summary>
    public static string For(ChatMessage message, string? nick, TextCipher? cipher)
    {
        if (string.IsNullOrEmpty(nick))
        {
            return Generic;
        }

        if (message.MsgType.IsAudio())
        {
            return Cut(nick + ":" + Audio);
        }

        if (cipher is null || !cipher.TryDecrypt(message.Data, out var text))
        {
            return Generic;
        }

        return Cut(nick + ":" + (IsImage(text) ? Image : text));
    }

    private static bool IsImage(string text)
    {
        var start = text.IndexOf(ImageStart, StringComparison.Ordinal);
        return start >= 0 && text.IndexOf(ImageEnd, start + ImageStart.Length, StringComparison.Ordinal) >= 0;
    }

    private static string Cut(string text)
    {
        if (Encoding.UTF8.GetByteCount(text) <= MaxBytes)
        {
            return text;
        }

        var bytes = 0;
        var end = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > MaxBytes)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            end += rune.Utf16SequenceLength;
        }

        return string.Concat(text.AsSpan(0, end), "...");
    }
}
