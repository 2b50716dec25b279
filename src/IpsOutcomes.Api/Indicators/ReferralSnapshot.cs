using System.Data.Common;
using System.Globalization;
using Dapper;
using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Indicators;

/// <summary>
/// One provider's current referrals as columns, ready for arithmetic: days are <see cref="DateOnly.DayNumber"/>
/// (-1 for none), codes are small indexes, clients are numbered within the provider. Only counted jobs
/// (competitive or self-employed, with a start date) are kept.
/// </summary>
public sealed class ProviderReferrals
{
    public required string ProviderCode { get; init; }
    public required long Fingerprint { get; init; }
    /// <summary>The data version at which these referrals last changed (0 in a publication, whose answers are all at its own).</summary>
    public long ChangedAt { get; init; }
    public int Count => ReferralDay.Length;
    public required int[] ReferralDay { get; init; }
    public required int[] FirstContactDay { get; init; }
    public required int[] EmployerContactDay { get; init; }
    public required int[] DischargeDay { get; init; }
    public required byte[] Ethnic { get; init; }
    public required byte[] Gender { get; init; }
    public required byte[] AgeBand { get; init; }
    public const byte Unemployed = 0, EconomicallyInactive = 1, Employed = 2;

    /// <summary><see cref="Unemployed"/>, <see cref="EconomicallyInactive"/> or <see cref="Employed"/>.</summary>
    public required byte[] Employment { get; init; }
    public required int[] Client { get; init; }
    /// <summary>The earliest counted job starting on or after the referral date, per referral.</summary>
    public required int[] FirstJobFromReferral { get; init; }
    public required int[] JobReferral { get; init; }
    public required int[] JobStart { get; init; }
    public required int[] JobEnd { get; init; }
    /// <summary>Referral indexes ordered by client, then first contact: each client's referrals side by side.</summary>
    public required int[] ByClient { get; init; }
    /// <summary>Per client, the first counted job across all their referrals (-1 if none) and the referral it came from.</summary>
    public required int[] ClientFirstJobDay { get; init; }
    public required int[] ClientFirstJobReferral { get; init; }
}

/// <summary>
/// The current state of every provider's referrals, in memory, as of a data version. When the version moves
/// on, only the providers whose latest return changed are read again, inside one read transaction so that
/// what is loaded is one consistent state.
/// </summary>
public sealed class ReferralSnapshot : IDisposable
{
    private readonly Database database;
    private readonly DataVersion dataVersion;
    private readonly ILogger<ReferralSnapshot> logger;

    public ReferralSnapshot(Database database, DataVersion dataVersion, ILogger<ReferralSnapshot> logger)
    {
        (this.database, this.dataVersion, this.logger) = (database, dataVersion, logger);
        // After every change, bring the snapshot up to date in the background, so the next request finds it ready.
        dataVersion.Changed += () => Warm();
    }

    /// <summary>Loads what has changed, off the request path; a request that comes first simply waits for it.</summary>
    public void Warm() => _ = OwnThread.Run(async () =>
    {
        try { await GetAsync(CancellationToken.None); }
        catch (Exception exception) when (exception is System.Data.Common.DbException or InvalidOperationException)
        {
            logger.LogWarning(exception, "Warming the referral snapshot failed; the next request will try again");
        }
    });

    internal static readonly Sql SelectFingerprints = Sql.Portable("""
        SELECT provider_code AS ProviderCode, submission_id AS Fingerprint, changed_at AS ChangedAt FROM accepted_data
        """);

    internal static readonly Sql SelectReferrals = Sql.Portable("""
        SELECT referral_key, client_key, referral_date, ethnic_category, gender, age_at_referral, employment_status,
               first_contact_date, first_employer_contact_date, discharge_date
        FROM referrals WHERE provider_code = @provider ORDER BY referral_key
        """);

    internal static readonly Sql SelectCountedJobs = Sql.Portable("""
        SELECT referral_key, start_date, end_date FROM referral_jobs
        WHERE provider_code = @provider AND start_date IS NOT NULL AND job_type IN ('competitive', 'self_employed')
        ORDER BY referral_key, job_number
        """);

    public void Dispose() => refresh.Dispose();

