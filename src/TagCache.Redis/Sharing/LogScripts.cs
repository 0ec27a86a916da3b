namespace TagCache.Redis.Sharing;

/// <summary>
/// The log's operations, each one Lua script: Redis runs a script atomically, so a reader sees an append whole or not at
/// all, and sequence order (one counter, incremented inside the script) is commit order. Entries are stream ids
/// <c>0-sequence</c>, so a catch-up reads after the last sequence it applied with one exclusive range. A log whose identity
/// key is missing (flushed, evicted, a server restarted without persistence) is started afresh under a new identity, and
/// the identity a node sees includes the server's run id, so a restart or a failover (which may have lost acknowledged
/// writes) reads as a new log: every node invalidates its whole cache rather than trust what it applied before.
/// </summary>
internal static class LogScripts
{
    // KEYS: id, seq, log, pruned. ARGV[1]: an identity to use if the log has none. Leaves the log's identity in `id`.
    private const string EnsureLog = """
        local id = redis.call('GET', KEYS[1])
        if not id then
          id = ARGV[1]
          redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
          redis.call('SET', KEYS[1], id)
        end
        local run = string.match(redis.call('INFO', 'server'), 'run_id:(%w+)')
        """;

    /// <summary>KEYS: id, seq, log, pruned. ARGV: new identity, cache, writer, channel, tags…; returns the last sequence given.</summary>
    public const string Append = EnsureLog + """

        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local count = #ARGV - 4
        local last = redis.call('INCRBY', KEYS[2], count)
        local first = last - count + 1
        for i = 1, count do
          redis.call('XADD', KEYS[3], '0-' .. (first + i - 1), 'c', ARGV[2], 't', ARGV[4 + i], 'at', now)
        end
        redis.call('PUBLISH', ARGV[4], last .. ' ' .. ARGV[3])
        return last
        """;

    /// <summary>KEYS: id, seq, log, pruned. ARGV: new identity, after, limit; returns {id, run, pruned, head, entries}.</summary>
    public const string ReadAfter = EnsureLog + """

        local pruned = tonumber(redis.call('GET', KEYS[4]) or '0')
        local head = tonumber(redis.call('GET', KEYS[2]) or '0')
        local entries = redis.call('XRANGE', KEYS[3], '(0-' .. ARGV[2], '+', 'COUNT', ARGV[3])
        return {id, run, pruned, head, entries}
        """;

    /// <summary>
    /// KEYS: id, seq, log, pruned. ARGV: new identity, retention in ms, batch; trims the entries older than the retention (a
    /// prefix by sequence) and returns the new pruning point, or nothing.
    /// </summary>
    public const string Prune = EnsureLog + """

        local t = redis.call('TIME')
        local cutoff = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(ARGV[2])
        local entries = redis.call('XRANGE', KEYS[3], '-', '+', 'COUNT', ARGV[3])
        local last = nil
        for _, entry in ipairs(entries) do
          local fields = entry[2]
          local at = nil
          for i = 1, #fields, 2 do
            if fields[i] == 'at' then at = tonumber(fields[i + 1]) end
          end
          if at == nil or at >= cutoff then break end
          last = tonumber(string.sub(entry[1], 3))
        end
        if last == nil then return false end
        redis.call('XTRIM', KEYS[3], 'MINID', '0-' .. (last + 1))
        local pruned = tonumber(redis.call('GET', KEYS[4]) or '0')
        if last > pruned then redis.call('SET', KEYS[4], last) end
        return last
        """;
}
