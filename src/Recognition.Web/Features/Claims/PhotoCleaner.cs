using SkiaSharp;

namespace Recognition.Web.Features.Claims;

/// <summary>
/// Every uploaded photo is decoded and encoded again before it is stored: what comes out is pixels only — no EXIF
/// (GPS position, camera serial, time), no comments, nothing smuggled after the image data. The camera's orientation
/// is applied first, so the picture stands the way it was taken; very large photos are scaled to 2048 px on the long side.
/// PNG stays PNG (screenshots, transparency); everything else becomes JPEG.
/// </summary>
public static class PhotoCleaner
{
    public const int MaxSide = 2048;

    /// <summary>The cleaned photo, or null when the bytes are not an image Skia can read.</summary>
    public static Photo? Clean(byte[] bytes)
    {
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        if (codec is null) return null;
        using var decoded = SKBitmap.Decode(codec);
        if (decoded is null) return null;
        using var upright = Orient(decoded, codec.EncodedOrigin);
        var scale = Math.Min(1.0, (double)MaxSide / Math.Max(upright.Width, upright.Height));
        using var sized = scale < 1.0
            ? upright.Resize(new SKImageInfo(Math.Max(1, (int)(upright.Width * scale)), Math.Max(1, (int)(upright.Height * scale))), new SKSamplingOptions(SKCubicResampler.Mitchell))
            : upright.Copy();
        if (sized is null) return null;
        var png = codec.EncodedFormat == SKEncodedImageFormat.Png;
        using var image = SKImage.FromBitmap(sized);
        using var encoded = image.Encode(png ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg, 85);
        return encoded is null ? null : new Photo(encoded.ToArray(), png ? "image/png" : "image/jpeg");
    }

    private static SKBitmap Orient(SKBitmap source, SKEncodedOrigin origin)
    {
        if (origin == SKEncodedOrigin.TopLeft) return source.Copy();
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
