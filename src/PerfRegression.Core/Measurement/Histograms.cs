using HdrHistogram;
using HdrHistogram.Utilities;

namespace PerfRegression.Measurement;

/// <summary>Histogram conventions shared by recording, reporting and (de)serialisation.</summary>
internal static class Histograms
{
    /// <summary>Values are recorded in microseconds, from 1 µs to one hour.</summary>
    public const long HighestTrackableMicroseconds = 3_600_000_000;

    public static LongHistogram Create(int significantDigits) => new(HighestTrackableMicroseconds, significantDigits);

    public static long Clamp(long microseconds) => microseconds < 1 ? 1 : microseconds > HighestTrackableMicroseconds ? HighestTrackableMicroseconds : microseconds;

    public static string Encode(HistogramBase histogram)
    {
        var buffer = ByteBuffer.Allocate(histogram.GetNeededByteBufferCapacity());
        var length = HistogramEncoding.EncodeIntoCompressedByteBuffer(histogram, buffer);
        var bytes = new byte[length];
        buffer.Position = 0;
        for (var i = 0; i < length; i++)
        {
            bytes[i] = buffer.Get();
        }

        return Convert.ToBase64String(bytes);
    }

    public static HistogramBase Decode(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        var buffer = ByteBuffer.Allocate(bytes);
        return HistogramEncoding.DecodeFromCompressedByteBuffer(buffer, 0);
    }
}
