using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using TeamTalk.Orleans.Gateway.AdminApi.Contracts;

namespace TeamTalk.Orleans.Gateway.AdminApi;

/// <summary>
/// Reads a request's JSON body: at most <see cref="AdminApiOptions.MaxBodyBytes"/> (a longer one, announced or sent, is
/// 413 and not read further), then parsed with the given source-generated type. Unparsable JSON, a wrong type or an
/// unknown field is 400 naming the field.
/// </summary>
internal static class JsonBody
{
    /// <summary>The parsed body, or the answer to send instead (413 or 400).</summary>
    public static async Task<(T? Value, IResult? Refusal)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > AdminApiOptions.MaxBodyBytes)
        {
            return (null, TooLarge());
        }

        var buffer = ArrayPool<byte>.Shared.Rent(AdminApiOptions.MaxBodyBytes + 1);
        try
        {
            var length = 0;
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(length, AdminApiOptions.MaxBodyBytes + 1 - length), request.HttpContext.RequestAborted)) > 0)
            {
                length += read;
                if (length > AdminApiOptions.MaxBodyBytes)
                {
                    return (null, TooLarge());
                }
            }

            if (length == 0)
            {
                return (null, Error("body: a JSON object is required"));
            }

            try
            {
                var value = JsonSerializer.Deserialize(buffer.AsSpan(0, length), type);
                return value is null ? (null, Error("body: a JSON object is required")) : (value, null);
            }
            catch (JsonException ex)
            {
                return (null, Error(Describe(ex)));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>400 with <c>{"error": message}</c>.</summary>
    public static IResult Error(string message) =>
        Results.Json(new ErrorResponse(message), AdminApiJsonContext.Default.ErrorResponse, statusCode: StatusCodes.Status400BadRequest);

    private static IResult TooLarge() => Results.Json(
        new ErrorResponse($"body: larger than {AdminApiOptions.MaxBodyBytes} bytes"), AdminApiJsonContext.Default.ErrorResponse, statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>"field: problem" from the parser's path ("$.departmentId"); the unknown member's name for a refused field.</summary>
    private static string Describe(JsonException ex)
    {
        var field = ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "body";
        if (ex.Message.Contains("could not be mapped", StringComparison.Ordinal) && ex.Message.IndexOf('\'', StringComparison.Ordinal) is var start and >= 0
            && ex.Message.IndexOf('\'', start + 1) is var end and > 0)
        {
            return $"{ex.Message[(start + 1)..end]}: unknown field";
        }

        // Syntax errors come from the reader (its internal JsonReaderException, wrapped); a value of the wrong type does not.
        var syntax = ex.InnerException?.GetType().Name == "JsonReaderException";
        return syntax || ex.Path is null or "$" ? "body: not valid JSON" : $"{field}: invalid value";
    }
}
