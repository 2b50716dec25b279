using System.Data;
using System.Data.Common;
using Dapper;
using IpsOutcomes.Infrastructure;
using IpsOutcomes.Returns;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace IpsOutcomes.Indicators;

/// <summary>
/// The current state of each provider's referrals, which the indicators are worked out from. Writes an accepted
/// return's rows into it, inside the caller's transaction, and records which submission it now reflects
/// (<c>accepted_data</c>, the snapshot's fingerprint). Latest period wins: a row replaces the stored state only when its return's period is
/// the same
/// or later, so an old month resubmitted never overwrites what a later month said. This is the one place where
/// the dialects take different paths: prepared statements row by row on SQLite, bulk copy and set-based statements
/// on SQL Server.
/// Both take the rows in referral-key order, so the key index is walked once rather than probed at random.
/// </summary>
public sealed class ReferralStore(Database database)
{
    internal static readonly Sql RecordAccepted = new(
        Sqlite: """
            INSERT INTO accepted_data (provider_code, submission_id) VALUES (@provider, @submission)
            ON CONFLICT (provider_code) DO UPDATE SET submission_id = excluded.submission_id
            """,
        SqlServer: """
            MERGE dbo.accepted_data WITH (HOLDLOCK) AS a
            USING (SELECT @provider AS provider_code, @submission AS submission_id) AS n ON a.provider_code = n.provider_code
            WHEN MATCHED THEN UPDATE SET submission_id = n.submission_id
            WHEN NOT MATCHED THEN INSERT (provider_code, submission_id) VALUES (n.provider_code, n.submission_id);
            """);

    internal static readonly Sql RecordChange = Sql.Portable("UPDATE accepted_data SET changed_at = @version WHERE provider_code = @provider");

    // Referrals that only the superseded return ever contained, and that the resubmission left out, go with it.
    // (first_submission_id names a return other than the current state's that also holds the referral, if any.)
    // Jobs first and by name: this transaction runs without foreign-key actions on SQLite (see Database.PrepareForBulkStoreAsync).
    internal static readonly Sql DeleteOrphanedReferrals = Sql.Portable("""
        DELETE FROM referral_jobs WHERE provider_code = @provider AND referral_key IN (
            SELECT referral_key FROM referrals WHERE provider_code = @provider AND submission_id = @superseded AND first_submission_id = @superseded);
        DELETE FROM referrals WHERE provider_code = @provider AND submission_id = @superseded AND first_submission_id = @superseded;
        """);

    internal static readonly Sql SelectOpenReferralKeys = Sql.Portable("""
        SELECT referral_key FROM referrals
        WHERE provider_code = @provider AND submission_id = @submission AND discharge_date IS NULL
        """);

    internal static readonly Sql SelectReferralDates = Sql.Portable("""
        SELECT referral_date FROM referrals
        WHERE provider_code = @provider AND referral_date >= @from AND referral_date <= @to
        """);

    /// <summary>
    /// Makes an accepted return the provider's current state: its rows written (latest period wins), then what only
    /// the return it supersedes held removed, then the fingerprint moved on.
    /// </summary>
    public async Task AcceptAsync(DbConnection connection, DbTransaction transaction, string providerCode, ReturnPeriod period,
        long submissionId, long? superseded, StagedReturn rows, CancellationToken cancellationToken)
    {
        await WriteAsync(connection, transaction, providerCode, period, submissionId, rows, cancellationToken);
        if (superseded is { } previous)
            await connection.ExecuteAsync(database[DeleteOrphanedReferrals], new { provider = providerCode, superseded = previous },
                transaction);
        await connection.ExecuteAsync(database[RecordAccepted], new { provider = providerCode, submission = submissionId }, transaction);
    }

    /// <summary>Records, beside the provider's referrals, the data version their acceptance moved the data to: the version of every answer
    /// worked out from them, until they or the register change again (<see cref="ReferralSnapshot.State.VersionOf"/>).</summary>
    public Task RecordChangeAsync(DbConnection connection, DbTransaction transaction, string providerCode, long version) =>
        connection.ExecuteAsync(database[RecordChange], new { provider = providerCode, version }, transaction);

    /// <summary>The referral keys a submission left open (no discharge date): what X001 looks for in the next month's return.</summary>
    public async Task<HashSet<UInt128>> OpenReferralKeysAsync(string providerCode, long submissionId,
        CancellationToken cancellationToken) =>
        (await database.QueryAsync<byte[]>(SelectOpenReferralKeys, new { provider = providerCode, submission = submissionId },
            cancellationToken))
        .Select(key => BitConverter.ToUInt128(key, 0)).ToHashSet();

