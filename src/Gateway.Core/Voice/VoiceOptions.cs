using System.ComponentModel.DataAnnotations;

namespace TeamTalk.Orleans.Gateway.Voice;

/// <summary>
/// The voice decoder for the web client (section <c>TeamTalk:Gateway:Voice</c>): <c>POST /api/voice/wav</c> on the
/// gateway's HTTP port turns a Speex clip as TeamTalk clients record it into a WAV a browser plays.
/// </summary>
public sealed class VoiceOptions
{
    public const string Section = "TeamTalk:Gateway:Voice";

    /// <summary>Serve <c>/api/voice/wav</c> at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The largest clip accepted (bytes; larger: 413). TeamTalk's clients stop recording at 60 s; Speex narrowband's
    /// highest bit rate, 24.6 kbit/s, makes that 185 kB, with Ogg framing about 190 kB: 256 KiB holds the longest clip.
    /// </summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxClipBytes { get; set; } = 256 * 1024;

    /// <summary>The longest audio a clip may decode to (seconds; longer: 413): bounds the WAV a small clip can expand to.</summary>
    [Range(1, 3600)]
    public int MaxSeconds { get; set; } = 120;

    /// <summary>Decodes running at once on this gateway; a request beyond them is answered 503 (busy).</summary>
    [Range(1, 256)]
    public int MaxConcurrentDecodes { get; set; } = 2;

    /// <summary>The libspeex shared library (Debian's <c>libspeex1</c>). Not loadable: the endpoint answers 503 and the web client offers the download.</summary>
    [Required]
    [MinLength(1)]
    public string Library { get; set; } = SpeexNative.Library;
}
