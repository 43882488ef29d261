namespace TeamTalk.Orleans.Data.Messages;

/// <summary>A writer's compare-and-set of its conversation's watermark: from <see cref="Expected"/> to <see cref="Last"/>.</summary>
public readonly record struct WatermarkMove(WriterKey Writer, uint Expected, uint Last);