    private readonly SemaphoreSlim refresh = new(1, 1);
    private volatile State current = new(-1, new Dictionary<string, ProviderReferrals>());

    /// <param name="SharedVersion">The version of the last change every answer shares (the register, reference data, targets,
    /// fidelity): <paramref name="Version"/> unless only providers' referrals have changed since.</param>
    public sealed record State(long Version, IReadOnlyDictionary<string, ProviderReferrals> Providers, long SharedVersion)
    {
        public State(long version, IReadOnlyDictionary<string, ProviderReferrals> providers) : this(version, providers, version) { }

        /// <summary>
        /// The data version of an answer worked out from these providers' referrals: the last change to any of them or to what every
        /// answer shares. The answer is the same at every version from it to <see cref="Version"/>, so another ICB's accepted return
        /// leaves it, its ETag and its cached bytes as they were (issue 27).
        /// </summary>
        public long VersionOf(IEnumerable<string> providerCodes)
        {
            var version = SharedVersion;
            foreach (var code in providerCodes)
                if (Providers.TryGetValue(code, out var referrals) && referrals.ChangedAt > version) version = referrals.ChangedAt;
            return version;
        }
    }

    private sealed class Fingerprinted
    {
        public string ProviderCode { get; init; } = "";
        public long Fingerprint { get; init; }
        public long ChangedAt { get; init; }
    }

    private sealed class Versions
    {
        public long Version { get; init; }
        public long SharedVersion { get; init; }
    }

    public async Task<State> GetAsync(CancellationToken cancellationToken)
    {
        var snapshot = current;
        if (snapshot.Version == await dataVersion.CurrentAsync(cancellationToken)) return snapshot;
        await refresh.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var transaction = await database.BeginConsistentReadAsync(connection, cancellationToken);
            var versions = await connection.QuerySingleAsync<Versions>(database[DataVersion.SelectWithShared], transaction: transaction);
            if (versions.Version == current.Version) return current;
            var providers = new Dictionary<string, ProviderReferrals>();
            foreach (var provider in await connection.QueryAsync<Fingerprinted>(database[SelectFingerprints], transaction: transaction))
            {
                providers[provider.ProviderCode] = current.Providers.TryGetValue(provider.ProviderCode, out var loaded)
                    && loaded.Fingerprint == provider.Fingerprint && loaded.ChangedAt == provider.ChangedAt
                    ? loaded
                    : await LoadAsync(connection, transaction, provider, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            return current = new State(versions.Version, providers, versions.SharedVersion);
        }
        finally
        {
            refresh.Release();
        }
    }

    private async Task<ProviderReferrals> LoadAsync(DbConnection connection, DbTransaction transaction, Fingerprinted fingerprinted,
        CancellationToken cancellationToken)
    {
        var provider = fingerprinted.ProviderCode;
        var keys = new List<byte[]>();
        var referralDay = new List<int>();
        var firstContact = new List<int>();
        var employerContact = new List<int>();
        var discharge = new List<int>();
        var ethnic = new List<byte>();
        var gender = new List<byte>();
        var ageBand = new List<byte>();
        var employment = new List<byte>();
        var client = new List<int>();
        var clients = new Dictionary<UInt128, int>();

        await using (var command = Command(connection, transaction, SelectReferrals, provider))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                keys.Add((byte[])reader[0]);
                var clientKey = BitConverter.ToUInt128((byte[])reader[1], 0);
                if (!clients.TryGetValue(clientKey, out var clientIndex)) clients[clientKey] = clientIndex = clients.Count;
                client.Add(clientIndex);
                referralDay.Add(Day(reader, 2));
                ethnic.Add(Breakdowns.EthnicCategoryIndex(reader.GetString(3)));
                gender.Add(Breakdowns.GenderIndex(reader.IsDBNull(4) ? null : reader.GetString(4)));
                ageBand.Add(Breakdowns.AgeBandIndex(reader.IsDBNull(5) ? null
                    : Convert.ToInt32(reader.GetValue(5), CultureInfo.InvariantCulture)));
                employment.Add(reader.GetString(6) switch
                {
                    "unemployed" => ProviderReferrals.Unemployed,
                    "economically_inactive" => ProviderReferrals.EconomicallyInactive,
                    _ => ProviderReferrals.Employed
                });
                firstContact.Add(Day(reader, 7));
                employerContact.Add(Day(reader, 8));
                discharge.Add(Day(reader, 9));
            }
        }

