using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Submissions;

public sealed record SpooledUpload(long UploadId, string Sha256, long Bytes);

public sealed class UploadTooLargeException(long limit) : Exception($"The upload is larger than the limit of {limit:N0} bytes.")
{
    public long Limit => limit;
}

/// <summary>
/// Uploads are streamed into the database in 1 MiB chunks, never held whole in memory, so that whichever job
/// server picks the submission up can read them. Each chunk is its own short write: a slow upload never holds
/// the database's write lock. The chunks are deleted when the submission has been processed.
/// </summary>
public sealed class UploadSpool(Database database, TimeProvider clock)
{
    private const int ChunkBytes = 1 << 20;

    internal static readonly Sql InsertUpload = new(
        Sqlite: "INSERT INTO uploads (created_at) VALUES (@now); SELECT last_insert_rowid();",
        SqlServer: "INSERT INTO dbo.uploads (created_at) VALUES (@now); SELECT CAST(SCOPE_IDENTITY() AS bigint);");

    internal static readonly Sql InsertChunk = Sql.Portable(
        "INSERT INTO upload_chunks (upload_id, sequence, data) VALUES (@id, @sequence, @data)");

    internal static readonly Sql SelectChunk = Sql.Portable(
        "SELECT data FROM upload_chunks WHERE upload_id = @id AND sequence = @sequence");

    // The chunks by name rather than by cascade: the submission job deletes them with foreign-key actions off on SQLite.
    internal static readonly Sql DeleteUpload = Sql.Portable("DELETE FROM upload_chunks WHERE upload_id = @id; DELETE FROM uploads WHERE id = @id;");

    public async Task<SpooledUpload> WriteAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var uploadId = await connection.ExecuteScalarAsync<long>(database[InsertUpload], new { now = clock.GetUtcNow() });
        try
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[ChunkBytes];
            long total = 0;
            var sequence = 0;
            while (true)
            {
                var filled = 0;
                int read;
                while (filled < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0) filled += read;
                if (filled == 0) break;
                total += filled;
                if (total > maxBytes) throw new UploadTooLargeException(maxBytes);
                sha.AppendData(buffer, 0, filled);
                await connection.ExecuteAsync(database[InsertChunk], new { id = uploadId, sequence, data = buffer[..filled] });
                sequence++;
                if (filled < buffer.Length) break;
            }
            return new SpooledUpload(uploadId, Convert.ToHexStringLower(sha.GetHashAndReset()), total);
        }
        catch
        {
            await DeleteAsync(uploadId, CancellationToken.None);
            throw;
        }
    }

    /// <summary>The upload as a forward-only stream, read chunk by chunk.</summary>
    public Stream Open(long uploadId) => new ChunkStream(database, uploadId);

    public async Task DeleteAsync(long uploadId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(database[DeleteUpload], new { id = uploadId });
    }

    public Task DeleteAsync(long uploadId, DbConnection connection, DbTransaction transaction) =>
        connection.ExecuteAsync(database[DeleteUpload], new { id = uploadId }, transaction);

    private sealed class ChunkStream(Database database, long uploadId) : Stream
    {
        private readonly DbConnection connection = database.OpenAsync().GetAwaiter().GetResult();
        private byte[] chunk = [];
        private int offset;
        private int sequence;
        private bool finished;

        public override int Read(byte[] buffer, int bufferOffset, int count)
        {
            if (offset == chunk.Length)
            {
                if (finished) return 0;
                chunk = connection.QuerySingleOrDefault<byte[]>(database[SelectChunk], new { id = uploadId, sequence = sequence++ }) ?? [];
                offset = 0;
                if (chunk.Length == 0)
                {
                    finished = true;
                    return 0;
                }
            }
            var copied = Math.Min(count, chunk.Length - offset);
            Buffer.BlockCopy(chunk, offset, buffer, bufferOffset, copied);
            offset += copied;
            return copied;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) connection.Dispose();
            base.Dispose(disposing);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
