using System.Globalization;
using System.Numerics;
using System.Reflection;
using TagCache.Core.Tests.Stores;
using TagCache.Templates;

namespace TagCache.Core.Tests.Templates;

/// <summary>
/// The lookup by argument values must agree with the formatted key: two values are one key exactly when the key writes
/// them alike. Values of every type the key formatter accepts are generated (edge cases and random ones, from a fixed seed),
/// in several time zones, including local times in the hour a daylight-saving change repeats, and every pair is compared
/// both ways.
/// </summary>
[TestClass]
public sealed class KeyEqualityPropertyTests
{
    private const int Seed = 20_261_205;
    private const int RandomValuesPerType = 150;

    // Zones whose rules differ in every way that shows in a local time's text: none, a one-hour change either way, a
    // half-hour change, negative daylight saving (Dublin), offsets with minutes, and a southern-hemisphere change.
    private static readonly string[] Zones =
    [
        "UTC", "America/New_York", "Europe/London", "Europe/Dublin", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Chatham",
        "America/Sao_Paulo", "America/St_Johns",
    ];

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void ScalarTypes_EveryTypeTheFormatterAccepts_HasAGenerator()
    {
        var missing = ScalarTypes.All.Where(t => !Generators.ContainsKey(t)).ToList();

        Assert.IsEmpty(missing, "No generator for: " + string.Join(", ", missing));
    }

    [TestMethod]
    [DoNotParallelize]
    public void Equal_EveryPairOfEveryTypeInEveryZone_AgreesWithKeyText()
    {
        // TimeZoneInfo.Local is process-wide: this test runs alone (DoNotParallelize) and puts the zone back.
        var original = Environment.GetEnvironmentVariable("TZ");
        var pairs = 0L;
        var zones = 0;
        try
        {
            foreach (var zone in Zones)
            {
                Environment.SetEnvironmentVariable("TZ", zone);
                TimeZoneInfo.ClearCachedData();
                Assert.AreEqual(zone, TimeZoneInfo.Local.Id, $"The time zone {zone} is not installed here (Debian: apt-get install tzdata).");
                zones++;
                pairs += CheckEveryType(new Random(Seed));
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("TZ", original);
            TimeZoneInfo.ClearCachedData();
        }

        TestContext.WriteLine($"{Generators.Count} types (and their nullable forms) x up to {RandomValuesPerType} random values plus edge cases x {zones} zones: {pairs:N0} pairs compared");
        Assert.AreEqual(Zones.Length, zones);
    }

    [TestMethod]
    public void Equal_LocalTimesInTheRepeatedHour_AreDifferentKeysAsTheirTextsAre()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var edt = TimeZoneInfo.ConvertTimeFromUtc(new DateTime(2024, 11, 3, 5, 30, 0, DateTimeKind.Utc), zone);
        var est = TimeZoneInfo.ConvertTimeFromUtc(new DateTime(2024, 11, 3, 6, 30, 0, DateTimeKind.Utc), zone);
        var equality = ArgumentEquality.TryCreate(typeof(DateTime))!;

        // Same wall clock and kind (Unspecified here: the zone is not the machine's), so one key, as their texts are.
        Assert.AreEqual(edt.Ticks, est.Ticks);
        Assert.IsTrue(equality.Equal(edt, est));

        // Made local, the repeated hour keeps which occurrence each is, and "O" writes it.
        var original = Environment.GetEnvironmentVariable("TZ");
        try
        {
            Environment.SetEnvironmentVariable("TZ", "America/New_York");
            TimeZoneInfo.ClearCachedData();
            var first = new DateTime(2024, 11, 3, 5, 30, 0, DateTimeKind.Utc).ToLocalTime();
            var second = new DateTime(2024, 11, 3, 6, 30, 0, DateTimeKind.Utc).ToLocalTime();
            Assert.AreEqual(first.Ticks, second.Ticks);
            Assert.AreEqual(first.Kind, second.Kind);
            Assert.AreNotEqual(first.ToString("O", CultureInfo.InvariantCulture), second.ToString("O", CultureInfo.InvariantCulture));
            Assert.IsFalse(equality.Equal(first, second));
        }
        finally
        {
            Environment.SetEnvironmentVariable("TZ", original);
            TimeZoneInfo.ClearCachedData();
        }
    }

