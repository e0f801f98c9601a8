using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;

namespace ConsumerApi.Benchmarks;

/// <summary>A plain BenchmarkDotNet class: a hot function of the app, hashing a kilobyte.</summary>
public class HashingBenchmarks
{
    private readonly byte[] _data = new byte[1024];

    /// <summary>SHA-256 of one kilobyte.</summary>
    [Benchmark]
    public byte[] Sha256() => SHA256.HashData(_data);
}
