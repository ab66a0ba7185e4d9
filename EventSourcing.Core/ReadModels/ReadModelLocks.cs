using Npgsql;

namespace EventSourcing.Core.ReadModels;

/// <summary>
/// Transaction-scoped advisory locks per read model. The processor holds a model's lock shared while it writes
/// documents (lanes never wait for each other); a replay's swap holds it exclusively, so the swap sees every update
/// committed before it and no update lands on the old rows after it.
/// </summary>
public static class ReadModelLocks
{
    private const int LockClass = 0x52_4D; // "RM"

    /// <summary>Shared locks on the models, taken in name order before any document row is locked.</summary>
    public static async Task ShareAsync(NpgsqlConnection connection, IEnumerable<string> modelNames, CancellationToken cancellationToken)
    {
        var names = modelNames.Distinct().Order(StringComparer.Ordinal).ToArray();
        if (names.Length == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(
            "SELECT pg_advisory_xact_lock_shared(@class, hashtext(m)) FROM unnest(@models) WITH ORDINALITY AS u(m, n) ORDER BY n", connection);
        command.Parameters.AddWithValue("class", LockClass);
        command.Parameters.AddWithValue("models", names);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task LockExclusiveAsync(NpgsqlConnection connection, string modelName, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@class, hashtext(@model))", connection);
        command.Parameters.AddWithValue("class", LockClass);
        command.Parameters.AddWithValue("model", modelName);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