    private static long CheckEveryType(Random random)
    {
        var pairs = 0L;
        foreach (var (type, generate) in Generators)
        {
            // No Distinct(): Equals would merge exactly the values the key tells apart (0.0 and -0.0, 1.0m and 1.00m, kinds).
            var values = generate(random).ToList();
            pairs += CheckPairs(type, values);
            if (type.IsValueType)
            {
                pairs += CheckPairs(typeof(Nullable<>).MakeGenericType(type), [null, .. values.Take(20)]);
            }
        }

        foreach (var enumType in new[] { typeof(DayOfWeek), typeof(FileAttributes), typeof(SignedFlags) })
        {
            var underlying = Enum.GetUnderlyingType(enumType);
            var values = Generators[underlying](random).Take(40).Select(v => Enum.ToObject(enumType, v!)).Concat(Enum.GetValues(enumType).Cast<object>()).ToList();
            pairs += CheckPairs(enumType, [.. values.Cast<object?>()]);
        }

        return pairs;
    }

    private static long CheckPairs(Type type, IReadOnlyList<object?> values)
    {
        var equality = ArgumentEquality.TryCreate(type) ?? throw new AssertFailedException($"{type} has no argument equality");
        var method = typeof(Single<>).MakeGenericType(type).GetMethod("Get")!;
        var template = TemplateCompiler.CompileDefaultKey(method, "Shop.Target");
        var texts = values.Select(v => template.Format([v])).ToArray();
        var hashes = values.Select(equality.Hash).ToArray();
        for (var i = 0; i < values.Count; i++)
        {
            for (var j = 0; j < values.Count; j++)
            {
                var sameText = texts[i] == texts[j];
                if (equality.Equal(values[i], values[j]) != sameText)
                {
                    Assert.Fail($"{type.Name} in {TimeZoneInfo.Local.Id}: {Show(values[i])} and {Show(values[j])} are written {texts[i]} and {texts[j]}, but the lookup by values says they are {(sameText ? "different" : "the same")} keys");
                }

                if (sameText && hashes[i] != hashes[j])
                {
                    Assert.Fail($"{type.Name} in {TimeZoneInfo.Local.Id}: {texts[i]} hashes to {hashes[i]} and {hashes[j]}");
                }
            }
        }

        return (long)values.Count * values.Count;
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        DateTime d => $"{d:O} ({d.Kind}, ticks {d.Ticks}, binary {d.ToBinary()})",
        double d => $"{d:R} (bits {BitConverter.DoubleToInt64Bits(d):X})",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "?",
    };

