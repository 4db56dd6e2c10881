//! Which links are embeds: a link to YouTube, X, Facebook, Instagram, TikTok, Vimeo,
//! SoundCloud, Spotify, Google Maps or OpenStreetMap becomes the address of the provider's
//! own iframe player (YouTube through youtube-nocookie.com, Vimeo and X with do-not-track),
//! so no provider script is ever needed. Links of any other shape — profiles, short links
//! that would need a request to resolve, unknown hosts — are not embeds and stay plain links.
//! Only ids made of letters, digits, `-` and `_` are copied into a player URL.

use percent_encoding::percent_decode_str;

use super::links::{WebLink, encode_component, is_plain_id, parse_seconds};

/// The services qissa can embed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    YouTube,
    X,
    Facebook,
    Instagram,
    TikTok,
    Vimeo,
    SoundCloud,
    Spotify,
    GoogleMaps,
    OpenStreetMap,
}

/// What the player shows, which decides its labels and its shape on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Video,
    /// A phone-shaped video (YouTube shorts, TikTok, Instagram reels).
    Vertical,
    Post,
    Audio,
    Map,
}

/// A recognised embed: who plays it, what it is, and the player's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embed {
    pub provider: Provider,
    pub kind: Kind,
    /// The iframe `src`, loaded only when the reader asks for it.
    pub player: String,
}

impl Provider {
    /// Every provider, for the list of choices in errors.
    pub const ALL: [Provider; 10] = [
        Provider::YouTube,
        Provider::X,
        Provider::Facebook,
        Provider::Instagram,
        Provider::TikTok,
        Provider::Vimeo,
        Provider::SoundCloud,
        Provider::Spotify,
        Provider::GoogleMaps,
        Provider::OpenStreetMap,
    ];

    /// A stable ASCII name, for classes and data attributes.
    pub fn slug(self) -> &'static str {
        match self {
            Provider::YouTube => "youtube",
            Provider::X => "x",
            Provider::Facebook => "facebook",
            Provider::Instagram => "instagram",
            Provider::TikTok => "tiktok",
            Provider::Vimeo => "vimeo",
            Provider::SoundCloud => "soundcloud",
            Provider::Spotify => "spotify",
            Provider::GoogleMaps => "google-maps",
            Provider::OpenStreetMap => "openstreetmap",
        }
    }

    /// The name readers know, in Arabic.
    pub fn arabic_name(self) -> &'static str {
        match self {
            Provider::YouTube => "يوتيوب",
            Provider::X => "إكس",
            Provider::Facebook => "فيسبوك",
            Provider::Instagram => "إنستغرام",
            Provider::TikTok => "تيك توك",
            Provider::Vimeo => "فيميو",
            Provider::SoundCloud => "ساوند كلاود",
            Provider::Spotify => "سبوتيفاي",
            Provider::GoogleMaps => "خرائط جوجل",
            Provider::OpenStreetMap => "أوبن ستريت ماب",
        }
    }
}

/// Recognises one provider's links: the link taken apart, as written, and a start time.
type Detector = fn(&WebLink, &str, Option<u32>) -> Option<Embed>;

/// The embed for `url`, if it is a link to a known provider's video, post, track or place.
/// `start` (seconds) overrides a start time in the link; only videos use it.
pub fn detect(url: &str, start: Option<u32>) -> Option<Embed> {
    let link = WebLink::parse(url)?;
    let detectors: [Detector; 10] = [
        youtube,
        x_post,
        facebook,
        instagram,
        tiktok,
        vimeo,
        soundcloud,
        spotify,
        google_maps,
        openstreetmap,
    ];
    detectors.iter().find_map(|d| d(&link, url.trim(), start))
}

fn embed(provider: Provider, kind: Kind, player: String) -> Option<Embed> {
    Some(Embed {
        provider,
        kind,
        player,
    })
}

fn youtube(link: &WebLink, _: &str, start: Option<u32>) -> Option<Embed> {
    let (id, kind) = if link.host == "youtu.be" {
        (link.segment(0)?, Kind::Video)
    } else if link.is_on("youtube.com") || link.is_on("youtube-nocookie.com") {
        match link.segment(0)? {
            "watch" => (link.param("v")?, Kind::Video),
            "shorts" => (link.segment(1)?, Kind::Vertical),
            "embed" | "live" | "v" => (link.segment(1)?, Kind::Video),
            _ => return None,
        }
    } else {
        return None;
    };
    if !is_plain_id(id) {
        return None;
    }
    let start = start.or_else(|| {
        let written = link.param("t").or_else(|| link.param("start"))?;
        parse_seconds(written)
    });
    let mut player = format!("https://www.youtube-nocookie.com/embed/{id}?");
    if let Some(s) = start.filter(|s| *s > 0) {
        player.push_str(&format!("start={s}&"));
    }
    player.push_str("autoplay=1");
    embed(Provider::YouTube, kind, player)
}