    /// <summary>The referral dates held for a provider between two days: the recent volumes X002 compares against.</summary>
    public Task<IReadOnlyList<DateOnly>> ReferralDatesAsync(string providerCode, DateOnly from, DateOnly to,
        CancellationToken cancellationToken) =>
        database.QueryAsync<DateOnly>(SelectReferralDates, new { provider = providerCode, from, to }, cancellationToken);

    private Task WriteAsync(DbConnection connection, DbTransaction transaction, string providerCode, ReturnPeriod period,
        long submissionId, StagedReturn rows, CancellationToken cancellationToken)
    {
        if (database.Provider == DatabaseProvider.SqlServer)
            return WriteSqlServer((SqlConnection)connection, (SqlTransaction)transaction, providerCode, period, submissionId, rows,
                cancellationToken);
        WriteSqlite((SqliteConnection)connection, providerCode, period, submissionId, rows,
            cancellationToken); // in the connection's open transaction
        return Task.CompletedTask;
    }

    // Two statements, not one upsert, so that each answers by its count of changed rows alone: a new referral is
    // inserted; a stored one is updated unless a later month already said more about it. (An upsert with RETURNING
    // said which in one statement, but SQLite then stored a million rows nearly three times slower.)
    internal static readonly Sql InsertReferral = Sql.SqliteOnly("""
        INSERT INTO referrals (provider_code, referral_key, client_key, period, submission_id, first_submission_id,
            referral_date, referral_source, ethnic_category, gender, age_at_referral, employment_status,
            first_contact_date, first_employer_contact_date, discharge_date, discharge_reason)
        VALUES (@provider, @referral_key, @client_key, @period, @submission, @submission,
            @referral_date, @referral_source, @ethnic_category, @gender, @age_at_referral, @employment_status,
            @first_contact_date, @first_employer_contact_date, @discharge_date, @discharge_reason)
        ON CONFLICT (provider_code, referral_key) DO NOTHING
        """);

    internal static readonly Sql UpdateReferral = Sql.SqliteOnly("""
        UPDATE referrals SET
            client_key = @client_key, period = @period, submission_id = @submission,
            referral_date = @referral_date, referral_source = @referral_source, ethnic_category = @ethnic_category,
            gender = @gender, age_at_referral = @age_at_referral, employment_status = @employment_status,
            first_contact_date = @first_contact_date, first_employer_contact_date = @first_employer_contact_date,
            discharge_date = @discharge_date, discharge_reason = @discharge_reason
        WHERE provider_code = @provider AND referral_key = @referral_key AND period <= @period
        """);

    // A row that loses to a later month's state still says another return holds this referral, so that a
    // resubmission of that later month cannot take it for one only its superseded return ever had.
    internal static readonly Sql MarkHeldElsewhere = Sql.SqliteOnly(
        "UPDATE referrals SET first_submission_id = @submission WHERE provider_code = @provider AND referral_key = @referral_key");

    internal static readonly Sql DeleteJobs = Sql.SqliteOnly(
        "DELETE FROM referral_jobs WHERE provider_code = @provider AND referral_key = @referral_key");

    internal static readonly Sql InsertJob = Sql.SqliteOnly("""
        INSERT INTO referral_jobs (provider_code, referral_key, job_number, start_date, end_date, hours_per_week, job_type)
        VALUES (@provider, @referral_key, @job_number, @start_date, @end_date, @hours_per_week, @job_type)
        """);

