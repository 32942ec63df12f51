using SkiaSharp;

namespace Recognition.Web.Features.Claims;

/// <summary>
/// Every uploaded photo is decoded and encoded again before it is stored: what comes out is pixels only — no EXIF
/// (GPS position, camera serial, time), no comments, nothing smuggled after the image data. The camera's orientation
/// is applied first, so the picture stands the way it was taken; very large photos are scaled to 2048 px on the long side.
/// PNG stays PNG (screenshots, transparency); everything else becomes JPEG.
/// The pixel size is read from the header before anything is decoded: a small file can describe a huge image (a 420 KB PNG
/// of 12000×12000 decodes to 576 MB), so images over <see cref="MaxPixels"/> are refused unread, and large ones are
/// decoded straight to about the stored size (JPEG and WebP scale in the decoder; others row by row, averaging blocks).
/// </summary>
public static class PhotoCleaner
{
    public const int MaxSide = 2048;

    /// <summary>40 megapixels: more than any phone camera takes (a 48 MP sensor saves 12 MP by default).</summary>
    public const long MaxPixels = 40_000_000;

    public const string NotImage = "Error.PhotoNotImage";
    public const string TooManyPixels = "Error.PhotoTooManyPixels";

    /// <summary>The cleaned photo, or the reason (a resource key; <see cref="TooManyPixels"/> takes the limit in megapixels).</summary>
    public static (Photo? Photo, string? Error) Clean(byte[] bytes)
    {
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        if (codec is null || codec.Info.Width <= 0 || codec.Info.Height <= 0) return (null, NotImage);
        if ((long)codec.Info.Width * codec.Info.Height > MaxPixels) return (null, TooManyPixels);
        using var decoded = Decode(codec);
        if (decoded is null) return (null, NotImage);
        using var turned = codec.EncodedOrigin == SKEncodedOrigin.TopLeft ? null : Orient(decoded, codec.EncodedOrigin);
        var upright = turned ?? decoded;
        var scale = Math.Min(1.0, (double)MaxSide / Math.Max(upright.Width, upright.Height));
        using var sized = scale < 1.0
            ? upright.Resize(new SKImageInfo(Math.Max(1, (int)(upright.Width * scale)), Math.Max(1, (int)(upright.Height * scale))), new SKSamplingOptions(SKCubicResampler.Mitchell))
            : null;
        if (scale < 1.0 && sized is null) return (null, NotImage);
        var png = codec.EncodedFormat == SKEncodedImageFormat.Png;
        using var image = SKImage.FromBitmap(sized ?? upright);
        using var encoded = image.Encode(png ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg, 85);
        return encoded is null ? (null, NotImage) : (new Photo(encoded.ToArray(), png ? "image/png" : "image/jpeg"), null);
    }

    /// <summary>The image at its own size when that is at most <see cref="MaxSide"/>, otherwise at a size no smaller than it.</summary>
    private static SKBitmap? Decode(SKCodec codec)
    {
        var (w, h) = (codec.Info.Width, codec.Info.Height);
        var rgba = new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul);
        var longest = Math.Max(w, h);
        if (longest <= MaxSide) return SKBitmap.Decode(codec, rgba);
        // The decoder's own scaling (JPEG: eighths) when it reaches a size still at least MaxSide.
        var scaled = codec.GetScaledDimensions((float)MaxSide / longest);
        if (Math.Max(scaled.Width, scaled.Height) >= MaxSide && scaled.Width < w)
        {
            return SKBitmap.Decode(codec, new SKImageInfo(scaled.Width, scaled.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        }
        return DecodeInBlocks(codec, rgba, longest / MaxSide);
    }

    /// <summary>Decodes row by row, averaging each block×block square into one pixel: only one block of rows is held at a time.</summary>
    private static SKBitmap? DecodeInBlocks(SKCodec codec, SKImageInfo rgba, int block)
    {
        if (codec.StartScanlineDecode(rgba) != SKCodecResult.Success || codec.ScanlineOrder != SKCodecScanlineOrder.TopDown)
        {
            return SKBitmap.Decode(codec, rgba); // interlaced: whole, within MaxPixels
        }
        var (ow, oh) = (rgba.Width / block, rgba.Height / block);
        var result = new SKBitmap(new SKImageInfo(ow, oh, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var band = new SKBitmap(new SKImageInfo(rgba.Width, block, SKColorType.Rgba8888, SKAlphaType.Premul));
        var sums = new long[ow * 4];
        var output = new byte[result.RowBytes];
        var divisor = block * block;
        for (var y = 0; y < oh; y++)
        {
            if (codec.GetScanlines(band.GetPixels(), block, band.RowBytes) < block) break;
            var rows = band.GetPixelSpan();
            Array.Clear(sums);
            for (var r = 0; r < block; r++)
            {
                var row = rows.Slice(r * band.RowBytes, ow * block * 4);
                for (var i = 0; i < row.Length; i++) sums[(i / (block * 4)) * 4 + (i & 3)] += row[i];
            }
            for (var i = 0; i < sums.Length; i++) output[i] = (byte)(sums[i] / divisor);
            System.Runtime.InteropServices.Marshal.Copy(output, 0, result.GetPixels() + y * result.RowBytes, sums.Length);
        }
        return result;
    }

    private static SKBitmap Orient(SKBitmap source, SKEncodedOrigin origin)
    {
        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var result = new SKBitmap(swap ? source.Height : source.Width, swap ? source.Width : source.Height);
        using var canvas = new SKCanvas(result);
        float w = result.Width, h = result.Height;
        // Where each source pixel (x, y) lands: x' = a·x + b·y + c, y' = d·x + e·y + f (EXIF orientations 2–8).
        var (a, b, c, d, e, f) = origin switch
        {
            SKEncodedOrigin.TopRight => (-1f, 0f, w, 0f, 1f, 0f),
            SKEncodedOrigin.BottomRight => (-1f, 0f, w, 0f, -1f, h),
            SKEncodedOrigin.BottomLeft => (1f, 0f, 0f, 0f, -1f, h),
            SKEncodedOrigin.LeftTop => (0f, 1f, 0f, 1f, 0f, 0f),
            SKEncodedOrigin.RightTop => (0f, -1f, w, 1f, 0f, 0f),
            SKEncodedOrigin.RightBottom => (0f, -1f, w, -1f, 0f, h),
            _ => (0f, 1f, 0f, -1f, 0f, h), // LeftBottom
        };
        canvas.SetMatrix(new SKMatrix(a, b, c, d, e, f, 0, 0, 1));
        using var image = SKImage.FromBitmap(source);
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear), null);
        return result;
    }
}