        // Counted jobs, merged with the referrals by key (both come ordered by it).
        var jobReferral = new List<int>();
        var jobStart = new List<int>();
        var jobEnd = new List<int>();
        await using (var command = Command(connection, transaction, SelectCountedJobs, provider))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            var index = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = (byte[])reader[0];
                while (index < keys.Count && keys[index].AsSpan().SequenceCompareTo(key) < 0) index++;
                if (index == keys.Count || !keys[index].AsSpan().SequenceEqual(key)) continue;
                jobReferral.Add(index);
                jobStart.Add(Day(reader, 1));
                jobEnd.Add(Day(reader, 2));
            }
        }

        var count = keys.Count;
        var firstJobFromReferral = new int[count];
        Array.Fill(firstJobFromReferral, -1);
        var clientFirstJobDay = new int[clients.Count];
        var clientFirstJobReferral = new int[clients.Count];
        Array.Fill(clientFirstJobDay, -1);
        for (var j = 0; j < jobReferral.Count; j++)
        {
            var r = jobReferral[j];
            var start = jobStart[j];
            if (start >= referralDay[r]
                && (firstJobFromReferral[r] < 0 || start < firstJobFromReferral[r])) firstJobFromReferral[r] = start;
            var c = client[r];
            if (clientFirstJobDay[c] < 0 || start < clientFirstJobDay[c]) (clientFirstJobDay[c], clientFirstJobReferral[c]) = (start, r);
        }
        var byClient = Enumerable.Range(0, count).ToArray();
        var clientArray = client.ToArray();
        var contactArray = firstContact.ToArray();
        Array.Sort(byClient, (a, b) => clientArray[a] != clientArray[b] ? clientArray[a].CompareTo(clientArray[b]) : contactArray[a]
            .CompareTo(contactArray[b]));

        return new ProviderReferrals
        {
            ProviderCode = provider,
            Fingerprint = fingerprinted.Fingerprint,
            ChangedAt = fingerprinted.ChangedAt,
            ReferralDay = referralDay.ToArray(),
            FirstContactDay = contactArray,
            EmployerContactDay = employerContact.ToArray(),
            DischargeDay = discharge.ToArray(),
            Ethnic = ethnic.ToArray(),
            Gender = gender.ToArray(),
            AgeBand = ageBand.ToArray(),
            Employment = employment.ToArray(),
            Client = clientArray,
            FirstJobFromReferral = firstJobFromReferral,
            JobReferral = jobReferral.ToArray(),
            JobStart = jobStart.ToArray(),
            JobEnd = jobEnd.ToArray(),
            ByClient = byClient,
            ClientFirstJobDay = clientFirstJobDay,
            ClientFirstJobReferral = clientFirstJobReferral,
        };
    }

    /// <summary>A plain command for one provider's rows: a million of them are read without Dapper's mapping.</summary>
    private DbCommand Command(DbConnection connection, DbTransaction transaction, Sql sql, string provider)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = database[sql];
        var parameter = command.CreateParameter();
        parameter.ParameterName = "provider";
        parameter.Value = provider;
        command.Parameters.Add(parameter);
        return command;
    }

    /// <summary>SQLite hands dates back as yyyy-MM-dd text, SQL Server as DateTime.</summary>
    private static int Day(DbDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal)) return -1;
        var value = reader.GetValue(ordinal);
        if (value is DateTime dateTime) return DateOnly.FromDateTime(dateTime).DayNumber;
        var text = (string)value;
        return new DateOnly(
            (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0'),
            (text[5] - '0') * 10 + (text[6] - '0'),
            (text[8] - '0') * 10 + (text[9] - '0')).DayNumber;
    }
}

/// <summary>Loads the snapshot once the service has started, so the first request does not have to.</summary>
public sealed class SnapshotWarmUp(ReferralSnapshot snapshot) : StartupTask
{
    public override Task StartedAsync(CancellationToken cancellationToken)
    {
        snapshot.Warm();
        return Task.CompletedTask;
    }
}