    private void WriteSqlite(SqliteConnection connection, string providerCode, ReturnPeriod period, long submissionId,
        StagedReturn rows, CancellationToken cancellationToken)
    {
        using var insert = new SqliteStatement(connection, database[InsertReferral]);
        using var update = new SqliteStatement(connection, database[UpdateReferral]);
        using var markHeld = new SqliteStatement(connection, database[MarkHeldElsewhere]);
        using var deleteJobs = new SqliteStatement(connection, database[DeleteJobs]);
        using var insertJob = new SqliteStatement(connection, database[InsertJob]);
        var periodText = period.ToString();
        foreach (var statement in new[] { insert, update })
            statement.Bind("@provider", providerCode).Bind("@period", periodText).Bind("@submission", submissionId);
        markHeld.Bind("@provider", providerCode).Bind("@submission", submissionId);
        deleteJobs.Bind("@provider", providerCode);
        insertJob.Bind("@provider", providerCode);

        foreach (var index in rows.KeyOrder)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ref var row = ref rows[index];
            if (BindReferral(insert, row).Execute() == 0)
            {
                if (BindReferral(update, row).Execute() == 0)
                {
                    markHeld.Bind("@referral_key", row.ReferralKey).Execute();
                    continue;
                }
                deleteJobs.Bind("@referral_key", row.ReferralKey).Execute();
            }
            foreach (var job in rows.JobsOf(row))
                insertJob.Bind("@referral_key", row.ReferralKey).Bind("@job_number", (long)job.Number)
                    .Bind("@start_date", job.Start).Bind("@end_date", job.End).Bind("@hours_per_week", Hours(job))
                    .Bind("@job_type", StagedCodes.Code(job.Type)).Execute();
        }

