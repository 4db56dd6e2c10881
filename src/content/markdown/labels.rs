//! The words qissa itself writes inside article and page bodies: «تصوير:» before a photo
//! credit, the heading of each kind of `:::notice`, and what an embed's placeholder says.
//! They are labels of the theme like any other (its `strings.yaml`, reworded by the site);
//! the build fills [`BodyLabels`] from them before the bodies are parsed. The defaults are
//! the default theme's wording, for parsing without a theme (unit tests, fuzzing).

/// The keys of the body labels in a theme's `strings.yaml`, in the order of the fields.
pub const BODY_LABEL_KEYS: [&str; 14] = [
    "photo_credit",
    "notice_info",
    "notice_warning",
    "notice_correction",
    "notice_update",
    "embed_notice",
    "embed_play_video",
    "embed_video",
    "embed_show_post",
    "embed_post",
    "embed_play_audio",
    "embed_audio",
    "embed_show_map",
    "embed_map",
];

/// The body labels; in the embed ones, `{name}` stands for the provider («يوتيوب»).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BodyLabels {
    pub photo_credit: String,
    /// The headings of `info`, `warning`, `correction` and `update` notices.
    pub notices: [String; 4],
    /// Under every placeholder: playing loads content from the provider.
    pub embed_notice: String,
    /// The play button's label and the player's title, for videos, posts, audio and maps.
    pub embeds: [(String, String); 4],
}

impl BodyLabels {
    /// The labels from a lookup by key (the theme's labels with the site's wording).
    pub fn from_lookup<'s>(get: impl Fn(&str) -> &'s str) -> BodyLabels {
        let [credit, info, warning, correction, update, notice, rest @ ..] =
            BODY_LABEL_KEYS.map(|k| get(k).to_string());
        let [
            play_video,
            video,
            show_post,
            post,
            play_audio,
            audio,
            show_map,
            map,
        ] = rest;
        BodyLabels {
            photo_credit: credit,
            notices: [info, warning, correction, update],
            embed_notice: notice,
            embeds: [
                (play_video, video),
                (show_post, post),
                (play_audio, audio),
                (show_map, map),
            ],
        }
    }
}

impl Default for BodyLabels {
    fn default() -> Self {
        let words = [
            "تصوير:",
            "ملاحظة",
            "تنبيه",
            "تصحيح",
            "تحديث",
            "يُحمَّل هذا المحتوى من {name} عند الضغط على الزر فقط، وتنطبق عليه سياسة الخصوصية الخاصة بـ{name}.",
            "تشغيل الفيديو من {name}",
            "فيديو من {name}",
            "عرض المنشور من {name}",
            "منشور من {name}",
            "تشغيل المقطع الصوتي من {name}",
            "مقطع صوتي من {name}",
            "عرض الخريطة من {name}",
            "خريطة من {name}",
        ];
        BodyLabels::from_lookup(|key| {
            let i = BODY_LABEL_KEYS.iter().position(|k| *k == key);
            i.map_or("", |i| words[i])
        })
    }
}
