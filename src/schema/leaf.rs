//! The values of the file format: slugs, text, dates, keywords. Each has a
//! definition of its own in the schema (`$defs`), built from the constants
//! the loader checks against where there are any.

use crate::load::convert::{MAX_ID_CHARS, MAX_TITLE_CHARS};
use crate::model::{self, BUILTIN_KINDS};
use crate::names::ISO_3166_ALPHA3;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use std::borrow::Cow;

/// The slug pattern of docs/format.md (`names::is_slug`).
pub const SLUG_PATTERN: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";

/// The characters an EDTF date may be written with, once the `Y`-prefixed
/// forms are refused: digits, `X`, `S` (significant digits), the
/// qualifiers `?~%`, `-` `+`, `/` and `..` for intervals, the brackets,
/// braces and commas of sets, and `T`, `:`, `Z` of a time of day. A loose
/// guard for editors; the grammar is checked by `annals check`.
pub const DATE_PATTERN: &str = r"^[0-9XS?~%./,\[\]{}+:TZ-]+$";

/// A `#rgb` or `#rrggbb` colour (`load::convert::normalize_color`).
pub const COLOUR_PATTERN: &str = "^#([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$";

/// An absolute http or https URL with a host and no white space
/// (`load::convert::is_http_url`).
pub const URL_PATTERN: &str = r"^https?://[^\s/?#]+[^\s]*$";

/// One line, with at least one character that is not white space; a final
/// line break (a folded block) is allowed.
pub const TITLE_PATTERN: &str = r"^[^\r\n]*\S[^\r\n]*[\r\n]*$";

/// At least one character that is not white space.
pub const NAME_PATTERN: &str = r"\S";

macro_rules! leaf {
    ($(#[$m:meta])* $name:ident, $def:literal, |$g:ident| $body:expr) => {
        $(#[$m])*
        pub struct $name;

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                Cow::Borrowed($def)
            }

            fn json_schema($g: &mut SchemaGenerator) -> Schema {
                $body
            }
        }
    };
}

/// A keyword from one of the model's lists, as an `enum`.
fn keywords(description: &str, names: &[&str]) -> Schema {
    json_schema!({
        "description": description,
        "type": "string",
        "enum": names,
    })
}

leaf!(
    /// An id or a reference to one.
    Slug,
    "slug",
    |_g| json_schema!({
        "description": format!(
            "An id: lower-case letters, digits and single hyphens, at most {MAX_ID_CHARS} characters. \
             YAML reads an unquoted 2024 as a number; annals takes its digits."
        ),
        "type": ["string", "integer"],
        "pattern": SLUG_PATTERN,
        "maxLength": MAX_ID_CHARS,
        "minimum": 0,
    })
);

leaf!(
    /// Text. YAML reads an unquoted whole number as a number; annals keeps
    /// its digits, so the schema takes it too. Decimals and booleans get a
    /// warning from `annals check` (`not-a-string`) and are refused here.
    Text,
    "text",
    |_g| json_schema!({
        "description": "Text. Quote it when YAML would read it as something else (true, 1.50).",
        "type": ["string", "integer"],
    })
);

leaf!(
    /// An EDTF date.
    Date,
    "date",
    |_g| json_schema!({
        "description": "An EDTF date (levels 0-2): 2024-01-06, 2024-02, 2024-02~, 2024-01-01/2024-01-06, \
                        \"[2024-02-01..2024-02-10]\" (sets must be quoted). Years -9999..9999. \
                        An unquoted year such as 2024 is read by YAML as a number, which annals accepts.",
        "type": ["string", "integer"],
        "pattern": DATE_PATTERN,
        "minimum": -9999,
        "maximum": 9999,
    })
);

leaf!(
    /// An event's kind: built in, or declared under `kinds:`.
    KindId,
    "kind-id",
    |_g| json_schema!({
        "description": "A built-in kind, or the id of one declared under `kinds:`.",
        "anyOf": [
            {"enum": BUILTIN_KINDS},
            {"type": "string", "pattern": SLUG_PATTERN, "maxLength": MAX_ID_CHARS},
        ],
    })
);

leaf!(
    /// An absolute http or https URL.
    Url,
    "url",
    |_g| json_schema!({
        "description": "An absolute http:// or https:// address with a host and no spaces.",
        "type": "string",
        "pattern": URL_PATTERN,
    })
);

leaf!(
    /// A colour.
    Colour,
    "color",
    |_g| json_schema!({
        "description": "A hex colour, #rgb or #rrggbb; quote it, since # starts a YAML comment.",
        "type": "string",
        "pattern": COLOUR_PATTERN,
    })
);

leaf!(
    /// An ISO 3166-1 alpha-3 code.
    Country,
    "country",
    |_g| keywords(
        "An officially assigned ISO 3166-1 alpha-3 country code, upper case.",
        &ISO_3166_ALPHA3
    )
);

leaf!(
    /// An event's status.
    Status,
    "status",
    |_g| keywords(
        "occurred (the default), reported (unconfirmed), scheduled or cancelled.",
        model::Status::NAMES
    )
);

leaf!(
    /// An actor's role in an event.
    Role,
    "role",
    |_g| keywords(
        "The part the actor plays; participant when not given.",
        model::Role::NAMES
    )
);

leaf!(
    /// How one event relates to another.
    Relation,
    "relation",
    |_g| keywords("How this event relates to the other.", model::Relation::NAMES)
);

leaf!(
    /// A source's type (format 1.1).
    SourceType,
    "source-type",
    |_g| keywords(
        "What the source is; maps to the CSL type of the same name.",
        model::SourceType::NAMES
    )
);

leaf!(
    /// An actor's type.
    ActorType,
    "actor-type",
    |_g| keywords("What kind of actor this is.", model::ActorType::NAMES)
);

/// An event's title: one line of 1 to 200 characters.
pub fn title(_g: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "description": format!("One line of 1 to {MAX_TITLE_CHARS} characters; put the rest in `summary`."),
        "type": ["string", "integer"],
        "pattern": TITLE_PATTERN,
        "minLength": 1,
        // Counted as annals counts it: with the final line break of a
        // folded title, which annals drops afterwards.
        "maxLength": MAX_TITLE_CHARS,
    })
}

/// An actor's name: not empty.
pub fn name(_g: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "description": "The name the sources use; not empty.",
        "type": ["string", "integer"],
        "pattern": NAME_PATTERN,
    })
}

/// A colour that may be left out but is never null (see `Kind::color`).
pub fn colour_not_null(g: &mut SchemaGenerator) -> Schema {
    g.subschema_for::<Colour>()
}

/// A citation key (`load::convert::is_cite_key`), or null.
pub const CITE_KEY_PATTERN: &str = r"^[A-Za-z0-9_]([A-Za-z0-9_:.-]*[A-Za-z0-9_])?$";

/// An optional citation key, written in place.
pub fn cite_key(_g: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": ["string", "null"],
        "pattern": CITE_KEY_PATTERN,
    })
}