fn x_post(link: &WebLink, _: &str, _: Option<u32>) -> Option<Embed> {
    if !(link.is_on("x.com") || link.is_on("twitter.com")) {
        return None;
    }
    let at = link.segments.iter().position(|s| s == "status")?;
    let id = link.segment(at + 1)?;
    if !id.chars().all(|c| c.is_ascii_digit()) || id.is_empty() {
        return None;
    }
    let player = format!("https://platform.twitter.com/embed/Tweet.html?id={id}&dnt=true&lang=ar");
    embed(Provider::X, Kind::Post, player)
}

fn facebook(link: &WebLink, url: &str, _: Option<u32>) -> Option<Embed> {
    let video_host = link.host == "fb.watch";
    if !(link.is_on("facebook.com") || video_host) || link.segments.is_empty() {
        return None;
    }
    let is = |names: &[&str]| link.segments.iter().any(|s| names.contains(&s.as_str()));
    let video = video_host
        || is(&["videos", "watch", "reel"])
        || link.segments[0] == "share" && link.segment(1) == Some("v");
    let post = is(&[
        "posts",
        "permalink.php",
        "story.php",
        "photo.php",
        "photo",
        "photos",
        "share",
    ]);
    let plugin = match (video, post) {
        (true, _) => "video",
        (false, true) => "post",
        _ => return None,
    };
    let player = format!(
        "https://www.facebook.com/plugins/{plugin}.php?href={}&show_text=true",
        encode_component(url)
    );
    let kind = if video { Kind::Video } else { Kind::Post };
    embed(Provider::Facebook, kind, player)
}

fn instagram(link: &WebLink, _: &str, _: Option<u32>) -> Option<Embed> {
    if !link.is_on("instagram.com") {
        return None;
    }
    let at = link
        .segments
        .iter()
        .position(|s| matches!(s.as_str(), "p" | "reel" | "reels" | "tv"))?;
    let id = link.segment(at + 1).filter(|id| is_plain_id(id))?;
    let (path, kind) = match link.segments[at].as_str() {
        "p" | "tv" => ("p", Kind::Post),
        _ => ("reel", Kind::Vertical),
    };
    let player = format!("https://www.instagram.com/{path}/{id}/embed/");
    embed(Provider::Instagram, kind, player)
}

fn tiktok(link: &WebLink, _: &str, _: Option<u32>) -> Option<Embed> {
    if !link.is_on("tiktok.com") {
        return None;
    }
    let at = link.segments.iter().position(|s| s == "video")?;
    let id = link.segment(at + 1)?;
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let player = format!("https://www.tiktok.com/embed/v2/{id}");
    embed(Provider::TikTok, Kind::Vertical, player)
}

fn vimeo(link: &WebLink, _: &str, start: Option<u32>) -> Option<Embed> {
    if !link.is_on("vimeo.com") {
        return None;
    }
    let numeric = |s: &&String| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let at = link.segments.iter().position(|s| numeric(&s))?;
    let id = &link.segments[at];
    let mut player = format!("https://player.vimeo.com/video/{id}?dnt=1&autoplay=1");
    let hash = link
        .param("h")
        .or_else(|| link.segment(at + 1))
        .filter(|h| is_plain_id(h));
    if let Some(h) = hash {
        player.push_str(&format!("&h={h}"));
    }
    let start = start.or_else(|| parse_seconds(link.fragment.strip_prefix("t=")?));
    if let Some(s) = start.filter(|s| *s > 0) {
        player.push_str(&format!("#t={s}s"));
    }
    embed(Provider::Vimeo, Kind::Video, player)
}

fn soundcloud(link: &WebLink, _: &str, _: Option<u32>) -> Option<Embed> {
    if link.host != "soundcloud.com" || !(2..=3).contains(&link.segments.len()) {
        return None;
    }
    if !link.segments.iter().all(|s| is_plain_id(s)) {
        return None;
    }
    let track = format!("https://soundcloud.com/{}", link.segments.join("/"));
    let player = format!(
        "https://w.soundcloud.com/player/?url={}",
        encode_component(&track)
    );
    embed(Provider::SoundCloud, Kind::Audio, player)
}

