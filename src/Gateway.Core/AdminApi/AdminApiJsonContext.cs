using System.Text.Json.Serialization;
using TeamTalk.Orleans.Gateway.AdminApi.Contracts;

namespace TeamTalk.Orleans.Gateway.AdminApi;

/// <summary>
/// JSON of the back-office API (source-generated): camelCase names, unknown fields refused so that a misspelt field is
/// answered 400 naming it instead of being ignored.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(UserFieldsRequest))]
[JsonSerializable(typeof(UserResponse))]
[JsonSerializable(typeof(CreatedResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(DepartmentRequest))]
[JsonSerializable(typeof(DepartmentResponse[]))]
[JsonSerializable(typeof(GroupRequest))]
[JsonSerializable(typeof(GroupResponse))]
[JsonSerializable(typeof(GroupMembersRequest))]
[JsonSerializable(typeof(GroupMembersResponse))]
[JsonSerializable(typeof(DiscoverItemRequest))]
[JsonSerializable(typeof(DiscoverItemResponse))]
[JsonSerializable(typeof(DiscoverItemResponse[]))]
internal sealed partial class AdminApiJsonContext : JsonSerializerContext;