        // Both statements take the row's values under the same names.
        static SqliteStatement BindReferral(SqliteStatement statement, in StagedReferral row) =>
            statement.Bind("@referral_key", row.ReferralKey).Bind("@client_key", row.ClientKey).Bind("@referral_date", row.ReferralDate)
                .Bind("@referral_source", StagedCodes.Code(row.ReferralSource)).Bind("@ethnic_category", StagedCodes.Code(row.EthnicCategory))
                .Bind("@gender", StagedCodes.Code(row.Gender))
                .Bind("@age_at_referral", row.AgeAtReferral == 0 ? null : row.AgeAtReferral)
                .Bind("@employment_status", StagedCodes.Code(row.EmploymentStatus)).Bind("@first_contact_date", row.FirstContactDate)
                .Bind("@first_employer_contact_date", row.FirstEmployerContactDate).Bind("@discharge_date", row.DischargeDate)
                .Bind("@discharge_reason", StagedCodes.Code(row.DischargeReason));
    }

    private static double? Hours(in StagedJob job) => double.IsNaN(job.HoursPerWeek) ? null : job.HoursPerWeek;

    internal static readonly Sql CreateStaging = Sql.SqlServerOnly("""
        CREATE TABLE #incoming (
            referral_key binary(32) NOT NULL PRIMARY KEY, client_key binary(32) NOT NULL, referral_date date NOT NULL,
            referral_source varchar(32) NULL, ethnic_category varchar(2) NOT NULL, gender varchar(1) NULL,
            age_at_referral tinyint NULL, employment_status varchar(32) NOT NULL, first_contact_date date NULL,
            first_employer_contact_date date NULL, discharge_date date NULL, discharge_reason varchar(32) NULL,
            applied bit NOT NULL DEFAULT 0);
        CREATE TABLE #incoming_jobs (
            referral_key binary(32) NOT NULL, job_number int NOT NULL, start_date date NULL, end_date date NULL,
            hours_per_week float NULL, job_type varchar(16) NULL);
        """);

    internal static readonly Sql ApplyStaging = Sql.SqlServerOnly("""
        UPDATE i SET applied = 1
        FROM #incoming i
        LEFT JOIN dbo.referrals r ON r.provider_code = @provider AND r.referral_key = i.referral_key
        WHERE r.referral_key IS NULL OR r.period <= @period;

        -- A row that loses to a later month's state still says another return holds this referral.
        UPDATE r SET first_submission_id = @submission
        FROM dbo.referrals r
        JOIN #incoming i ON r.provider_code = @provider AND r.referral_key = i.referral_key
        WHERE i.applied = 0;

        UPDATE r SET client_key = i.client_key, period = @period, submission_id = @submission,
            referral_date = i.referral_date, referral_source = i.referral_source, ethnic_category = i.ethnic_category,
            gender = i.gender, age_at_referral = i.age_at_referral, employment_status = i.employment_status,
            first_contact_date = i.first_contact_date, first_employer_contact_date = i.first_employer_contact_date,
            discharge_date = i.discharge_date, discharge_reason = i.discharge_reason
        FROM dbo.referrals r
        JOIN #incoming i ON r.provider_code = @provider AND r.referral_key = i.referral_key
        WHERE i.applied = 1;

        INSERT INTO dbo.referrals (provider_code, referral_key, client_key, period, submission_id, first_submission_id,
            referral_date, referral_source, ethnic_category, gender, age_at_referral, employment_status,
            first_contact_date, first_employer_contact_date, discharge_date, discharge_reason)
        SELECT @provider, i.referral_key, i.client_key, @period, @submission, @submission,
            i.referral_date, i.referral_source, i.ethnic_category, i.gender, i.age_at_referral, i.employment_status,
            i.first_contact_date, i.first_employer_contact_date, i.discharge_date, i.discharge_reason
        FROM #incoming i
        WHERE i.applied = 1
          AND NOT EXISTS (SELECT 1 FROM dbo.referrals r WHERE r.provider_code = @provider AND r.referral_key = i.referral_key);

        DELETE j FROM dbo.referral_jobs j
        JOIN #incoming i ON j.provider_code = @provider AND j.referral_key = i.referral_key
        WHERE i.applied = 1;

        INSERT INTO dbo.referral_jobs (provider_code, referral_key, job_number, start_date, end_date, hours_per_week, job_type)
        SELECT @provider, ij.referral_key, ij.job_number, ij.start_date, ij.end_date, ij.hours_per_week, ij.job_type
        FROM #incoming_jobs ij
        JOIN #incoming i ON i.referral_key = ij.referral_key
        WHERE i.applied = 1;

        TRUNCATE TABLE #incoming;
        TRUNCATE TABLE #incoming_jobs;
        """);

    internal static readonly Sql DropStaging = Sql.SqlServerOnly("DROP TABLE #incoming; DROP TABLE #incoming_jobs;");

    private async Task WriteSqlServer(SqlConnection connection, SqlTransaction transaction, string providerCode,
        ReturnPeriod period, long submissionId, StagedReturn rows, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(database[CreateStaging], transaction: transaction);
        var referrals = SqlServerBulkCopy.Table(
            ("referral_key", typeof(byte[])), ("client_key", typeof(byte[])), ("referral_date", typeof(DateTime)),
            ("referral_source", typeof(string)), ("ethnic_category", typeof(string)), ("gender", typeof(string)),
            ("age_at_referral", typeof(byte)), ("employment_status", typeof(string)), ("first_contact_date", typeof(DateTime)),
            ("first_employer_contact_date", typeof(DateTime)), ("discharge_date", typeof(DateTime)), ("discharge_reason", typeof(string)));
        var jobs = SqlServerBulkCopy.Table(
            ("referral_key", typeof(byte[])), ("job_number", typeof(int)), ("start_date", typeof(DateTime)),
            ("end_date", typeof(DateTime)), ("hours_per_week", typeof(double)), ("job_type", typeof(string)));

        async Task Flush()
        {
            if (referrals.Rows.Count == 0) return;
            foreach (var (table, target) in new[] { (referrals, "#incoming"), (jobs, "#incoming_jobs") })
            {
                await SqlServerBulkCopy.WriteAsync(connection, transaction, target, table, cancellationToken);
                table.Clear();
            }
            await connection.ExecuteAsync(new CommandDefinition(database[ApplyStaging],
                new { provider = providerCode, period = period.ToString(), submission = submissionId }, transaction,
                commandTimeout: 600, cancellationToken: cancellationToken));
        }

        static object Date(DateOnly date) => date == default ? DBNull.Value : date.ToDateTime(TimeOnly.MinValue);
        static object Code(byte code) => (object?)StagedCodes.Code(code) ?? DBNull.Value;
        foreach (var index in rows.KeyOrder)
        {
            ref var row = ref rows[index];
            var referralKey = ((ReadOnlySpan<byte>)row.ReferralKey).ToArray();
            referrals.Rows.Add(referralKey, ((ReadOnlySpan<byte>)row.ClientKey).ToArray(), Date(row.ReferralDate),
                Code(row.ReferralSource), Code(row.EthnicCategory), Code(row.Gender),
                row.AgeAtReferral == 0 ? DBNull.Value : row.AgeAtReferral, Code(row.EmploymentStatus), Date(row.FirstContactDate),
                Date(row.FirstEmployerContactDate), Date(row.DischargeDate), Code(row.DischargeReason));
            foreach (var job in rows.JobsOf(row))
                jobs.Rows.Add(referralKey, job.Number, Date(job.Start), Date(job.End), (object?)Hours(job) ?? DBNull.Value, Code(job.Type));
            if (referrals.Rows.Count == 20_000) await Flush();
        }
        await Flush();
        await connection.ExecuteAsync(database[DropStaging], transaction: transaction);
    }
}