    private static readonly Dictionary<Type, Func<Random, IEnumerable<object?>>> Generators = new()
    {
        [typeof(string)] = r => [null, string.Empty, "\u2205", "null", "|", "\\", "\\|", "a|b", "a\\", "[", "]", ",", "\"\"", "e\u0301", "\u00e9", "\uD83D\uDE00", "\uD83D", " ", .. Many(r, () => RandomString(r))],
        [typeof(char)] = r => ['a', 'A', '|', '\\', '\u2205', '\0', '\uD83D', .. Many(r, () => (char)r.Next(0, 0x2300))],
        [typeof(bool)] = _ => [true, false],
        [typeof(byte)] = r => Ints(r, n => (byte)n),
        [typeof(sbyte)] = r => Ints(r, n => (sbyte)n),
        [typeof(short)] = r => Ints(r, n => (short)n),
        [typeof(ushort)] = r => Ints(r, n => (ushort)n),
        [typeof(int)] = r => [int.MinValue, int.MaxValue, .. Ints(r, n => (int)n)],
        [typeof(uint)] = r => [uint.MaxValue, .. Ints(r, n => (uint)n)],
        [typeof(long)] = r => [long.MinValue, long.MaxValue, .. Ints(r, n => n)],
        [typeof(ulong)] = r => [ulong.MaxValue, .. Ints(r, n => (ulong)n)],
        [typeof(nint)] = r => [nint.MinValue, nint.MaxValue, .. Ints(r, n => (nint)n)],
        [typeof(nuint)] = r => [nuint.MaxValue, .. Ints(r, n => (nuint)n)],
        [typeof(Int128)] = r => [Int128.MinValue, Int128.MaxValue, .. Ints(r, n => (Int128)n * n)],
        [typeof(UInt128)] = r => [UInt128.MaxValue, .. Ints(r, n => (UInt128)(ulong)n * 3)],
        [typeof(BigInteger)] = r => [BigInteger.Pow(10, 40), -BigInteger.Pow(10, 40), .. Ints(r, n => (BigInteger)n)],
        [typeof(Half)] = r => [Half.NaN, -Half.NaN, Half.PositiveInfinity, Half.NegativeInfinity, (Half)0, -(Half)0, Half.Epsilon, .. Many(r, () => BitConverter.Int16BitsToHalf((short)r.Next()))],
        [typeof(float)] = r => [float.NaN, -float.NaN, BitConverter.Int32BitsToSingle(0x7F800001), 0f, -0f, float.Epsilon, 0.1f, .. Many(r, () => BitConverter.Int32BitsToSingle(r.Next(int.MinValue, int.MaxValue)))],
        [typeof(double)] = r => [double.NaN, -double.NaN, BitConverter.Int64BitsToDouble(0x7FF0_0000_0000_0001), 0.0, -0.0, double.Epsilon, 0.1 + 0.2, 0.3, .. Many(r, () => BitConverter.Int64BitsToDouble(r.NextInt64(long.MinValue, long.MaxValue))), .. Many(r, () => (double)r.Next(-3, 3))],
        [typeof(decimal)] = r => [decimal.MaxValue, decimal.MinValue, .. Many(r, () => new decimal(r.Next(0, 3), 0, 0, r.Next(2) == 0, (byte)r.Next(0, 29))), .. Many(r, () => new decimal(r.Next(), r.Next(), r.Next(), r.Next(2) == 0, (byte)r.Next(0, 29)))],
        [typeof(Guid)] = r => [Guid.Empty, .. Many(r, () => new Guid(r.Next(0, 4), 0, 0, [0, 0, 0, 0, 0, 0, 0, 0])), .. Many(r, () => RandomGuid(r))],
        [typeof(DateTime)] = r => DateTimes(r),
        [typeof(DateTimeOffset)] = r => [DateTimeOffset.MinValue, DateTimeOffset.MaxValue, .. DateTimes(r).Cast<DateTime>().Where(d => d.Year is > 1 and < 9999).SelectMany(d => new object?[] { new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Unspecified), TimeSpan.Zero), new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Unspecified), TimeSpan.FromMinutes((r.Next(-13, 14) * 60) + (r.Next(2) * 45))) }).Take(RandomValuesPerType)],
        [typeof(DateOnly)] = r => [DateOnly.MinValue, DateOnly.MaxValue, .. Many(r, () => DateOnly.FromDayNumber(r.Next(738_000, 738_010)))],
        [typeof(TimeOnly)] = r => [TimeOnly.MinValue, TimeOnly.MaxValue, .. Many(r, () => new TimeOnly(r.NextInt64(0, 3) * TimeSpan.TicksPerSecond + r.Next(0, 2)))],
        [typeof(TimeSpan)] = r => [TimeSpan.MinValue, TimeSpan.MaxValue, .. Many(r, () => TimeSpan.FromTicks(r.NextInt64(-3, 3) * TimeSpan.TicksPerHour + r.Next(-1, 2)))],
    };

    /// <summary>
    /// Dates of every kind, and around each change of the local zone's offset (two years scanned): local times made from UTC
    /// instants every quarter hour, so the repeated hour appears twice with the same ticks, as well as the same ticks as
    /// local without the zone's help, unspecified and UTC.
    /// </summary>
    private static IEnumerable<object?> DateTimes(Random random)
    {
        yield return DateTime.MinValue;
        yield return DateTime.MaxValue;
        yield return DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Local);
        var local = TimeZoneInfo.Local;
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var previous = local.GetUtcOffset(start);
        for (var utc = start; utc < start.AddYears(2); utc = utc.AddMinutes(30))
        {
            var offset = local.GetUtcOffset(utc);
            if (offset == previous)
            {
                continue;
            }

            previous = offset;
            for (var minutes = -150; minutes <= 150; minutes += 15)
            {
                var instant = utc.AddMinutes(minutes);
                var made = TimeZoneInfo.ConvertTimeFromUtc(instant, local);
                yield return made;
                yield return instant.ToLocalTime();
                yield return DateTime.SpecifyKind(made, DateTimeKind.Local);
                yield return DateTime.SpecifyKind(made, DateTimeKind.Unspecified);
                yield return DateTime.SpecifyKind(made, DateTimeKind.Utc);
            }
        }

        for (var i = 0; i < RandomValuesPerType / 3; i++)
        {
            var ticks = start.Ticks + (random.NextInt64(0, 4) * TimeSpan.TicksPerHour) + random.Next(0, 2);
            yield return new DateTime(ticks, (DateTimeKind)random.Next(0, 3));
        }
    }

    private static IEnumerable<object?> Ints(Random random, Func<long, object> make) =>
        [make(0), make(1), make(-1), .. Many(random, () => make(random.Next(-5, 6))), .. Many(random, () => make(random.NextInt64()))];

    private static IEnumerable<object?> Many(Random random, Func<object?> make) => Enumerable.Range(0, RandomValuesPerType / 2).Select(_ => make());

    private static Guid RandomGuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }

    private static string RandomString(Random random)
    {
        const string Alphabet = "ab|\\[],\"\u2205 \u0301e\uD83D\uDE00";
        var length = random.Next(0, 5);
        return string.Create(length, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[r.Next(Alphabet.Length)];
            }
        });
    }

    [Flags]
    private enum SignedFlags : sbyte
    {
        None = 0,
        A = 1,
        B = 2,
        Negative = -128,
    }
}