fn spotify(link: &WebLink, _: &str, _: Option<u32>) -> Option<Embed> {
    if link.host != "open.spotify.com" {
        return None;
    }
    let skip = usize::from(link.segment(0)?.starts_with("intl-"));
    let kind = link.segment(skip)?;
    let id = link.segment(skip + 1).filter(|id| is_plain_id(id))?;
    if !["track", "album", "playlist", "episode", "show", "artist"].contains(&kind) {
        return None;
    }
    let player = format!("https://open.spotify.com/embed/{kind}/{id}");
    embed(Provider::Spotify, Kind::Audio, player)
}

fn google_maps(link: &WebLink, _: &str, _: Option<u32>) -> Option<Embed> {
    let on_google = link.host.starts_with("google.") || link.host == "maps.google.com";
    let maps_path = link.host == "maps.google.com" || link.segment(0) == Some("maps");
    if !on_google || !maps_path {
        return None;
    }
    let rest: Vec<&str> = link
        .segments
        .iter()
        .skip_while(|s| *s == "maps")
        .map(String::as_str)
        .collect();
    let at = rest.iter().find_map(|s| s.strip_prefix('@'));
    let query = link
        .param("q")
        .or_else(|| link.param("query"))
        .map(decode)
        .or_else(|| match rest.first() {
            Some(&"place") | Some(&"search") => rest.get(1).map(|s| decode(s)),
            _ => None,
        })
        .or_else(|| at.map(|a| a.split(',').take(2).collect::<Vec<_>>().join(",")))?;
    let mut player = format!("https://www.google.com/maps?q={}", encode_component(&query));
    let zoom = at.and_then(|a| a.split(',').nth(2)?.strip_suffix('z')?.parse::<f64>().ok());
    if let Some(z) = zoom {
        player.push_str(&format!("&z={}", z.round() as u32));
    }
    player.push_str("&output=embed");
    embed(Provider::GoogleMaps, Kind::Map, player)
}

fn openstreetmap(link: &WebLink, _: &str, _: Option<u32>) -> Option<Embed> {
    if link.host != "openstreetmap.org" {
        return None;
    }
    let view = link.fragment.strip_prefix("map=").map(|m| {
        m.split('/')
            .filter_map(|n| n.split('&').next()?.parse::<f64>().ok())
            .collect::<Vec<f64>>()
    });
    let (zoom, center) = match view.as_deref() {
        Some([z, lat, lon, ..]) => (*z, Some((*lat, *lon))),
        _ => (15.0, None),
    };
    let number = |k: &str| link.param(k)?.parse::<f64>().ok();
    let marker = number("mlat").zip(number("mlon"));
    let (lat, lon) = marker.or(center)?;
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return None;
    }
    let (lat, lon) = marker.unwrap_or((lat, lon));
    let half_width = 360.0 / 2f64.powf(zoom.clamp(1.0, 19.0));
    let half_height = half_width * lat.to_radians().cos() * 0.6;
    let player = format!(
        "https://www.openstreetmap.org/export/embed.html?bbox={:.5}%2C{:.5}%2C{:.5}%2C{:.5}&layer=mapnik&marker={lat:.5}%2C{lon:.5}",
        lon - half_width,
        lat - half_height,
        lon + half_width,
        lat + half_height,
    );
    embed(Provider::OpenStreetMap, Kind::Map, player)
}

