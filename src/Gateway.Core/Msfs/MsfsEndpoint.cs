using System.Buffers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using TeamTalk.Orleans.Blobs;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Gateway.Msfs;

/// <summary>
/// msfs on the gateway's own port (behaviour.md 2.2): <c>POST</c> on any path stores the multipart request's file
/// (an image or audio, at most <see cref="MaxRequestBytes"/>) in the blob store, records its entry (<see cref="IMsfsGrain"/>)
/// and only then answers <c>error_code</c> 0 with the path we made and its URL (not defect 39); <c>GET /&lt;path&gt;</c>
/// streams the file with its content type, 404 for anything that is not a recorded path; other methods 403. Every
/// answer closes the connection, as the original's, and allows cross-origin reads (the web client's uploads).
/// </summary>
internal sealed class MsfsEndpoint(
    IBlobStore blobs,
    IGrainFactory grains,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    MsfsLog log)
{
    /// <summary>The largest request accepted (the original's 10 MiB, <c>Content-Length</c> included the multipart framing).</summary>
    public const long MaxRequestBytes = 10 * 1024 * 1024;

    private const int BufferSize = 64 * 1024;

    private readonly GatewayOptions settings = options.Value;

    public Task HandleAsync(HttpContext context)
    {
        context.Response.Headers.Connection = "close";

        // The web client (served from the HTTP port, another origin) reads the upload's answer for its URL. msfs has no
        // authentication (any program can upload and fetch, as in the original), so letting pages read what it answers
        // exposes nothing; a multipart POST needs no preflight.
        context.Response.Headers.AccessControlAllowOrigin = "*";
        return context.Request.Method switch
        {
            "POST" => UploadAsync(context),
            "GET" or "HEAD" => DownloadAsync(context),
            _ => Status(context, StatusCodes.Status403Forbidden),
        };
    }

    private async Task UploadAsync(HttpContext context)
    {
        var request = context.Request;
        if (HasDotDot(context))
        {
            await RejectAsync(context, MsfsReply.BadUrl, "'..' in the URL");
            return;
        }

        if (request.ContentLength > MaxRequestBytes)
        {
            await RejectAsync(context, MsfsReply.TooLarge, $"Content-Length {request.ContentLength} over {MaxRequestBytes}");
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxRequestBytes; // a body without Content-Length fails once it gets larger
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            await RejectAsync(context, MsfsReply.NotMultipart, "not multipart/form-data with a boundary");
            return;
        }

        MsfsReply reply;
        try
        {
            reply = await StoreAsync(context, new MultipartReader(boundary, request.Body) { BodyLengthLimit = MaxRequestBytes });
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            reply = MsfsReply.Failed(MsfsReply.TooLarge);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            reply = MsfsReply.Failed(MsfsReply.BadMultipart);
            log.Rejected(context, reply.Code, ex.Message);
        }

        await WriteAsync(context, reply);
    }

    /// <summary>Stores the first file part; the answer to send.</summary>
    private async Task<MsfsReply> StoreAsync(HttpContext context, MultipartReader reader)
    {
        MultipartSection? section;
        ContentDispositionHeaderValue? disposition = null;
        while ((section = await reader.ReadNextSectionAsync(context.RequestAborted)) is not null)
        {
            if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out disposition) && disposition.IsFileDisposition())
            {
                break;
            }
        }

        if (section is null || disposition is null)
        {
            return Reject(context, MsfsReply.NoFile, "no file part");
        }

        var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
        var extension = MsfsPath.Extension(fileName);
        if (extension is null)
        {
            return Reject(context, MsfsReply.BadFileName, "file name without a usable extension");
        }

        if (MsfsFileKind.Of(extension) is not { } kind)
        {
            return Reject(context, MsfsReply.WrongType, $"'.{extension}' is neither an image nor audio");
        }

        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var read = await section.Body.ReadAtLeastAsync(buffer.AsMemory(0, BufferSize), MsfsFileKind.SniffLength, throwOnEndOfStream: false, context.RequestAborted);
            if (read == 0)
            {
                return Reject(context, MsfsReply.EmptyFile, "empty file");
            }

            if (!kind.Matches(buffer.AsSpan(0, read)))
            {
                return Reject(context, MsfsReply.WrongType, $"content is not a .{extension} image");
            }

            BlobName name;
            long size;
            await using (var upload = await blobs.CreateAsync(context.RequestAborted))
            {
                do
                {
                    await upload.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                }
                while ((read = await section.Body.ReadAsync(buffer.AsMemory(0, BufferSize), context.RequestAborted)) > 0);

                size = upload.Length;
                name = await upload.CommitAsync(context.RequestAborted);
            }

            return await RecordAsync(context, new MsfsEntry(
                MsfsPath.New(fileName!, extension, time.GetUtcNow()), name.Value, kind.ContentType, size, (uint)time.GetUtcNow().ToUnixTimeSeconds()));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Records the committed blob's entry; the success answer only once it is recorded.</summary>
    private async Task<MsfsReply> RecordAsync(HttpContext context, MsfsEntry entry)
    {
        try
        {
            var msfs = grains.GetMsfsGrain();
            if (!await msfs.AddAsync(entry))
            {
                entry = entry with { Path = MsfsPath.New(entry.Path, Path.GetExtension(entry.Path)[1..], time.GetUtcNow()) };
                if (!await msfs.AddAsync(entry))
                {
                    throw new InvalidOperationException($"msfs path {entry.Path} taken twice");
                }
            }
        }
        catch (Exception ex)
        {
            log.NotStored(ex, entry.BlobName);
            await DeleteOrphanAsync(entry);
            return MsfsReply.Failed(MsfsReply.NotStored);
        }

        var host = context.Request.Host.HasValue ? context.Request.Host.Value : $"{settings.AdvertisedAddress}:{settings.MsfsPort}";
        log.Stored(entry.Path, entry.Size, entry.ContentType);
        return MsfsReply.Stored(entry.Path, $"http://{host}/{entry.Path}");
    }

    private async Task DeleteOrphanAsync(MsfsEntry entry)
    {
        // The entry may have been recorded although the call failed (a timeout after the insert): keep the blob then.
        if (BlobName.TryParse(entry.BlobName, out var name) && await IsUnrecordedAsync(entry.Path))
        {
            await blobs.DeleteAsync(name.Value);
        }
    }

    private async Task<bool> IsUnrecordedAsync(string path)
    {
        try
        {
            return await grains.GetMsfsGrain().FindAsync(path) is null;
        }
        catch (Exception ex)
        {
            log.NotStored(ex, path);
            return false;
        }
    }

    private async Task DownloadAsync(HttpContext context)
    {
        var path = HasDotDot(context) ? null : MsfsPath.Lookup(context.Request.Path.Value);
        MsfsEntry? entry;
        try
        {
            entry = path is null ? null : await grains.GetMsfsGrain().FindAsync(path);
        }
        catch (Exception ex)
        {
            log.LookupFailed(ex, path ?? string.Empty);
            await Status(context, StatusCodes.Status500InternalServerError);
            return;
        }

        await using var stream = entry is not null && BlobName.TryParse(entry.BlobName, out var name)
            ? await blobs.OpenReadAsync(name.Value, context.RequestAborted)
            : null;
        if (stream is null)
        {
            if (entry is not null)
            {
                log.BlobMissing(entry.Path, entry.BlobName);
            }

            await Status(context, StatusCodes.Status404NotFound);
            return;
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = entry!.ContentType;
        response.ContentLength = stream.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await stream.CopyToAsync(response.Body, BufferSize, context.RequestAborted);
        }
    }

    /// <summary>
    /// True when the URL as sent holds <c>..</c>, encoded or not (Kestrel resolves dot segments before the path reaches
    /// us, so the raw target is what tells).
    /// </summary>
    private static bool HasDotDot(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? string.Empty;
        return Uri.UnescapeDataString(raw).Contains("..", StringComparison.Ordinal);
    }

    private MsfsReply Reject(HttpContext context, int code, string reason)
    {
        log.Rejected(context, code, reason);
        return MsfsReply.Failed(code);
    }

    private Task RejectAsync(HttpContext context, int code, string reason) => WriteAsync(context, Reject(context, code, reason));

    private static async Task WriteAsync(HttpContext context, MsfsReply reply)
    {
        var body = reply.ToJson();
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/html;charset=utf-8";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted);
    }

    private static Task Status(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }
}
