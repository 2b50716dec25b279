using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Returns;

namespace IpsOutcomes.Submissions;

public sealed record SpooledUpload(long UploadId, string Sha256, long Bytes);

public sealed class UploadTooLargeException(long limit) : Exception(Says.UploadTooLarge.Format(limit))
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

    internal static readonly Sql InsertUpload = Sql.InsertReturningId("INSERT INTO uploads (created_at) VALUES (@now);");

    internal static readonly Sql InsertChunk = Sql.Portable(
        "INSERT INTO upload_chunks (upload_id, sequence, data) VALUES (@id, @sequence, @data)");

    internal static readonly Sql SelectChunk = Sql.Portable(
        "SELECT data FROM upload_chunks WHERE upload_id = @id AND sequence = @sequence");

    // The chunks by name, not by cascade: the submission job deletes them on its connection, which runs without
    // foreign-key actions on SQLite.
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
                while (filled < buffer.Length
                    && (read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0) filled += read;
                if (filled == 0) break;
                total += filled;
                if (total > maxBytes) throw new UploadTooLargeException(maxBytes);
                sha.AppendData(buffer, 0, filled);
                // The buffer itself where it is full: a fresh megabyte a chunk is garbage the collector must find.
                await connection.ExecuteAsync(database[InsertChunk],
                    new { id = uploadId, sequence, data = filled == buffer.Length ? buffer : buffer[..filled] });
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

    internal static readonly Sql DeleteLeftovers = Sql.Portable("""
        DELETE FROM uploads WHERE created_at < @cutoff AND id NOT IN (SELECT upload_id FROM submissions WHERE upload_id IS NOT NULL)
        """);

    /// <summary>Deletes uploads created before <paramref name="cutoff"/> that no submission refers to (a process stopped
    /// mid-way).</summary>
    public Task<int> DeleteLeftoversAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        database.ExecuteAsync(DeleteLeftovers, new { cutoff }, cancellationToken);


    private sealed class ChunkStream(Database database, long uploadId) : Stream
    {
        private readonly DbConnection connection = database.OpenAsync().GetAwaiter().GetResult();
        private readonly byte[] chunk = new byte[ChunkBytes]; // one buffer, reused for every chunk
        private int length;
        private int offset;
        private int sequence;
        private bool finished;

        public override int Read(byte[] buffer, int bufferOffset, int count)
        {
            if (offset == length)
            {
                if (finished || !ReadChunk()) return 0;
            }
            var copied = Math.Min(count, length - offset);
            Buffer.BlockCopy(chunk, offset, buffer, bufferOffset, copied);
            offset += copied;
            return copied;
        }

        private bool ReadChunk()
        {
            using var reader = connection.ExecuteReader(database[SelectChunk], new { id = uploadId, sequence = sequence++ });
            length = reader.Read() ? (int)reader.GetBytes(0, 0, chunk, 0, chunk.Length) : 0;
            offset = 0;
            finished = length == 0;
            return !finished;
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