/// A query or path value as text: percent-decoded, `+` read as a space.
fn decode(raw: &str) -> String {
    percent_decode_str(&raw.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn player(url: &str) -> String {
        detect(url, None).expect(url).player
    }

    #[test]
    fn youtube_in_every_shape_plays_from_nocookie() {
        for url in [
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtu.be/dQw4w9WgXcQ",
            "https://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ",
            "https://www.youtube.com/embed/dQw4w9WgXcQ",
        ] {
            assert_eq!(
                player(url),
                "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
            );
        }
        let shorts = detect("https://youtube.com/shorts/abc_DEF-12", None).unwrap();
        assert_eq!(shorts.kind, Kind::Vertical);
        assert_eq!(
            player("https://youtu.be/dQw4w9WgXcQ?t=1m30s"),
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=90&autoplay=1"
        );
        assert!(player("https://www.youtube.com/watch?v=x1&start=42").contains("start=42"));
        let explicit = detect("https://youtu.be/x1?t=5", Some(120)).unwrap();
        assert!(explicit.player.contains("start=120"));
        assert!(detect("https://www.youtube.com/@channel", None).is_none());
        assert!(detect("https://www.youtube.com/watch?v=<script>", None).is_none());
    }

    #[test]
    fn x_and_twitter_posts() {
        let want =
            "https://platform.twitter.com/embed/Tweet.html?id=1850000000000000000&dnt=true&lang=ar";
        assert_eq!(
            player("https://x.com/someone/status/1850000000000000000"),
            want
        );
        assert_eq!(
            player("https://twitter.com/someone/status/1850000000000000000?s=20"),
            want
        );
        assert!(detect("https://x.com/someone", None).is_none());
    }

    #[test]
    fn facebook_posts_and_videos() {
        let post = detect("https://www.facebook.com/page/posts/pfbid02abc", None).unwrap();
        assert_eq!(post.kind, Kind::Post);
        assert!(post.player.starts_with(
            "https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww%2Efacebook%2Ecom%2Fpage%2Fposts%2Fpfbid02abc"
        ));
        let video = detect("https://www.facebook.com/page/videos/123456/", None).unwrap();
        assert!(
            video
                .player
                .starts_with("https://www.facebook.com/plugins/video.php?href=")
        );
        assert!(detect("https://fb.watch/abcDEF/", None).is_some());
        assert!(detect("https://www.facebook.com/somepage", None).is_none());
    }

    #[test]
    fn instagram_and_tiktok() {
        assert_eq!(
            player("https://www.instagram.com/p/C1a2B3c4D5e/?igsh=x"),
            "https://www.instagram.com/p/C1a2B3c4D5e/embed/"
        );
        assert_eq!(
            player("https://www.instagram.com/reel/C1a2B3c4D5e/"),
            "https://www.instagram.com/reel/C1a2B3c4D5e/embed/"
        );
        assert_eq!(
            player("https://www.tiktok.com/@someone/video/7312345678901234567"),
            "https://www.tiktok.com/embed/v2/7312345678901234567"
        );
        assert!(detect("https://www.instagram.com/someone/", None).is_none());
        assert!(detect("https://vm.tiktok.com/ZMabc/", None).is_none());
    }

    #[test]
    fn vimeo_soundcloud_and_spotify() {
        assert_eq!(
            player("https://vimeo.com/76979871#t=30s"),
            "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1#t=30s"
        );
        assert!(player("https://vimeo.com/76979871/abc123").contains("&h=abc123"));
        assert_eq!(
            player("https://soundcloud.com/artist-name/track-name"),
            "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud%2Ecom%2Fartist%2Dname%2Ftrack%2Dname"
        );
        assert_eq!(
            player("https://open.spotify.com/intl-ar/episode/4rOoJ6Egrf8K2IrywzwOMk?si=x"),
            "https://open.spotify.com/embed/episode/4rOoJ6Egrf8K2IrywzwOMk"
        );
        assert!(detect("https://soundcloud.com/artist-name", None).is_none());
    }

    #[test]
    fn map_places() {
        assert_eq!(
            player("https://www.google.com/maps/place/Cairo+Tower/@30.0459,31.2243,17z"),
            "https://www.google.com/maps?q=Cairo%20Tower&z=17&output=embed"
        );
        assert_eq!(
            player("https://maps.google.com/?q=30.0459,31.2243"),
            "https://www.google.com/maps?q=30%2E0459%2C31%2E2243&output=embed"
        );
        let osm = player(
            "https://www.openstreetmap.org/?mlat=30.04590&mlon=31.22430#map=16/30.0459/31.2243",
        );
        assert!(
            osm.starts_with("https://www.openstreetmap.org/export/embed.html?bbox="),
            "{osm}"
        );
        assert!(
            osm.ends_with("&layer=mapnik&marker=30.04590%2C31.22430"),
            "{osm}"
        );
        assert!(
            player("https://www.openstreetmap.org/#map=12/31.2001/29.9187")
                .contains("marker=31.20010%2C29.91870")
        );
        assert!(detect("https://www.openstreetmap.org/node/123", None).is_none());
        assert!(detect("https://maps.app.goo.gl/abc", None).is_none());
    }

    #[test]
    fn unknown_providers_are_not_embeds() {
        for url in [
            "https://example.com/watch?v=abc",
            "https://notyoutube.com/watch?v=abc",
            "javascript:alert(1)",
            "youtube.com/watch?v=abc",
        ] {
            assert!(detect(url, None).is_none(), "{url}");
        }
    }
}
