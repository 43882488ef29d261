using TeamTalk.Orleans.Gateway.Files;

namespace TeamTalk.Orleans.UnitTests.Gateway.Files;

/// <summary>The fixed 32 KiB chunking of offline files (behaviour.md 5.4, defect 42).</summary>
public sealed class FileChunksTests
{
    [Fact]
    public void A_file_of_one_mebibyte_and_one_byte_is_32_full_chunks_and_one_byte()
    {
        var chunks = new FileChunks((1024 * 1024) + 1);
        for (var k = 0u; k < 32; k++)
        {
            Assert.Equal((k * FileChunks.ChunkSize, FileChunks.ChunkSize), (chunks.Offset, chunks.NextLength));
            Assert.Null(chunks.Check(k * FileChunks.ChunkSize, FileChunks.ChunkSize));
            chunks.Advance();
        }

        Assert.Equal(1, chunks.NextLength);
        Assert.Null(chunks.Check(1024 * 1024, 1));
        chunks.Advance();
        Assert.True(chunks.Complete);
        Assert.NotNull(chunks.Check((1024 * 1024) + 1, 0));
    }

    [Fact]
    public void Wrong_offsets_and_lengths_are_refused()
    {
        var chunks = new FileChunks(100_000);
        Assert.NotNull(chunks.Check(5, FileChunks.ChunkSize));
        Assert.NotNull(chunks.Check(0, 100));
        Assert.NotNull(chunks.Check(0, FileChunks.ChunkSize + 1));
        Assert.Null(chunks.Check(0, -1));
    }

    [Fact]
    public void A_zero_byte_file_is_complete_at_once()
    {
        var chunks = new FileChunks(0);
        Assert.True(chunks.Complete);
        Assert.Equal(0, chunks.NextLength);
    }

    [Theory]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e", true)]
    [InlineData("0F8FAD5B-D9CB-469F-A165-70867728950E", false)]
    [InlineData("0f8fad5bd9cb469fa16570867728950e", false)]
    [InlineData("../../etc/passwd", false)]
    [InlineData("", false)]
    public void Task_ids_are_lowercase_uuids_only(string text, bool valid) => Assert.Equal(valid, TaskIds.IsValid(text));
}
