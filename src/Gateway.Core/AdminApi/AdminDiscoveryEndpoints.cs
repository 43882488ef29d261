using TeamTalk.Orleans.Gateway.AdminApi.Contracts;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Gateway.AdminApi;

/// <summary>
/// <c>/api/v1/discovery</c>: the discover items clients show in their discover tab (<c>IMDiscovery</c>), through the
/// discovery grain, so a change reaches every gateway's <c>GET /api/discovery</c> at once. DELETE hides an item
/// (status 1, as the original admin did); PATCH with status 0 shows it again.
/// </summary>
internal static class AdminDiscoveryEndpoints
{
    private const string Location = "/api/v1/discovery/";

    public static void Map(RouteGroupBuilder api)
    {
        var items = api.MapGroup("/discovery").WithTags("discovery");
        items.MapPost("/", CreateAsync)
            .Accepts<DiscoverItemRequest>("application/json")
            .Produces<CreatedResponse>(StatusCodes.Status201Created)
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest);
        items.MapGet("/", ListAsync).Produces<DiscoverItemResponse[]>();
        items.MapGet("/{id}", GetAsync)
            .Produces<DiscoverItemResponse>()
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound);
        items.MapMethods("/{id}", [HttpMethods.Patch], UpdateAsync)
            .Accepts<DiscoverItemRequest>("application/json")
            .Produces<DiscoverItemResponse>()
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound);
        items.MapDelete("/{id}", HideAsync)
            .Produces(StatusCodes.Status204NoContent)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, IGrainFactory grains)
    {
        var (body, refusal) = await JsonBody.ReadAsync(request, AdminApiJsonContext.Default.DiscoverItemRequest);
        if (body is null)
        {
            return refusal!;
        }

        var result = await Grain(grains).CreateAsync(Fields(body));
        return result.Status == AdminWriteStatus.Done ? AdminResults.Created(Location, result.Id) : AdminResults.Refused(result, "discover item");
    }

    private static async Task<IResult> ListAsync(IGrainFactory grains)
    {
        var all = await Grain(grains).GetAllItemsAsync();
        DiscoverItemResponse[] list = [.. all.Select(Map)];
        return Results.Json(list, AdminApiJsonContext.Default.DiscoverItemResponseArray);
    }

    private static async Task<IResult> GetAsync(string id, IGrainFactory grains)
    {
        if (!AdminResults.TryParseId(id, out var itemId, out var refusal))
        {
            return refusal!;
        }

        return await Grain(grains).GetItemAsync(itemId) is { } item
            ? Results.Json(Map(item), AdminApiJsonContext.Default.DiscoverItemResponse)
            : AdminResults.NotFound("discover item");
    }

    private static async Task<IResult> UpdateAsync(string id, HttpRequest request, IGrainFactory grains)
    {
        if (!AdminResults.TryParseId(id, out var itemId, out var refusal))
        {
            return refusal!;
        }

        var (body, bad) = await JsonBody.ReadAsync(request, AdminApiJsonContext.Default.DiscoverItemRequest);
        if (body is null)
        {
            return bad!;
        }

        var result = await Grain(grains).UpdateAsync(itemId, Fields(body));
        if (result.Status != AdminWriteStatus.Done)
        {
            return AdminResults.Refused(result, "discover item");
        }

        return await Grain(grains).GetItemAsync(itemId) is { } item
            ? Results.Json(Map(item), AdminApiJsonContext.Default.DiscoverItemResponse)
            : AdminResults.NotFound("discover item");
    }

    private static async Task<IResult> HideAsync(string id, IGrainFactory grains)
    {
        if (!AdminResults.TryParseId(id, out var itemId, out var refusal))
        {
            return refusal!;
        }

        var result = await Grain(grains).HideAsync(itemId);
        return result.Status == AdminWriteStatus.Done ? Results.NoContent() : AdminResults.Refused(result, "discover item");
    }

    private static IDiscoveryGrain Grain(IGrainFactory grains) => grains.GetGrain<IDiscoveryGrain>(0);

    private static DiscoverItemFields Fields(DiscoverItemRequest body) => new(body.Name, body.Url, body.Priority, body.Status);

    private static DiscoverItemResponse Map(DiscoverItem item) =>
        new(item.Id, item.Name, item.Url, item.Priority, item.Status, item.Created, item.Updated);
}
