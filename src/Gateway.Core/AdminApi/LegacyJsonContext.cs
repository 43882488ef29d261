using System.Text.Json.Serialization;
using TeamTalk.Orleans.Gateway.AdminApi.Contracts;

namespace TeamTalk.Orleans.Gateway.AdminApi;

/// <summary>
/// JSON of the original http_msg_server's requests (source-generated): snake_case names as declared, numbers also
/// accepted as strings and unknown fields ignored, as a PHP admin may send them.
/// </summary>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(LegacyCreateGroupRequest))]
[JsonSerializable(typeof(LegacyChangeMembersRequest))]
[JsonSerializable(typeof(LegacyResponse))]
internal sealed partial class LegacyJsonContext : JsonSerializerContext;
