using System.Text.Json.Serialization;

namespace TeamTalk.Orleans.Gateway.AdminApi.Contracts;

/// <summary>The original http_msg_server's answer: <c>error_code</c> 0 on success, <c>group_id</c> for CreateGroup only.</summary>
public sealed record LegacyResponse(
    [property: JsonPropertyName("error_code")] int ErrorCode,
    [property: JsonPropertyName("error_msg")] string ErrorMessage,
    [property: JsonPropertyName("group_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] uint? GroupId = null);
