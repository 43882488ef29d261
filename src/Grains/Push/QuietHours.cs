namespace TeamTalk.Orleans.Grains.Push;

/// <summary>The push shield's night (behaviour.md 3.9: 22:00 to 07:59 local time): a shielded user gets no push then.</summary>
public static class QuietHours
{
    /// <summary>True when <paramref name="local"/>'s time of day lies in [<paramref name="from"/>, <paramref name="until"/>), across midnight when from &gt; until.</summary>
    public static bool Contains(DateTimeOffset local, TimeSpan from, TimeSpan until)
    {
        var t = local.TimeOfDay;
        return from <= until ? t >= from && t < until : t >= from || t < until;
    }
}
