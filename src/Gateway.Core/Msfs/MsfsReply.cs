using System.Text.Encodings.Web;
using System.Text.Json;

namespace TeamTalk.Orleans.Gateway.Msfs;

/// <summary>
/// The JSON answers of an upload (behaviour.md 2.2): <c>error_code</c> 0 with <c>path</c> and <c>url</c> for a stored
/// file only; otherwise a non-zero code with empty <c>path</c> and <c>url</c>. Codes 1 (too large) and 2–11 (malformed)
/// are the original's; 12 (not an image or audio) and 13 (not stored) are ours.
/// </summary>
internal readonly record struct MsfsReply(int Code, string Message, string Path, string Url)
{
    public const int TooLarge = 1;
    public const int NotMultipart = 2;
    public const int BadMultipart = 3;
    public const int NoFile = 4;
    public const int BadFileName = 5;
    public const int EmptyFile = 6;
    public const int BadUrl = 7;
    public const int WrongType = 12;
    public const int NotStored = 13;

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static MsfsReply Stored(string path, string url) => new(0, "成功", path, url);

    public static MsfsReply Failed(int code) => new(code, code switch
    {
        TooLarge => "上传文件过大",
        WrongType => "文件类型错误",
        NotStored => "服务端异常",
        _ => "格式错误",
    }, string.Empty, string.Empty);

    /// <summary>The UTF-8 JSON body.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream(256);
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            json.WriteNumber("error_code", Code);
            json.WriteString("error_msg", Message);
            json.WriteString("path", Path);
            json.WriteString("url", Url);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
