using System.Text.Json.Serialization;

namespace TeamTalk.Orleans.Gateway.AdminApi.Contracts;

/// <summary>The original http_msg_server's <c>/query/CreateGroup</c> body (behaviour.md 2.3): every field required.</summary>
public sealed class LegacyCreateGroupRequest
{
    [JsonPropertyName("req_user_id")]
    public uint? ReqUserId { get; set; }

    [JsonPropertyName("app_key")]
    public string? AppKey { get; set; }

    [JsonPropertyName("group_name")]
    public string? GroupName { get; set; }

    /// <summary>1 normal, 2 temporary.</summary>
    [JsonPropertyName("group_type")]
    public uint? GroupType { get; set; }

    [JsonPropertyName("group_avatar")]
    public string? GroupAvatar { get; set; }

    [JsonPropertyName("user_id_list")]
    public IList<uint>? UserIdList { get; init; }
}
