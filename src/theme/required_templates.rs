// The templates every theme must provide, in a file of its own because two places need the
// one list: `theme::REQUIRED_TEMPLATES` in the crate, and build.rs, which checks the built-in
// theme before embedding it and cannot import the crate it is building. Both `include!` it;
// it is not a module.
&[
    "article.html",
    "index.html",
    "category.html",
    "tag.html",
    "author.html",
    "tags.html",
    "authors.html",
    "categories.html",
    "page.html",
    "404.html",
]
